"""`quarterdeck strategy vision show | set | sign` and `quarterdeck strategy pillar add | list |
link`: the vision, its sign-offs and the strategic pillars at the terminal. The operator acts
as the system; a sign-off is made with the designated signer's account (`--as EMAIL`)."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from quarterdeck.cli.base import cli, django_command, out_console


@cli.group()
def strategy() -> None:
    """The product vision with its CPO / CTO sign-offs, and the strategic pillars."""


@strategy.group()
def vision() -> None:
    """The vision statement, who signs it and who signed the current version."""


@vision.command("show")
@django_command
def vision_show() -> None:
    """The vision, its signers and the sign-offs of the current version."""
    from quarterdeck.strategy.selectors import current_sign_offs
    from quarterdeck.strategy.selectors import vision as current

    found = current(None)
    console = out_console()
    console.print(f"[bold]Vision[/bold] v{found.version} ({found.horizon or 'no horizon'})")
    console.print(found.statement or "(no statement yet)")
    for role, sign_off in current_sign_offs(None).items():
        signer = getattr(found, role)
        who = signer.name if signer is not None else "nobody designated"
        state = f"signed {sign_off.at:%Y-%m-%d}" if sign_off else "not signed"
        console.print(f"{role.upper()}: {who}, {state}")


@vision.command("set")
@click.option("--statement", default=None)
@click.option("--horizon", default=None, help="e.g. 2026-2028.")
@click.option("--cpo-email", default=None, help="The person who signs for the CPO role.")
@click.option("--cto-email", default=None, help="The person who signs for the CTO role.")
@django_command
def vision_set(
    statement: str | None, horizon: str | None, cpo_email: str | None, cto_email: str | None
) -> None:
    """Change the vision (a new statement asks for new sign-offs) or designate its signers."""
    from quarterdeck.strategy.selectors import person_by_email
    from quarterdeck.strategy.services import vision_update

    data: dict[str, Any] = {"statement": statement, "horizon": horizon}
    data = {name: value for name, value in data.items() if value is not None}
    for role, email in (("cpo", cpo_email), ("cto", cto_email)):
        if email is not None:
            data[f"{role}_id"] = person_by_email(email).pk if email else None
    found = vision_update(actor=None, data=data, expected_version=None)
    out_console().print(f"Vision saved (version {found.version}).")


@vision.command("sign")
@click.option("--role", type=click.Choice(["cpo", "cto"]), required=True)
@click.option("--as", "email", required=True, help="The designated signer's e-mail.")
@click.option("--note", default="")
@django_command
def vision_sign(role: str, email: str, note: str) -> None:
    """Sign the current version of the vision for a role."""
    from quarterdeck.cli.operator import user_by_email
    from quarterdeck.strategy.services import vision_sign as sign

    sign_off = sign(actor=user_by_email(email), role=role, note=note)
    out_console().print(f"{role.upper()} signed version {sign_off.vision_version}.")


@strategy.group()
def pillar() -> None:
    """Strategic pillars and the product lines and products serving them."""


@pillar.command("add")
@click.argument("name")
@click.option("--description", default="")
@django_command
def pillar_add(name: str, description: str) -> None:
    """Add a pillar (at the end)."""
    from quarterdeck.strategy.services import pillar_create

    found = pillar_create(actor=None, data={"name": name, "description": description})
    out_console().print(f"Added pillar {found.name!r} (id {found.pk}).")


@pillar.command("list")
@django_command
def pillar_list() -> None:
    """The pillars with the lines and products serving them."""
    from quarterdeck.strategy.selectors import list_pillars

    table = Table("id", "pillar", "lines", "products")
    for found in list_pillars(None):
        lines = ", ".join(line.name for line in found.lines.all())
        products = ", ".join(product.name for product in found.products.all())
        table.add_row(str(found.pk), found.name, lines, products)
    out_console().print(table)


@pillar.command("link")
@click.argument("name")
@click.option("--line", "lines", multiple=True, help="A product line's name (repeat).")
@click.option("--product", "products", multiple=True, help="'Product' or 'Line/Product'.")
@django_command
def pillar_link(name: str, lines: tuple[str, ...], products: tuple[str, ...]) -> None:
    """Set the lines and products serving a pillar (replaces the current ones)."""
    from quarterdeck.metrics.selectors import product_ids_named
    from quarterdeck.revenue.metrics import subject_named
    from quarterdeck.strategy.selectors import pillar_named
    from quarterdeck.strategy.services import pillar_links_set

    line_ids = [subject.pk for line in lines if (subject := subject_named(None, line))]
    found = pillar_links_set(
        actor=None,
        pillar_id=pillar_named(name).pk,
        line_ids=line_ids,
        product_ids=product_ids_named(products),
        expected_version=None,
    )
    out_console().print(
        f"{found.name}: {len(line_ids)} line(s), {len(products)} product(s) serve it."
    )
