"""Accounts at the command line: createuser, token create / list / revoke."""

from __future__ import annotations

import sys

import click
from rich.table import Table

from quarterdeck.cli.base import cli, django_command, fail, note, out_console

ROLES_HELP = "admin, leader, manager, member, contributor or viewer"


def read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("--password-stdin: standard input had no password on its first line.", code=2)
        return password
    if sys.stdin.isatty():
        value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        return value
    return None


@cli.command()
@click.argument("email")
@click.option("--role", required=True, help=f"One of {ROLES_HELP}.")
@click.option("--name", default="", help="The person's name, as shown in Quarterdeck.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@django_command
def createuser(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a user account (asks for the password in a terminal)."""
    from quarterdeck.accounts.services import user_create

    password = read_password(password_stdin)
    data = {"email": email, "role": role.strip().lower(), "name": name, "password": password}
    user = user_create(actor=None, data=data)
    note(f"Created {user.role} {user.email} (id {user.pk}).", "green")
    if password is None:
        note("No password set: this account can sign in with API tokens only.", "yellow")


@cli.group()
def token() -> None:
    """Personal access tokens for the API."""


@token.command("create")
@click.argument("email")
@click.option("--name", default="cli", help="What the token is for, e.g. 'ci'.")
@django_command
def token_create_command(email: str, name: str) -> None:
    """Create a token for EMAIL and print it (only the token, so it can be piped)."""
    from quarterdeck.accounts.services import token_create
    from quarterdeck.cli.operator import user_by_email

    user = user_by_email(email)
    # actor=None: the operator at the command line, recorded as "system" in the audit log.
    _, raw = token_create(actor=None, user=user, name=name)
    click.echo(raw)


@token.command("list")
@click.argument("email", required=False)
@django_command
def token_list_command(email: str | None) -> None:
    """List tokens (of EMAIL, or everyone's): id, owner, name, prefix, last use, revoked."""
    from quarterdeck.cli.operator import all_tokens

    table = Table("id", "user", "name", "prefix", "created", "last used", "revoked")
    for item in all_tokens(email):
        table.add_row(
            str(item.pk),
            item.user.email,
            item.name,
            item.prefix + "…",
            f"{item.created_at:%Y-%m-%d %H:%M}",
            f"{item.last_used_at:%Y-%m-%d %H:%M}" if item.last_used_at else "",
            f"{item.revoked_at:%Y-%m-%d %H:%M}" if item.revoked_at else "",
        )
    out_console().print(table)


@token.command("revoke")
@click.argument("token_id", metavar="ID", type=int)
@django_command
def token_revoke_command(token_id: int) -> None:
    """Revoke the token with this ID (see `quarterdeck token list`)."""
    from quarterdeck.accounts.services import token_revoke
    from quarterdeck.cli.operator import token_by_id

    found = token_by_id(token_id)
    token_revoke(actor=None, token_id=found.pk)
    note(f"Revoked token {found.pk} ({found.name}) of {found.user.email}.", "green")
