"""`quarterdeck revenue import|metrics|rate|delete-*`: subscriptions and revenue figures at the
terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from quarterdeck.cli.base import cli, django_command, fail, note, out_console

DATE = click.DateTime(["%Y-%m-%d"])


@cli.group()
def revenue() -> None:
    """Customers and subscriptions, and MRR, ARR, churn, NRR per product and line."""


@revenue.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Write the good rows, report the bad ones.")
@click.option(
    "--report", type=click.Path(dir_okay=False, path_type=Path), help="Write problems as CSV here."
)
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="OURS=THEIRS",
    help="Map a column, e.g. customer=Client.",
)
@django_command
def import_command(
    path: Path, skip_invalid: bool, report: Path | None, mappings: tuple[str, ...]
) -> None:
    """Import a Stripe-style subscriptions CSV at PATH (all or nothing, unless --skip-invalid)."""
    from quarterdeck.cli.progress import progress_bars
    from quarterdeck.revenue.importing import revenue_import

    mapping = dict(_pair(m) for m in mappings)
    with progress_bars() as progress:
        result = revenue_import(
            actor=None, content=path.read_bytes(), filename=path.name,
            skip_invalid=skip_invalid, mapping=mapping, progress=progress,
        )  # fmt: skip
    for issue in result.errors[:50]:
        note(str(issue), "red")
    if report is not None and result.errors:
        report.write_text(result.report(), encoding="utf-8")
        note(f"Report: {report}")
    summary = result.summary()
    click.echo(json.dumps({k: v for k, v in summary.items() if k != "errors"}))
    if not result.written:
        fail(f"Nothing imported: {len(result.errors)} problem(s); fix them or use --skip-invalid.")


def _pair(text: str) -> tuple[str, str]:
    ours, sep, theirs = text.partition("=")
    if not sep or not ours.strip() or not theirs.strip():
        fail(f"--map {text!r}: write it as OURS=THEIRS, e.g. customer=Client.", code=2)
    return ours.strip(), theirs.strip()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _render(points: list[dict[str, Any]], fmt: str, title: str) -> None:
    rows = [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in p.items()} for p in points
    ]
    columns = list(rows[0]) if rows else ["start", "end", "value"]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        table = Table(*columns, title=title)
        for row in rows:
            table.add_row(*(_cell(v) for v in row.values()))
        out_console().print(table)


@revenue.command("metrics")
@click.option(
    "--metric",
    default="mrr",
    show_default=True,
    help="mrr, arr, movements, nrr, grr, gross_mrr_churn, net_mrr_churn, logo_churn, "
    "quick_ratio, customers, …",
)
@click.option("--product", help="Only this product ('Line/Product' when ambiguous).")
@click.option("--line", help="Only this product line (and its sub-lines).")
@click.option("--from", "start", type=DATE, help="First day (default: 11 months before --to).")
@click.option("--to", "end", type=DATE, help="Last day (default: today).")
@click.option(
    "--grain", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@django_command
def metrics_command(
    metric: str, product: str | None, line: str | None, start: dt.datetime | None,
    end: dt.datetime | None, grain: str, fmt: str,
) -> None:  # fmt: skip
    """One revenue metric per period, in the reporting currency."""
    from quarterdeck.revenue.metrics import default_range, metric_points, subject_named
    from quarterdeck.revenue.selectors import reporting_currency

    subject = subject_named(product, line)
    first, last = default_range(start.date() if start else None, end.date() if end else None)
    points = metric_points(None, metric, subject, first, last, grain)
    title = f"{subject or 'All products'} · {metric} ({reporting_currency()})"
    _render(points, fmt, title)


@revenue.command("delete-subscription")
@click.argument("subscription_id", metavar="ID", type=click.IntRange(min=1))
@django_command
def delete_subscription_command(subscription_id: int) -> None:
    """Delete the subscription ID (and its items), e.g. one entered by mistake."""
    from quarterdeck.revenue.delete_services import subscription_delete

    subscription_delete(actor=None, subscription_id=subscription_id, expected_version=None)
    click.echo(f"Deleted subscription {subscription_id}.")


@revenue.command("delete-customer")
@click.argument("customer_id", metavar="ID", type=click.IntRange(min=1))
@django_command
def delete_customer_command(customer_id: int) -> None:
    """Delete the customer ID; refused while it has subscriptions."""
    from quarterdeck.revenue.delete_services import customer_delete

    customer_delete(actor=None, customer_id=customer_id, expected_version=None)
    click.echo(f"Deleted customer {customer_id}.")


@revenue.group("rate")
def rate() -> None:
    """Exchange rates into the reporting currency."""


@rate.command("set")
@click.argument("currency")
@click.argument("value", metavar="RATE")
@click.option("--from", "valid_from", type=DATE, help="Valid from this day (default: always).")
@django_command
def rate_set_command(currency: str, value: str, valid_from: dt.datetime | None) -> None:
    """Set 1 CURRENCY = RATE units of the reporting currency, e.g. `revenue rate set EUR 1.08`."""
    from quarterdeck.revenue.selectors import reporting_currency
    from quarterdeck.revenue.services import rate_set

    try:
        amount = Decimal(value)
    except InvalidOperation:
        fail(f"RATE {value!r} is not a number (e.g. 1.08).", code=2)
    found = rate_set(
        actor=None,
        currency=currency,
        rate=amount,
        valid_from=valid_from.date() if valid_from else None,
    )
    rate_text = f"{found.rate.normalize()} {reporting_currency()}"
    click.echo(f"1 {found.currency} = {rate_text} from {found.valid_from}")


@rate.command("list")
@django_command
def rate_list_command() -> None:
    """The exchange rates, newest first per currency."""
    from quarterdeck.revenue.selectors import list_rates, reporting_currency

    table = Table("currency", "rate", f"in {reporting_currency()}", "valid from")
    for found in list_rates(None):
        table.add_row(
            found.currency, str(found.rate.normalize()), reporting_currency(), str(found.valid_from)
        )
    out_console().print(table)
