"""Product analytics at the command line: event sources (write keys) and events (compaction,
file imports)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from quarterdeck.cli.base import cli, django_command, fail, note, out_console
from quarterdeck.cli.progress import progress_bars

if TYPE_CHECKING:
    from quarterdeck.metrics.ingest.importing import ImportResult, Issue

SHOWN_ISSUES = 30


@cli.group()
def source() -> None:
    """Event sources: where product events come in, each with its write key."""


@source.command("create")
@click.argument("name")
@click.option(
    "--product",
    "products",
    multiple=True,
    help="A product it feeds (repeatable); 'Line/Product' when the name is not unique.",
)
@click.option(
    "--group-type",
    default="company",
    show_default=True,
    help="PostHog group type whose key is the account.",
)
@django_command
def source_create_command(name: str, products: tuple[str, ...], group_type: str) -> None:
    """Create a source and print its write key (only the key, so it can be piped)."""
    from quarterdeck.metrics.selectors import product_ids_named
    from quarterdeck.metrics.services import source_create

    data = {
        "name": name,
        "product_ids": product_ids_named(products),
        "account_group_type": group_type,
    }
    created = source_create(actor=None, data=data)
    click.echo(created.write_key)
    note(f"Created source {created.name} (id {created.pk}).", "green")


@source.command("list")
@django_command
def source_list_command() -> None:
    """List sources: id, name, products, write key, status."""
    from quarterdeck.metrics.models import Source

    table = Table("id")
    table.add_column("name", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("write key", no_wrap=True, min_width=36)  # whole, to copy
    table.add_column("products")
    table.add_column("group type")
    for item in Source.objects.prefetch_related("products"):
        products = ", ".join(product.name for product in item.products.all())
        status = "active" if item.is_active else "revoked"
        table.add_row(
            str(item.pk), item.name, status, item.write_key, products, item.account_group_type
        )
    out_console().print(table)


@source.command("revoke")
@click.argument("name")
@django_command
def source_revoke_command(name: str) -> None:
    """Revoke the write key of the source NAME (or id): ingestion with it stops at once."""
    from quarterdeck.metrics.selectors import source_by_name
    from quarterdeck.metrics.services import source_revoke

    revoked = source_revoke(actor=None, source_id=source_by_name(name).pk)
    note(f"Revoked the write key of {revoked.name}; requests with it now get 401.", "green")


@cli.group()
def events() -> None:
    """Product events: compaction into Parquet and file imports."""


@events.command("compact")
@django_command
def compact_command() -> None:
    """Move every received event into the Parquet files now (the worker does this too)."""
    from quarterdeck.metrics.services import events_flush, events_path

    result = events_flush()
    note(
        f"Compacted {result.received:,} received rows: {result.stored:,} new, "
        f"{result.duplicates:,} duplicates dropped, {len(result.days)} day(s) touched "
        f"in {events_path()}.",
        "green",
    )


def issues_table(title: str, issues: list[Issue]) -> Table:
    table = Table("row", "problem", title=title)
    for issue in issues[:SHOWN_ISSUES]:
        table.add_row(str(issue.row), issue.message)
    if len(issues) > SHOWN_ISSUES:
        table.add_row("…", f"and {len(issues) - SHOWN_ISSUES} more (see --report)")
    return table


def write_report(report: Path, issues: list[Issue]) -> None:
    import csv

    with report.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "problem"])
        writer.writerows([issue.row, issue.message] for issue in issues)


def show_result(result: ImportResult, report: Path | None) -> None:
    if report is not None and result.invalid:
        write_report(report, result.invalid)
    if not result.written:
        out_console().print(issues_table("Nothing was imported: fix these rows", result.invalid))
        fail(f"{len(result.invalid)} bad row(s) of {result.total:,}; nothing was written.")
    note(
        f"Imported {result.appended:,} of {result.total:,} rows: {result.stored:,} new events "
        f"stored, {result.duplicates:,} already there.",
        "green",
    )
    if result.invalid:
        out_console().print(issues_table("Skipped rows", result.invalid))
        where = f" Report: {report}" if report else ""
        note(f"Skipped {len(result.invalid)} bad row(s).{where}", "yellow")


PATH = click.Path(exists=True, dir_okay=False, path_type=Path)


@events.command("import")
@click.argument("path", type=PATH)
@click.option("--source", "source_name", required=True, help="The source the events belong to.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet"]),
    help="Default: from the file name (.jsonl/.ndjson/.json, .csv, .parquet).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=TARGET",
    help="Use COLUMN as TARGET: event_id, type, event, user_id, anonymous_id, "
    "account_id, time, properties, traits, properties.NAME, or - to ignore it.",
)
@click.option(
    "--time-format",
    default="iso",
    show_default=True,
    help="iso, epoch, epoch_ms, or a strptime format such as '%d/%m/%Y %H:%M'.",
)
@click.option(
    "--join",
    "joins",
    multiple=True,
    type=PATH,
    help="A detail file whose columns become properties of the event whose id is "
    "in its --join-key column (repeatable).",
)
@click.option("--join-key", default="id", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), help="Import only the first N records.")
@click.option("--skip-invalid", is_flag=True, help="Import the good rows and skip the bad ones.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write every bad row to this CSV file.",
)
@django_command
def import_command(
    path: Path,
    source_name: str,
    fmt: str | None,
    maps: tuple[str, ...],
    time_format: str,
    joins: tuple[Path, ...],
    join_key: str,
    limit: int | None,
    skip_invalid: bool,
    report: Path | None,
) -> None:
    """Import events from a file (Segment-style JSON lines, CSV or Parquet) into a source.

    Every row is checked first; if any is wrong nothing is written (unless --skip-invalid).
    Importing the same file again stores nothing twice.
    """
    from quarterdeck.metrics.ingest.files import FileProblem, file_format
    from quarterdeck.metrics.ingest.flat import parse_mapping
    from quarterdeck.metrics.ingest.importing import ImportSpec
    from quarterdeck.metrics.selectors import source_by_name
    from quarterdeck.metrics.services import events_import

    try:
        spec = ImportSpec(
            path,
            file_format(path, fmt),
            parse_mapping(list(maps), time_format),
            joins,
            join_key,
            limit,
        )
        target = source_by_name(source_name)
        with progress_bars() as progress:
            result = events_import(
                actor=None, source=target, spec=spec, skip_invalid=skip_invalid, progress=progress
            )
    except FileProblem as exc:
        fail(str(exc), code=2)
    show_result(result, report)
