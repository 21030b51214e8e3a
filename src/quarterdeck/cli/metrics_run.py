"""`quarterdeck metrics run`: compute a metric over the embedded event store, as JSON or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import click

from quarterdeck.cli.base import cli, django_command, fail


@cli.group()
def metrics() -> None:
    """Product metrics, computed as METRICS_SPEC.md defines them."""


def _where(pairs: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r}: expected KEY=VALUE.", param_hint="--where")
        found[key] = value
    return found


@metrics.command("run")
@click.argument("kind", metavar="KIND")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option(
    "--event",
    "events",
    multiple=True,
    help="An event name; steps of a funnel, or "
    "start and return events of a retention, in order ('*' = any activity).",
)
@click.option("--where", multiple=True, help="KEY=VALUE property condition (feature adoption).")
@click.option(
    "--measure",
    default="dau",
    show_default=True,
    help="dau, wau, mau, stickiness, wau_mau or active (active users).",
)
@click.option("--grain", default="day", show_default=True, help="day, week or month.")
@click.option("--actor", default="user", show_default=True, help="user or account.")
@click.option("--mode", help="retention: on | on_or_after; funnel: ordered | strict | unordered.")
@click.option("--periods", default=7, show_default=True, help="Retention periods.")
@click.option("--window-days", default=14, show_default=True, help="Funnel conversion window.")
@click.option("--denominator", default="active", show_default=True, help="active, eligible, all.")
@click.option("--breakdown", help="Break down by this event property.")
@click.option("--time-zone", default="UTC", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@django_command
def metrics_run_command(
    kind: str, start: dt.datetime, end: dt.datetime, fmt: str, **options: object
) -> None:
    """Compute KIND (active-users, active-days, feature-adoption, retention, lifecycle or
    funnel) over the embedded event store, from --from to --to (both days included)."""
    from quarterdeck.metrics.engine import DefinitionError
    from quarterdeck.metrics.insights import definition, run_on_event_store

    options["where"] = _where(options.pop("where"))  # type: ignore[arg-type]
    options = {key: value for key, value in options.items() if value is not None}
    try:
        metric = definition(kind, start=start.date(), end=end.date(), options=options)
    except (DefinitionError, ValueError, TypeError) as exc:
        fail(str(exc))
    click.echo(_render(run_on_event_store(metric), fmt), nl=False)


def _render(rows: list[dict[str, object]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=2, default=str) + "\n"
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()
