"""`quarterdeck feedback themes | demand | notify`: themes, the demand ranking and closing the
loop at the terminal. The operator acts as the system (no user; audited as "system")."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from quarterdeck.cli.base import django_command, fail, note, out_console
from quarterdeck.cli.feedback import feedback_group

if TYPE_CHECKING:
    from quarterdeck.feedback.demand import DemandRow
    from quarterdeck.feedback.models import Theme
    from quarterdeck.portfolio.models import Feature


@feedback_group.group("themes", invoke_without_command=True)
@click.pass_context
def themes_group(ctx: click.Context) -> None:
    """Themes of the inbox: list (the default), recluster, rename, merge, split."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(themes_list)


def _theme(theme_id: int) -> Theme:
    from quarterdeck.feedback.models import Theme

    found = Theme.objects.filter(pk=theme_id).first()
    if found is None:
        fail(
            f"There is no theme with id {theme_id}; `quarterdeck feedback themes list` lists them."
        )
    return found


def _print_themes(themes: list[Theme], title: str) -> None:
    table = Table("id", "name", "items", "keywords", title=title)
    for t in themes:
        name = t.name + ("" if t.renamed or t.name == t.auto_label else f" ({t.auto_label})")
        table.add_row(str(t.pk), name, str(t.size), ", ".join(t.keywords[:6]))
    out_console().print(table)


@themes_group.command("list")
@django_command
def themes_list() -> None:
    """Every theme, largest first."""
    from quarterdeck.feedback.themes import list_themes

    _print_themes(list_themes(None), "Themes")


@themes_group.command("recluster")
@django_command
def themes_recluster_command() -> None:
    """Group every embedded item anew (renamed themes keep their names)."""
    from quarterdeck.feedback.themes import themes_recluster

    run = themes_recluster(progress=note)
    out_console().print(f"{run.items} items in {run.themes} themes ({run.seconds:.1f} s).")


@themes_group.command("rename")
@click.argument("theme_id", type=int)
@click.argument("name")
@django_command
def themes_rename(theme_id: int, name: str) -> None:
    """Give a theme a name that re-clustering keeps."""
    from quarterdeck.feedback.themes import theme_rename

    theme = theme_rename(actor=None, theme=_theme(theme_id), name=name)
    out_console().print(f"Theme {theme.pk} is now {theme.name!r}.")


@themes_group.command("merge")
@click.argument("theme_ids", type=int, nargs=-1, required=True)
@click.option("--name", default="", help="The merged theme's name (default: its new label).")
@django_command
def themes_merge(theme_ids: tuple[int, ...], name: str) -> None:
    """Merge two or more themes into the largest."""
    from quarterdeck.feedback.themes import theme_merge

    merged = theme_merge(actor=None, themes=[_theme(pk) for pk in theme_ids], name=name)
    out_console().print(f"Merged into theme {merged.pk} {merged.name!r} ({merged.size} items).")


@themes_group.command("split")
@click.argument("theme_id", type=int)
@django_command
def themes_split(theme_id: int) -> None:
    """Split a theme in two or more by re-clustering its items."""
    from quarterdeck.feedback.themes import theme_split

    _print_themes(theme_split(actor=None, theme=_theme(theme_id)), "Split into")


def _demand_json(rows: list[DemandRow]) -> str:
    def plain(row: DemandRow) -> dict[str, Any]:
        data = vars(row) | {"id": row.key}
        data["latest"] = row.latest.isoformat() if row.latest else None
        return data

    return json.dumps([plain(r) for r in rows], indent=2)


def _demand_table(rows: list[DemandRow], by: str) -> Table:
    table = Table(
        "#", by, "score", "items", "accounts", "MRR", "top segments", title=f"Demand by {by}"
    )
    for rank, r in enumerate(rows, start=1):
        name = f"{r.product} / {r.name}" if r.product else r.name
        segments = ", ".join(f"{k} {v:.1f}" for k, v in list(r.segments.items())[:3])
        revenue = "" if r.revenue is None else f"{r.revenue:,.0f}"
        table.add_row(
            str(rank), name, f"{r.score:.2f}", str(r.count), str(r.accounts), revenue, segments
        )
    return table


@feedback_group.command("demand")
@click.option("--by", type=click.Choice(["feature", "theme"]), default="feature", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--product", default=None, help="Only this product ('Line/Product' when ambiguous).")
@click.option("--line", default=None, help="Only this product line.")
@click.option("--segment", default=None, help="Only feedback from this customer segment.")
@django_command
def demand_command(
    by: str, fmt: str, product: str | None, line: str | None, segment: str | None
) -> None:
    """The demand ranking (the formula: docs/feedback-demand.md)."""
    from quarterdeck.feedback import demand
    from quarterdeck.portfolio.models import Product, ProductLine
    from quarterdeck.revenue.metrics import subject_named

    subject = subject_named(product, line)
    ranked = demand.demand_for_features if by == "feature" else demand.demand_for_themes
    rows = ranked(
        None,
        product=subject if isinstance(subject, Product) else None,
        line=subject if isinstance(subject, ProductLine) else None,
        segment=segment,
    )
    if fmt == "csv":
        click.echo(demand.demand_csv(rows), nl=False)
    elif fmt == "json":
        click.echo(_demand_json(rows))
    else:
        out_console().print(_demand_table(rows, by))


def _feature(ref: str) -> Feature:
    """A feature by id, by name, or as 'Product/Feature' when several share the name."""
    from quarterdeck.portfolio.models import Feature

    qs = Feature.objects.select_related("product")
    if ref.strip().isdigit():
        found = list(qs.filter(pk=int(ref)))
    else:
        product, _, name = ref.rpartition("/")
        found = list(qs.filter(name__iexact=name.strip()))
        if product:
            found = [f for f in found if f.product.name.lower() == product.strip().lower()]
    if not found:
        fail(f"There is no feature {ref!r}; give its id or its name ('Product/Feature').")
    if len(found) > 1:
        fail(f"Several features are named {ref!r}; write it as 'Product/Feature' or use the id.")
    return found[0]


@feedback_group.command("notify")
@click.argument("feature")
@click.option("--preview/--send", default=True, help="Show the mails (default) or send them.")
@click.option("--subject", default="", help="The subject ($feature, $product, $name work).")
@click.option("--body", default="", help="The body ($name, $feature, $product, $items work).")
@click.option("--force", is_flag=True, help="Send again although a notice was already sent.")
@django_command
def notify_command(feature: str, preview: bool, subject: str, body: str, force: bool) -> None:
    """Tell everyone who asked for FEATURE that it shipped (it must be at launch or later)."""
    from quarterdeck.feedback.loop import loop_preview, loop_send

    found = _feature(feature)
    if not preview:
        notice = loop_send(actor=None, feature=found, subject=subject, body=body, force=force)
        out_console().print(f"Sent {len(notice.recipients)} mails: {notice.subject!r}.")
        return
    shown = loop_preview(feature=found, subject=subject, body=body)
    console = out_console()
    for message in shown.messages:
        console.print(f"[bold]To:[/] {message.email}\n[bold]Subject:[/] {message.subject}\n")
        console.print(message.body, markup=False, highlight=False)
    state = "ready to send (--send)" if shown.launched else "not launched yet: cannot be sent"
    note(f"{len(shown.messages)} recipients; {state}.")
