"""The `quarterdeck` commands, invoked in-process with click's runner against the test database."""

from __future__ import annotations

import csv
import io
import json
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quarterdeck.accounts.models import ApiToken, Role, User
from quarterdeck.cli import cli
from quarterdeck.people.models import Person
from tests.api.client import PREFIX
from tests.personas import Personas

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "a long and unusual passphrase"


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_help_needs_no_configuration() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in (
        "start",
        "demo",
        "worker",
        "migrate",
        "createuser",
        "token",
        "check",
        "export",
        "import",
    ):
        assert command in result.output


def test_createuser_reads_the_password_from_stdin(client) -> None:  # type: ignore[no-untyped-def]
    result = run(
        "createuser",
        "Pia@Example.com",
        "--role",
        "leader",
        "--name",
        "Pia",
        "--password-stdin",
        stdin=GOOD_PASSWORD + "\n",
    )

    assert result.exit_code == 0, result.output
    user = User.objects.get(email="pia@example.com")
    assert (user.role, user.name) == (Role.LEADER, "Pia")
    assert client.login(email="pia@example.com", password=GOOD_PASSWORD)


def test_createuser_without_a_terminal_makes_a_token_only_account() -> None:
    result = run("createuser", "bot@example.com", "--role", "viewer")

    assert result.exit_code == 0
    assert "API tokens only" in result.output
    assert not User.objects.get(email="bot@example.com").has_usable_password()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-email", "--role", "viewer"], "is not an e-mail address"),
        (["x@example.com", "--role", "emperor"], "Unknown role; use one of admin, leader"),
    ],
)
def test_createuser_refuses_bad_input_with_one_line(args: list[str], message: str) -> None:
    result = run("createuser", *args)

    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not User.objects.exists()


def test_createuser_refuses_a_weak_password() -> None:
    result = run(
        "createuser", "x@example.com", "--role", "admin", "--password-stdin", stdin="123\n"
    )
    assert result.exit_code == 1
    assert "too short" in result.output


def test_token_create_prints_only_the_token_and_it_works(personas: Personas, client) -> None:  # type: ignore[no-untyped-def]
    result = run("token", "create", personas.leader.email, "--name", "ci")

    assert result.exit_code == 0
    raw = result.stdout.strip()
    assert result.stdout == raw + "\n"
    assert raw.startswith("qd_")
    response = client.get(f"{PREFIX}/export", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert ApiToken.objects.get(user=personas.leader).name == "ci"


def test_token_list_and_revoke(personas: Personas, client) -> None:  # type: ignore[no-untyped-def]
    raw = run("token", "create", personas.member.email).stdout.strip()
    token = ApiToken.objects.get(user=personas.member)

    listing = run("token", "list", personas.member.email)
    revoked = run("token", "revoke", str(token.pk))

    assert listing.exit_code == 0
    assert token.prefix in listing.output
    assert revoked.exit_code == 0
    assert f"Revoked token {token.pk}" in revoked.output
    assert (
        client.get(f"{PREFIX}/lines", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    )


def test_token_commands_name_what_is_missing() -> None:
    assert (
        "no user with the e-mail address 'nobody@example.com'"
        in run("token", "create", "nobody@example.com").output
    )
    result = run("token", "revoke", "999")
    assert result.exit_code == 1
    assert "There is no token with id 999." in result.output


def test_migrate_and_check_on_a_migrated_database() -> None:
    migrate = run("migrate")
    check = run("check")

    assert migrate.exit_code == 0
    assert "up to date" in migrate.output
    assert check.exit_code == 0, check.output
    assert "time zone" in check.output
    assert "migrations applied" in check.output


def test_export_csv_to_a_pipe_is_a_zip(personas: Personas) -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "csv"])

    assert result.exit_code == 0
    archive = zipfile.ZipFile(io.BytesIO(result.stdout_bytes))
    assert "Atlas" in archive.read("products.csv").decode()


def test_import_with_skip_invalid_writes_a_report(personas: Personas, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text("name,email,level\nAnn,ann@example.com,pm\nBob,bob@example.com,guru\n")
    report = tmp_path / "report.csv"

    strict = run("import", str(source), "--report", str(report))
    assert strict.exit_code == 1
    assert "nothing was written" in strict.output
    assert not Person.objects.filter(email="ann@example.com").exists()

    lenient = run("import", str(source), "--skip-invalid", "--report", str(report))
    assert lenient.exit_code == 0, lenient.output
    assert Person.objects.filter(email="ann@example.com").exists()
    rows = list(csv.reader(report.open()))
    assert rows[0] == ["file", "row", "column", "status", "message"]
    assert rows[1][:4] == ["people.csv", "3", "level", "skipped"]
    assert rows[1][4].startswith("unknown level 'guru'; use one of associate_pm, pm")


def test_import_reads_a_folder_of_csv_files(personas: Personas, tmp_path: Path) -> None:
    (tmp_path / "teams.csv").write_text("name,description\nData guild,Analysts\n")
    (tmp_path / "people.csv").write_text("name,email,teams\nDee,dee@example.com,Data guild\n")

    result = run("import", str(tmp_path))

    assert result.exit_code == 0, result.output
    assert [t.name for t in Person.objects.get(email="dee@example.com").teams.all()] == [
        "Data guild"
    ]


def test_import_of_a_missing_file_is_a_usage_error() -> None:
    result = run("import", "/nonexistent/export.json")
    assert result.exit_code == 2
    assert "does not exist" in result.output


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_start_refuses_a_port_in_use(busy_port: int) -> None:
    result = run("start", "--port", str(busy_port))

    assert result.exit_code == 2
    assert f"Cannot listen on 127.0.0.1:{busy_port}" in result.output


def test_start_without_an_admin_says_which_variables_to_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("QUARTERDECK_ADMIN_EMAIL", raising=False)

    result = run("start", "--port", str(free_port()))

    assert result.exit_code == 2
    assert "QUARTERDECK_ADMIN_EMAIL and QUARTERDECK_ADMIN_PASSWORD" in result.output
    assert not User.objects.exists()


def test_start_with_a_weak_admin_password_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QUARTERDECK_ADMIN_EMAIL", "root@example.com")
    monkeypatch.setenv("QUARTERDECK_ADMIN_PASSWORD", "short")

    result = run("start", "--port", str(free_port()))

    assert result.exit_code == 2
    assert "Cannot create the first admin" in result.output
    assert "too short" in result.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_export_json_to_a_file(personas: Personas, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = run("export", "--out", str(target))
    assert result.exit_code == 0
    assert {line["name"] for line in json.loads(target.read_text())["lines"]} == {
        "Platform",
        "Growth",
    }
