"""`quarterdeck metrics warehouse check`: can the metrics read the configured events table?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from quarterdeck.cli.base import django_command, fail, note, out_console
from quarterdeck.cli.metrics_run import metrics

if TYPE_CHECKING:
    from quarterdeck.metrics.warehouse_check import WarehouseCheck


@metrics.group()
def warehouse() -> None:
    """Warehouse mode: metrics read the company's own events table (docs/warehouse.md)."""


@warehouse.command("check")
@django_command
def warehouse_check_command() -> None:
    """Connect, read every mapped column, and count the rows and their time range.

    Exit code 0 when metrics can read the table, 1 otherwise (each problem names the column
    and the fix); 2 for a malformed QUARTERDECK_EVENTS_* variable.
    """
    from quarterdeck.metrics.warehouse_check import check_configured

    report = check_configured()
    note(f"Metrics read {report.where}.")
    show(report)
    if not report.ok:
        fail("The warehouse cannot be used as configured: fix the problems above.")
    if report.embedded:
        note("Warehouse mode is off (QUARTERDECK_EVENTS_WAREHOUSE is not set).", "green")
    else:
        note("The warehouse is ready: every metric reads it.", "green")


def show(report: WarehouseCheck) -> None:
    console = out_console()
    if report.columns:
        console.print(columns_table(report))
    if report.rows is not None:
        console.print(summary_table(report))
    for problem in report.problems:
        console.print(Text(f"✗ {problem}", style="red"))
    for warning in report.warnings:
        console.print(Text(f"! {warning}", style="yellow"))


def columns_table(report: WarehouseCheck) -> Table:
    table = Table("column", "reads", "type", "status", title="Columns")
    for column in report.columns:
        reads = column.expression if column.mapped else f"{column.expression} (not mapped)"
        # Text, not markup: error messages contain brackets ([UNRESOLVED_COLUMN] …).
        status = Text("ok", "green") if column.problem is None else Text(column.problem, "red")
        table.add_row(column.name, Text(reads), column.sql_type or "?", status)
    return table


def summary_table(report: WarehouseCheck) -> Table:
    table = Table("rows", "first event", "last event", "rows by type", title="Rows")
    kinds = ", ".join(f"{kind}: {count:,}" for kind, count in report.row_types) or "—"
    first = report.first.isoformat(sep=" ") if report.first else "—"
    last = report.last.isoformat(sep=" ") if report.last else "—"
    table.add_row(f"{report.rows:,}", first, last, kinds)
    return table
