"""`quarterdeck metrics run`: compute an insight on the instance's engine, as JSON or CSV.

It goes through the same query parser and service as the API and the analytics pages
(analytics.queries.parse_query, analytics.services.insight_run), so all three give the same
numbers. It acts as the operator at the command line: every product, no role check — like
`quarterdeck source create` and `quarterdeck events import`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from quarterdeck.cli.base import cli, django_command


@cli.group()
def metrics() -> None:
    """Product metrics, computed as METRICS_SPEC.md defines them."""


@metrics.command("run")
@click.argument("kind", metavar="KIND")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (included).")
@click.option("--last-days", type=int, help="The N days ending today, instead of --from/--to.")
@click.option(
    "--product",
    help="Scope to this product's tracking (its sources and conditions); "
    "'Line/Product' when the name is not unique.",
)
@click.option(
    "--feature",
    "features",
    multiple=True,
    help="A portfolio feature, by its usage definition (repeatable: funnel steps, one adoption "
    "bar each, ...). Implies its product.",
)
@click.option(
    "--event",
    "events",
    multiple=True,
    help="An event name; steps of a funnel, or "
    "start and return events of a retention, in order ('*' = any activity).",
)
@click.option("--where", multiple=True, help="KEY=VALUE property condition on the --event(s).")
@click.option(
    "--measure",
    help="dau (default), wau, mau, stickiness, wau_mau or active; several comma-separated.",
)
@click.option("--grain", help="day (default), week or month.")
@click.option("--actor", help="user (default) or account.")
@click.option("--mode", help="retention: on | on_or_after; funnel: ordered | strict | unordered.")
@click.option("--periods", type=int, help="Retention periods (default 7).")
@click.option("--window-days", type=int, help="Funnel conversion window (default 14).")
@click.option("--denominator", help="active (default) or all.")
@click.option("--min-uses", type=int, help="Feature adoption: uses needed (default 1).")
@click.option("--cohort-type", help="Retention: first_time (default) or recurring.")
@click.option(
    "--breakdown", help="An event property; or feature (the product's features), account, plan."
)
@click.option("--time-zone", help="IANA zone of the calendar days (default UTC).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@django_command
def metrics_run_command(
    kind: str,
    product: str | None,
    features: tuple[str, ...],
    fmt: str,
    **options: Any,
) -> None:
    """Compute KIND (active-users, active-days, feature-adoption, retention, lifecycle or
    funnel) from --from to --to (both days included), as JSON rows or CSV."""
    from quarterdeck.analytics.export import rows_csv
    from quarterdeck.analytics.queries import parse_query
    from quarterdeck.analytics.selectors import feature_ids_named
    from quarterdeck.analytics.services import insight_run
    from quarterdeck.metrics.selectors import product_ids_named

    data: dict[str, Any] = {"kind": kind, **_plain(options)}
    if product:
        data["product_id"] = product_ids_named([product])[0]
    if features:
        data["features"], data["product_id"] = feature_ids_named(features, data.get("product_id"))
    outcome = insight_run(None, parse_query(data))
    text = rows_csv(outcome.rows) if fmt == "csv" else _json(outcome.rows)
    click.echo(text, nl=False)


def _plain(options: dict[str, Any]) -> dict[str, Any]:
    """Given options only, as the API would receive them (dates as YYYY-MM-DD)."""
    data = {name: value for name, value in options.items() if value not in (None, ())}
    for name in ("start", "end"):
        if isinstance(data.get(name), dt.datetime):
            data[name] = data[name].date().isoformat()
    for name in ("events", "where"):
        if name in data:
            data[name] = list(data[name])
    return data


def _json(rows: list[dict[str, object]]) -> str:
    return json.dumps(rows, indent=2, default=str) + "\n"
