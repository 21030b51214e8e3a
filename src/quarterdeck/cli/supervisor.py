"""Run the web server and the background worker side by side, and stop both together.

The children run in their own process groups, so a Ctrl-C in the terminal reaches only us and
we stop them in order: SIGTERM, a grace period, then SIGKILL of the whole group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType

GRACE_SECONDS = 15.0
POLL_SECONDS = 0.2


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable, "-m", "gunicorn", "quarterdeck.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--access-logfile", "-",
        "--graceful-timeout", "10",
        # One control socket per user home would clash between instances; we need none.
        "--no-control-socket",
    ]  # fmt: skip


def worker_argv() -> list[str]:
    return [sys.executable, "-m", "django", "db_worker", "--no-reload"]


def port_problem(host: str, port: int) -> str | None:
    """Why we could not listen on host:port, or None when it is free."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def accepts_connections(host: str, port: int) -> bool:
    target = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    try:
        with socket.create_connection((target, port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None


def spawn(name: str, argv: list[str]) -> Child:
    # process_group=0: a group of its own (see the module docstring), led by the child.
    return Child(name, subprocess.Popen(argv, process_group=0))  # noqa: S603


@dataclass
class Supervisor:
    children: list[Child] = field(default_factory=list)
    signalled: int | None = None

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.signalled = signum

    def install(self) -> None:
        signal.signal(signal.SIGINT, self.on_signal)
        signal.signal(signal.SIGTERM, self.on_signal)

    def dead(self) -> Child | None:
        return next((child for child in self.children if not child.alive()), None)

    def wait_until(self, ready: bool, timeout: float, host: str, port: int) -> bool:
        """Wait for the server to answer; False when a child died or we were told to stop."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.signalled is None and self.dead() is None:
            if not ready or accepts_connections(host, port):
                return True
            time.sleep(POLL_SECONDS)
        return self.signalled is None and self.dead() is None

    def watch(self) -> Child | None:
        """Block until a signal arrives (None) or a child dies (that child)."""
        while self.signalled is None:
            if (child := self.dead()) is not None:
                return child
            time.sleep(POLL_SECONDS)
        return None

    def stop_all(self) -> None:
        for child in self.children:
            if child.alive():
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in self.children:
            try:
                child.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                self.kill(child)

    def kill(self, child: Child) -> None:
        """SIGKILL the whole group; the leader is not reaped yet, so the group id is still its."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.process.wait()
