"""Typed readers for QUARTERDECK_* environment variables.

Every reader fails loudly with a ConfigError that names the variable and what it expects, so a
typo stops start-up instead of running with a silent default. Secrets may come from a file: when
``NAME_FILE`` is set, its contents (stripped) are the value of ``NAME``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """A configuration value is missing or malformed; the message says which and how to fix it."""


def env_str(name: str, default: str | None = None) -> str | None:
    file_var = f"{name}_FILE"
    if file_var in os.environ:
        path = Path(os.environ[file_var])
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{file_var}={path}: cannot read the file ({exc.strerror}).") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={raw!r}: expected a boolean (true/false, 1/0, yes/no, on/off).")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ConfigError(f"{name}={raw!r}: expected a whole number of at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ConfigError(
            f"{name}={raw!r}: expected a comma-separated list, e.g. 'a.example,b.example'."
        )
    return items


def env_time_zone(name: str, default: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = os.environ.get(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"{name}={value!r}: expected an IANA time zone name such as 'Europe/Berlin' or 'UTC'."
        ) from exc
    return value


def data_dir(name: str) -> Path:
    raw = os.environ.get(name)
    if raw is None:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("quarterdeck", appauthor=False))
    else:
        if not raw.strip():
            raise ConfigError(f"{name} is empty: expected a folder path.")
        path = Path(raw).expanduser()
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{name}={path}: exists but is not a folder.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{name}={path}: cannot create the folder ({exc.strerror}).") from exc
    return path


def secret_key(name: str, folder: Path) -> str:
    """The secret key from the environment, else the one kept in the data dir (first start)."""
    value = env_str(name)
    if value is not None:
        if len(value) < 32:
            raise ConfigError(f"{name}: expected at least 32 characters of random text.")
        return value
    keyfile = folder / "secret_key"
    if not keyfile.exists():
        fd = os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
    return keyfile.read_text(encoding="utf-8").strip()


def database_from_url(name: str, url: str) -> dict[str, object]:
    """Django DATABASES['default'] from a URL: sqlite:///path or postgresql://user:pw@host:port/db."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("//") else parts.path)
        if not path:
            raise ConfigError(f"{name}={url!r}: expected sqlite:////absolute/path/to/file.sqlite3.")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    if parts.scheme in {"postgres", "postgresql"}:
        if not parts.path.strip("/"):
            raise ConfigError(
                f"{name}={url!r}: expected postgresql://user:password@host:5432/dbname."
            )
        try:
            port = parts.port
        except ValueError as exc:
            raise ConfigError(f"{name}={url!r}: the port is not a number.") from exc
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.strip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ConfigError(
        f"{name}={url!r}: unsupported scheme {parts.scheme!r}; expected sqlite:///... or postgresql://..."
    )


def mailer_from_url(name: str, url: str | None) -> dict[str, object]:
    """A MAILERS entry: smtp://user:pass@host:587?tls=true (or smtps:// for implicit TLS); without
    a URL, mail is printed to the console (development)."""
    if not url:
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ConfigError(f"{name}: expected smtp://user:password@host:587?tls=true or smtps://...")
    query = dict(parse_qsl(parts.query))
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"{name}: the port is not a number.") from exc
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": port or (465 if parts.scheme == "smtps" else 587),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": parts.scheme == "smtp" and query.get("tls", "true").lower() in TRUE_WORDS,
            "timeout": 20,
        },
    }
