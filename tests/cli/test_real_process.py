"""The installed `quarterdeck` program, run for real in its own data folder and SQLite database
(never the test database: a PostgreSQL URL in the environment is replaced)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TextIO

import pytest

PROGRAM = Path(sys.prefix) / "bin" / "quarterdeck"
READY_TIMEOUT = 60


def program() -> str:
    found = str(PROGRAM) if PROGRAM.exists() else shutil.which("quarterdeck")
    assert found, "the quarterdeck program is not installed in this environment"
    return found


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUARTERDECK_", "DJANGO_"))}
    env["QUARTERDECK_DATA_DIR"] = str(data_dir)
    env["QUARTERDECK_DATABASE_URL"] = f"sqlite:///{data_dir / 'qd.sqlite3'}"
    env["QUARTERDECK_DEMO_EVENT_SCALE"] = "0.01"  # `start --demo` also writes demo events
    env.update(extra)
    return env


def quarterdeck(
    data_dir: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [program(), *args],
        env=environment(data_dir, **env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_malformed_variable_is_one_red_line_and_exit_2(tmp_path: Path) -> None:
    result = quarterdeck(tmp_path, "check", QUARTERDECK_DEBUG="maybe")

    assert result.returncode == 2
    assert "QUARTERDECK_DEBUG='maybe'" in result.stderr
    assert "expected a boolean" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_check_names_an_unreachable_database(tmp_path: Path) -> None:
    url = "postgresql://nobody:secret@127.0.0.1:1/quarterdeck"
    result = quarterdeck(tmp_path, "check", QUARTERDECK_DATABASE_URL=url)

    assert result.returncode == 1
    assert "The database is not reachable" in result.stderr
    assert "nobody@127.0.0.1:1/quarterdeck" in result.stdout
    assert "secret" not in result.stdout + result.stderr


def test_check_migrate_createuser_and_token(tmp_path: Path) -> None:
    fresh = quarterdeck(tmp_path, "check")
    assert fresh.returncode == 1
    assert "migrations are not applied" in fresh.stderr
    assert "portfolio: 0001_initial" in fresh.stderr
    assert str(tmp_path / "qd.sqlite3") in fresh.stdout

    assert quarterdeck(tmp_path, "migrate").returncode == 0
    ready = quarterdeck(tmp_path, "check")
    assert ready.returncode == 0, ready.stderr
    assert quarterdeck(tmp_path, "worker", "--batch").returncode == 0

    made = quarterdeck(
        tmp_path,
        "createuser",
        "ops@example.com",
        "--role",
        "admin",
        "--password-stdin",
        stdin="a long and unusual passphrase\n",
    )
    assert made.returncode == 0, made.stderr
    token = quarterdeck(tmp_path, "token", "create", "ops@example.com", "--name", "ci")
    assert token.returncode == 0, token.stderr
    assert re.fullmatch(r"qd_[A-Za-z0-9_-]{40,}\n", token.stdout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def status_of(url: str) -> int | None:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=2) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def gone(pid: int) -> bool:
    try:
        os.killpg(pid, 0)  # the child's process group: the server's own workers too
    except ProcessLookupError:
        return True
    return False


def test_start_demo_serves_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    log = (tmp_path / "start.log").open("w+")
    process = subprocess.Popen(
        [program(), "start", "--demo", "--port", str(port), "--workers", "1"],
        env=environment(tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            status = status_of(f"http://127.0.0.1:{port}/login/")
            if status == 200:
                break
            time.sleep(0.3)
        assert status == 200, log_text(log)
        assert status_of(f"http://127.0.0.1:{port}/") == 302

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0, log_text(log)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = log_text(log)
    pids = re.search(r"Web server pid (\d+), background worker pid (\d+)", output)
    assert pids, output
    assert gone(int(pids.group(1)))
    assert gone(int(pids.group(2)))
    assert "quarterdeck-demo" in output
    assert "dana.reyes@harborline.example" in output
    assert "Stopped the web server and the background worker." in output


def log_text(log: TextIO) -> str:
    log.seek(0)
    return log.read()


@pytest.mark.parametrize("sig", [signal.SIGTERM])
def test_a_dead_child_stops_everything(tmp_path: Path, sig: signal.Signals) -> None:
    """If the worker dies, the server is stopped too and start exits non-zero."""
    port = free_port()
    log = (tmp_path / "start.log").open("w+")
    process = subprocess.Popen(
        [program(), "start", "--demo", "--port", str(port), "--workers", "1"],
        env=environment(tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        pids = None
        while time.monotonic() < deadline and pids is None and process.poll() is None:
            pids = re.search(r"background worker pid (\d+)", log_text(log))
            time.sleep(0.3)
        assert pids, log_text(log)
        while time.monotonic() < deadline and status_of(f"http://127.0.0.1:{port}/login/") != 200:
            time.sleep(0.3)
        os.kill(int(pids.group(1)), sig)
        assert process.wait(timeout=30) == 1
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "The background worker stopped unexpectedly" in log_text(log)
    assert status_of(f"http://127.0.0.1:{port}/login/") is None
