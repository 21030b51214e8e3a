"""`quarterdeck start`: migrate, make sure there is an admin, optionally load the demo, then
run the web server (gunicorn) and the background worker until Ctrl-C or SIGTERM."""

from __future__ import annotations

import os
import sys

import click

from quarterdeck.cli.base import cli, django_command, fail, note, out_console
from quarterdeck.cli.supervisor import Supervisor, gunicorn_argv, port_problem, spawn, worker_argv

ADMIN_ENV = (
    "QUARTERDECK_ADMIN_EMAIL and QUARTERDECK_ADMIN_PASSWORD (or QUARTERDECK_ADMIN_PASSWORD_FILE)"
)
READY_TIMEOUT = 60.0


def create_admin_from_env(email: str) -> None:
    from quarterdeck.accounts.services import user_create
    from quarterdeck.lib.env import env_str
    from quarterdeck.lib.errors import InvalidInput

    password = env_str("QUARTERDECK_ADMIN_PASSWORD")
    if not password:
        fail("QUARTERDECK_ADMIN_EMAIL is set: also set QUARTERDECK_ADMIN_PASSWORD (or _FILE).", 2)
    try:
        user_create(actor=None, data={"email": email, "role": "admin", "password": password})
    except InvalidInput as exc:
        fail(f"Cannot create the first admin from {ADMIN_ENV}: {exc.message}", 2)
    note(f"Created the first admin, {email}.", "green")


def prompt_admin() -> None:
    from quarterdeck.accounts.services import user_create
    from quarterdeck.lib.errors import InvalidInput

    note("There is no admin account yet; let's create one.", "yellow")
    for _ in range(3):
        email = click.prompt("Admin e-mail")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user_create(actor=None, data={"email": email, "role": "admin", "password": password})
        except InvalidInput as exc:
            note(exc.message, "red")
            continue
        note(f"Created the first admin, {email}.", "green")
        return
    fail("No admin account was created.", 2)


def ensure_admin(demo: bool) -> None:
    from quarterdeck.cli.operator import has_admin
    from quarterdeck.lib.env import env_str

    if has_admin():
        return
    email = env_str("QUARTERDECK_ADMIN_EMAIL")
    if email:
        create_admin_from_env(email)
    elif demo:
        return  # the demo company brings its own admin
    elif sys.stdin.isatty():
        prompt_admin()
    else:
        how = f"Set {ADMIN_ENV}, or run `quarterdeck start` in a terminal to be asked"
        fail(f"There is no admin account yet. {how}.", 2)


def public_url(host: str, port: int) -> str:
    shown = {"0.0.0.0": "localhost", "::": "localhost"}.get(host, host)  # noqa: S104
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def warn_about_hosts(host: str) -> None:
    if host not in LOOPBACK and "QUARTERDECK_ALLOWED_HOSTS" not in os.environ:
        note(
            "Listening beyond this machine: set QUARTERDECK_ALLOWED_HOSTS to the host name people "
            "use to reach it, or Django answers 400 Bad Request.",
            "yellow",
        )


def serve(host: str, port: int, workers: int, demo: bool) -> None:
    supervisor = Supervisor()
    supervisor.install()
    try:
        supervisor.children.append(spawn("web server", gunicorn_argv(host, port, workers)))
        supervisor.children.append(spawn("background worker", worker_argv()))
        web, work = supervisor.children
        note(f"Web server pid {web.pid}, background worker pid {work.pid}.")
        if supervisor.wait_until(True, READY_TIMEOUT, host, port):
            note(
                f"Quarterdeck is running at {public_url(host, port)} — press Ctrl-C to stop.",
                "green",
            )
            if demo:
                from quarterdeck.cli.data import logins_table

                out_console().print(logins_table())
            died = supervisor.watch()
        else:
            died = supervisor.dead()
    finally:
        supervisor.stop_all()
    if died is not None:
        code = died.process.returncode
        fail(f"The {died.name} stopped unexpectedly (exit code {code}); stopped everything.", 1)
    note("Stopped the web server and the background worker.", "green")


@cli.command()
@click.option(
    "--demo", is_flag=True, help="Load the demo company (Harborline) and print its sign-ins."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Web processes."
)
@django_command
def start(demo: bool, host: str, port: int, workers: int) -> None:
    """Migrate, create the first admin if needed, and run the web server and the worker."""
    from django.conf import settings

    from quarterdeck.cli.ops import migrate_quietly

    if problem := port_problem(host, port):
        hint = "Is Quarterdeck already running? Choose another port with --port."
        fail(f"Cannot listen on {host}:{port}: {problem}. {hint}", 2)
    migrate_quietly()
    # The static files are served from the apps' folders; a missing STATIC_ROOT only makes
    # WhiteNoise warn in every web process.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    ensure_admin(demo)
    if demo:
        from quarterdeck.cli.data import load_demo

        load_demo()
    warn_about_hosts(host)
    serve(host, port, workers, demo)
