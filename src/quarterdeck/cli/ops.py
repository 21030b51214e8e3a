"""Running Quarterdeck: migrate, worker, check."""

from __future__ import annotations

from typing import Any

import click

from quarterdeck.cli.base import cli, django_command, err_console, fail, note


def migrate_quietly() -> int:
    """Apply whatever migrations are missing, behind a spinner; return how many."""
    from django.core.management import call_command

    from quarterdeck.cli.operator import unapplied_migrations

    pending = unapplied_migrations()
    if pending:
        with err_console().status(f"Applying {len(pending)} database migrations…"):
            call_command("migrate", interactive=False, verbosity=0)
    return len(pending)


@cli.command()
@django_command
def migrate() -> None:
    """Create or update the database tables."""
    applied = migrate_quietly()
    note(f"Applied {applied} migrations." if applied else "The database is up to date.", "green")


@cli.command()
@click.option("--batch", is_flag=True, help="Run the queued tasks, then exit (e.g. from cron).")
@django_command
def worker(batch: bool) -> None:
    """Run the background worker (runs queued tasks until stopped)."""
    from django.core.management import call_command

    call_command("db_worker", reload=False, batch=batch)


def database_label(db: dict[str, Any]) -> str:
    engine = str(db["ENGINE"]).rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return f"SQLite, {db['NAME']}"
    where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
    return f"{engine}, {db.get('USER') or '?'}@{where}/{db['NAME']}"


def effective_settings() -> list[tuple[str, str]]:
    from django.conf import settings

    return [
        ("data folder", str(settings.DATA_DIR)),
        ("database", database_label(settings.DATABASES["default"])),
        ("time zone", settings.TIME_ZONE),
        ("debug", "on" if settings.DEBUG else "off"),
        ("allowed hosts", ", ".join(settings.ALLOWED_HOSTS)),
        ("https (behind a proxy)", "on" if settings.HTTPS else "off"),
    ]


def check_database() -> list[str]:
    from django.db import DatabaseError, connection

    from quarterdeck.cli.operator import unapplied_migrations

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        return [f"The database is not reachable: {str(exc).strip()}"]
    pending = unapplied_migrations()
    if not pending:
        return []
    by_app: dict[str, list[str]] = {}
    for name in pending:
        app, _, migration = name.partition(".")
        by_app.setdefault(app, []).append(migration)
    listed = "".join(f"\n  {app}: {', '.join(names)}" for app, names in by_app.items())
    return [f"{len(pending)} migrations are not applied; run `quarterdeck migrate`.{listed}"]


def check_system() -> list[str]:
    from django.core import checks

    problems = []
    for message in checks.run_checks():
        text = f"{message.id}: {message.msg}" + (f" ({message.hint})" if message.hint else "")
        if message.level >= checks.ERROR:
            problems.append(text)
        else:
            note(f"warning {text}", "yellow")
    return problems


@cli.command()
@django_command
def check() -> None:
    """Check the configuration, the database, the migrations and Django's system checks."""
    # Plain "name: value" lines, not a table: paths stay whole and scripts can grep them.
    for name, value in effective_settings():
        click.echo(f"{name + ':':<24}{value}")
    problems = check_database() + check_system()
    for problem in problems:
        click.secho(problem, fg="red", err=True)
    if problems:
        fail(f"{len(problems)} problem(s) found.")
    note("Everything is in order: database reachable, migrations applied, checks passed.", "green")
