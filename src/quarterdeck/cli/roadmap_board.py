"""`quarterdeck roadmap show | place | export | views list | share | revoke`: the roadmap at
the terminal. The operator acts as the system (no user; changes audited as "system").
Features and lines are named by id or by name."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from quarterdeck.cli.base import django_command, fail, out_console
from quarterdeck.cli.roadmap import roadmap_group

if TYPE_CHECKING:
    from quarterdeck.roadmap.board_selectors import RoadmapItem


def _date(raw: str | None, name: str) -> dt.date | None:
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        fail(f"--{name}: expected a date YYYY-MM-DD, got {raw!r}.", code=2)


def _items(line: str | None, view_id: int | None = None) -> tuple[list[RoadmapItem], Any]:
    from quarterdeck.roadmap.board_selectors import roadmap_items
    from quarterdeck.roadmap.board_validation import clean_filters
    from quarterdeck.roadmap.models import RoadmapView
    from quarterdeck.roadmap.planning_selectors import line_named

    view = None
    if view_id is not None:
        view = RoadmapView.objects.filter(pk=view_id).first()
        if view is None:
            fail(f"There is no roadmap view with id {view_id}.")
        filters = clean_filters(view.filters or {})
    else:
        filters = clean_filters({"line_id": line_named(line).pk if line else None})
    return roadmap_items(None, filters=filters, include_unplaced=False), view


def _table(items: list[RoadmapItem]) -> Table:
    table = Table("Lane", "#", "Feature", "Product", "Stage", "Start", "End", "Score", "Needs")
    for item in items:
        entry = item.entry
        assert entry is not None
        table.add_row(
            entry.get_lane_display(), str(entry.position + 1), item.feature.name,
            item.feature.product.name, item.feature.stage, str(entry.start or "—"),
            str(entry.end or "—"), "—" if item.score is None else f"{item.score:.1f}",
            ", ".join(n.name for n in item.needs) + (" ⚠" if item.warnings else ""),
        )  # fmt: skip
    return table


@roadmap_group.command("show")
@click.option("--line", default=None, help="Only this product line (id or name).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True,
)  # fmt: skip
@django_command
def show_command(line: str | None, fmt: str) -> None:
    """The now / next / later roadmap, in lane order."""
    from quarterdeck.roadmap.board_api import item_data
    from quarterdeck.roadmap.export import roadmap_csv

    items, _ = _items(line)
    if fmt == "json":
        click.echo(json.dumps([item_data(i) for i in items], indent=2, default=str))
    elif fmt == "csv":
        click.echo(roadmap_csv(items), nl=False)
    else:
        out_console().print(_table(items))


@roadmap_group.command("place")
@click.argument("feature")
@click.option("--lane", type=click.Choice(["now", "next", "later"]), required=True)
@click.option("--position", type=click.IntRange(min=1), default=None, help="1 = the top.")
@click.option("--start", default=None, help="Planned start, YYYY-MM-DD.")
@click.option("--end", default=None, help="Planned end, YYYY-MM-DD.")
@django_command
def place_command(
    feature: str, lane: str, position: int | None, start: str | None, end: str | None
) -> None:
    """Put FEATURE (id or name) on the roadmap, or move it."""
    from quarterdeck.roadmap.board import entry_place
    from quarterdeck.roadmap.planning_selectors import feature_named

    found = feature_named(feature)
    entry = entry_place(
        actor=None, feature_id=found.pk, lane=lane,
        position=None if position is None else position - 1,
        start=_date(start, "start"), end=_date(end, "end"),
    )  # fmt: skip
    dates = f", {entry.start} → {entry.end}" if entry.start and entry.end else ""
    out_console().print(
        f"“{found.name}” is in {entry.get_lane_display()} at position {entry.position + 1}{dates}."
    )


@roadmap_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "png", "pdf"]), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--view", "view_id", type=int, default=None, help="A saved view's id.")
@click.option("--line", default=None, help="Only this product line (without --view).")
@click.option("--layout", type=click.Choice(["board", "timeline"]), default=None)
@django_command
def export_command(
    fmt: str, out: Path, view_id: int | None, line: str | None, layout: str | None
) -> None:
    """Write the roadmap (or a saved view) to FILE as CSV, PNG or PDF."""
    from quarterdeck.roadmap import export

    items, view = _items(line, view_id)
    title = view.name if view is not None else "Roadmap"
    chosen = layout or (view.layout if view is not None else "board")
    grain = (view.filters or {}).get("grain", "quarter") if view is not None else "quarter"
    if fmt == "csv":
        out.write_text(export.roadmap_csv(items), encoding="utf-8")
    elif fmt == "png":
        out.write_bytes(export.roadmap_png(items, layout=chosen, grain=grain, title=title))
    else:
        out.write_bytes(export.roadmap_pdf(items, layout=chosen, grain=grain, title=title))
    out_console().print(f"Wrote {out} ({out.stat().st_size:,} bytes, {len(items)} initiatives).")


@roadmap_group.group("views")
def views_group() -> None:
    """Saved roadmap views."""


@views_group.command("list")
@django_command
def views_list_command() -> None:
    """Every saved view (the operator sees all, private ones included)."""
    from quarterdeck.roadmap.models import RoadmapView

    table = Table("Id", "Name", "Layout", "Shared", "Owner", "Active links")
    for view in RoadmapView.objects.select_related("owner"):
        links = [link for link in view.share_links.all() if _live(link)]
        table.add_row(
            str(view.pk), view.name, view.layout, "yes" if view.shared else "no",
            str(view.owner or "system"), str(len(links)),
        )  # fmt: skip
    out_console().print(table)


def _live(link: Any) -> bool:
    from quarterdeck.roadmap.sharing import link_is_live

    return link_is_live(link)


@roadmap_group.command("share")
@click.argument("view_id", type=int)
@click.option("--expires-days", type=click.IntRange(1, 366), default=None)
@click.option("--label", default="", help="Who the link is for.")
@django_command
def share_command(view_id: int, expires_days: int | None, label: str) -> None:
    """Create a signed link to VIEW_ID and print its path (shown once)."""
    from django.urls import reverse

    from quarterdeck.roadmap.board import link_create

    link, token = link_create(actor=None, view_id=view_id, label=label, expires_days=expires_days)
    click.echo(reverse("share:view", args=[token]))
    expiry = f"expires {link.expires_at:%Y-%m-%d %H:%M}" if link.expires_at else "no expiry"
    click.secho(f"Link {link.pk} ({expiry}); revoke with `quarterdeck roadmap revoke {link.pk}`.",
                err=True)  # fmt: skip


@roadmap_group.command("revoke")
@click.argument("link_id", type=int)
@django_command
def revoke_command(link_id: int) -> None:
    """Revoke a share link: its URL stops working at once."""
    from quarterdeck.roadmap.board import link_revoke

    link = link_revoke(actor=None, link_id=link_id)
    out_console().print(
        f"Link {link.pk} of view {link.view_id} revoked at {link.revoked_at:%Y-%m-%d %H:%M}."
    )
