"""What every command shares: the group, Django set-up, loud failures, Rich consoles."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import NoReturn

import click
from rich.console import Console

from quarterdeck.lib.env import ConfigError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quarterdeck")
def cli() -> None:
    """Quarterdeck: the self-hosted command deck for product leaders.

    Configure with QUARTERDECK_* environment variables (see the README); start with
    `quarterdeck start --demo`.
    """


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one red line on stderr and exit: 2 for configuration and usage, 1 otherwise."""
    click.secho(message, fg="red", err=True)
    raise SystemExit(code)


def note(message: str, color: str | None = None) -> None:
    click.secho(message, fg=color, err=True)


def err_console() -> Console:
    return Console(stderr=True)


PIPE_WIDTH = 160


def out_console() -> Console:
    """Standard output. Into a pipe or a file (no terminal, no COLUMNS), tables are laid out
    PIPE_WIDTH wide rather than Rich's 80, so names and keys stay whole on one line for grep
    and copy (and a table's layout does not depend on how wide an id happens to be)."""
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPE_WIDTH
    return console


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quarterdeck.settings")
    import django

    try:
        django.setup()
    except ConfigError as exc:
        fail(f"Configuration error: {exc}", code=2)


def django_command[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Set Django up first; turn configuration and domain errors into one red line."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from quarterdeck.lib.errors import DomainError

        setup_django()
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            fail(f"Configuration error: {exc}", code=2)
        except DomainError as exc:
            fail(exc.message)

    return run
