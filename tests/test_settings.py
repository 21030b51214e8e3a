"""Configuration: typed env readers fail loudly; production settings pass `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quarterdeck.lib import env


def test_boolean_accepts_common_words_and_rejects_others(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUARTERDECK_DEBUG", "Yes")
    assert env.env_bool("QUARTERDECK_DEBUG", False) is True
    monkeypatch.setenv("QUARTERDECK_DEBUG", "maybe")
    with pytest.raises(env.ConfigError, match=r"QUARTERDECK_DEBUG='maybe': expected a boolean"):
        env.env_bool("QUARTERDECK_DEBUG", False)


def test_time_zone_must_be_an_iana_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUARTERDECK_TIME_ZONE", "Mars/Olympus")
    with pytest.raises(env.ConfigError, match="QUARTERDECK_TIME_ZONE='Mars/Olympus'"):
        env.env_time_zone("QUARTERDECK_TIME_ZONE", "UTC")


def test_database_urls() -> None:
    sqlite = env.database_from_url("X", "sqlite:////var/lib/qd/db.sqlite3")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["NAME"] == "/var/lib/qd/db.sqlite3"
    pg = env.database_from_url("X", "postgresql://u:p%40ss@db.internal:6543/qd?sslmode=require")
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "u",
        "p@ss",
        "db.internal",
        "6543",
        "qd",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    with pytest.raises(env.ConfigError, match="unsupported scheme 'mysql'"):
        env.database_from_url("X", "mysql://localhost/qd")
    with pytest.raises(env.ConfigError, match="port is not a number"):
        env.database_from_url("X", "postgresql://localhost:abc/qd")


def test_secret_key_is_generated_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUARTERDECK_SECRET_KEY", raising=False)
    first = env.secret_key("QUARTERDECK_SECRET_KEY", tmp_path)
    assert len(first) >= 50
    assert env.secret_key("QUARTERDECK_SECRET_KEY", tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_secret_from_file_variant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret_file = tmp_path / "key.txt"
    secret_file.write_text("s" * 40 + "\n")
    monkeypatch.setenv("QUARTERDECK_SECRET_KEY_FILE", str(secret_file))
    assert env.secret_key("QUARTERDECK_SECRET_KEY", tmp_path) == "s" * 40
    monkeypatch.setenv("QUARTERDECK_SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(env.ConfigError, match=r"QUARTERDECK_SECRET_KEY_FILE=.*cannot read"):
        env.secret_key("QUARTERDECK_SECRET_KEY", tmp_path)


def test_short_secret_key_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUARTERDECK_SECRET_KEY", "short")
    with pytest.raises(env.ConfigError, match="at least 32 characters"):
        env.secret_key("QUARTERDECK_SECRET_KEY", tmp_path)


def _django_admin(tmp_path: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_")}
    child_env.update(
        QUARTERDECK_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="quarterdeck.settings",
        **extra_env,
    )
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = _django_admin(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        QUARTERDECK_HTTPS="true",
        QUARTERDECK_DEBUG="false",
        QUARTERDECK_ALLOWED_HOSTS="quarterdeck.example.com",
        QUARTERDECK_SMTP_URL="smtp://mailer:secret@smtp.example.com:587",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_use_argon2_csp_and_secure_cookies(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.PASSWORD_HASHERS[0], s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " 'default-src' in s.SECURE_CSP)"
    )
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_")}
    child_env.update(
        QUARTERDECK_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="quarterdeck.settings"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert out == ["django.contrib.auth.hashers.Argon2PasswordHasher", "True", "True", "True"]


def test_malformed_variable_stops_startup_with_its_name(tmp_path: Path) -> None:
    result = _django_admin(tmp_path, "check", QUARTERDECK_ALLOWED_HOSTS=" , ")
    assert result.returncode != 0
    assert "QUARTERDECK_ALLOWED_HOSTS" in result.stderr


def test_smtp_url() -> None:
    console = env.mailer_from_url("QUARTERDECK_SMTP_URL", None)
    assert console["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    smtp = env.mailer_from_url("QUARTERDECK_SMTP_URL", "smtps://a%40b.c:pw@mail.example.com")
    assert smtp["OPTIONS"] == {
        "host": "mail.example.com",
        "port": 465,
        "username": "a@b.c",
        "password": "pw",
        "use_ssl": True,
        "use_tls": False,
        "timeout": 20,
    }
    with pytest.raises(env.ConfigError, match="QUARTERDECK_SMTP_URL: expected smtp://"):
        env.mailer_from_url("QUARTERDECK_SMTP_URL", "http://mail.example.com")
