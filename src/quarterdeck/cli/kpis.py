"""`quarterdeck kpis refresh` and `quarterdeck kpis show`: the KPI snapshots at the terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from quarterdeck.cli.base import cli, django_command, fail, out_console

if TYPE_CHECKING:
    from quarterdeck.kpis.selectors import KpiPoint
    from quarterdeck.kpis.services import RefreshResult


@cli.group()
def kpis() -> None:
    """KPI snapshots per product, feature and day (DAU, WAU, MAU, stickiness, adoption)."""


def _refresh_table(result: RefreshResult) -> Table:
    table = Table("product", "kind", "days", "rows", "seconds", "problem")
    for run in result.products:
        days = f"{run.start} → {run.end}"
        kind = "full" if run.full else "incremental"
        table.add_row(run.product, kind, days, str(run.rows), f"{run.seconds:.2f}", run.error or "")
    for name in result.forgotten:
        table.add_row(name, "removed", "", "0", "", "no longer tracked")
    return table


@kpis.command("refresh")
@click.option("--full", is_flag=True, help="Recompute the whole history, not only new days.")
@click.option("--product", "names", multiple=True, help="Only this product ('Line/Product').")
@django_command
def refresh_command(full: bool, names: tuple[str, ...]) -> None:
    """Refresh the KPI snapshots now (in the foreground), from the event store."""
    from quarterdeck.cli.progress import progress_bars
    from quarterdeck.kpis.services import kpis_refresh
    from quarterdeck.metrics.selectors import product_ids_named
    from quarterdeck.portfolio.models import Product

    products = Product.objects.filter(pk__in=product_ids_named(names)) if names else None
    with progress_bars() as progress:
        result = kpis_refresh(products=products, full=full, progress=progress)
    if not result.products and not result.forgotten:
        fail("No tracked product: give products event sources (or tracking conditions) first.")
    out_console().print(_refresh_table(result))
    if result.errors:
        fail(f"{len(result.errors)} product(s) could not be refreshed; their KPIs are unchanged.")


def _rows(points: list[KpiPoint]) -> list[dict[str, Any]]:
    return [
        {
            "day": p.day.isoformat(),
            "value": p.value,
            "numerator": p.numerator,
            "denominator": p.denominator,
        }
        for p in points
    ]


def _render(rows: list[dict[str, Any]], fmt: str, title: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["day", "value", "numerator", "denominator"])
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        table = Table("day", "value", "numerator", "denominator", title=title)
        for row in rows:
            table.add_row(*(("" if v is None else f"{v:g}" if isinstance(v, float) else str(v))
                            for v in row.values()))  # fmt: skip
        out_console().print(table)


@kpis.command("show")
@click.argument("product_name", metavar="PRODUCT")
@click.option("--metric", default="dau", show_default=True, help="dau, wau, mau, stickiness, …")
@click.option("--feature", help="A feature of the product (feature metrics).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@django_command
def show_command(
    product_name: str,
    metric: str,
    feature: str | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    fmt: str,
) -> None:
    """The daily snapshots of one metric of PRODUCT (default: the last 90 refreshed days)."""
    from quarterdeck.kpis.selectors import feature_named, kpi_series
    from quarterdeck.metrics.selectors import product_ids_named

    product_id = product_ids_named([product_name])[0]
    feature_id = feature_named(product_id, feature) if feature else None
    points = kpi_series(
        None,
        product_id,
        metric,
        feature_id=feature_id,
        start=start.date() if start else None,
        end=end.date() if end else None,
    )
    _render(_rows(points), fmt, f"{product_name} · {metric}")
