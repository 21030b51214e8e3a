"""`quarterdeck feedback add | import | list | process | import-surveys`: the inbox at the terminal.

The operator acts as the system (like `quarterdeck import`): no user, changes audited as
"system". Other modules attach their commands to ``feedback_group`` (themes, demand, notify,
evaluate)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from quarterdeck.cli.base import cli, django_command, fail, note, out_console
from quarterdeck.cli.surveys import _report_table, _write_report  # the same import report

if TYPE_CHECKING:
    from quarterdeck.feedback.models import FeedbackItem
    from quarterdeck.feedback.pipeline import ProcessResult


@cli.group("feedback")
def feedback_group() -> None:
    """Customer voice: add and import feedback, list the inbox, process new items."""


def _process(ids: list[int]) -> ProcessResult:
    from quarterdeck.cli.progress import progress_bars
    from quarterdeck.feedback.pipeline import process_items

    with progress_bars() as progress:
        return process_items(ids, progress=progress)


def _say_processed(result: ProcessResult) -> None:
    out_console().print(
        f"Processed {result.items} items in {result.seconds:.1f} s: {result.embedded} embedded, "
        f"{result.reused} reused an identical text's embedding, {result.duplicates} possible "
        f"duplicates, {result.themed} placed in a theme, {result.suggested} link suggestions."
    )


@feedback_group.command("add")
@click.argument("text")
@click.option("--product", default=None, help="The product it is about ('Line/Product').")
@click.option(
    "--source",
    type=click.Choice(["form", "api", "support", "sales", "email"]),
    default="form",
    show_default=True,
)
@click.option("--account", default="", help="The account id (as in the revenue data).")
@click.option("--account-name", default="")
@click.option("--name", "submitter_name", default="", help="Who said it.")
@click.option("--email", "submitter_email", default="", help="Their e-mail address.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for more).")
@django_command
def add_command(text: str, product: str | None, **fields: Any) -> None:
    """Add one item and process it at once (duplicates, theme, suggested links)."""
    from quarterdeck.feedback.pipeline import model_notice
    from quarterdeck.feedback.services import feedback_create
    from quarterdeck.metrics.selectors import product_ids_named

    data: dict[str, Any] = {"text": text, **fields, "tags": list(fields["tags"])}
    if product:
        data["product_id"] = product_ids_named([product])[0]
    item = feedback_create(actor=None, data=data)
    theme = f", theme “{item.theme.name}”" if item.theme else ""
    out_console().print(f"Added feedback {item.pk} ({item.sentiment or 'no'} sentiment{theme}).")
    if notice := model_notice(item):
        note(notice, "yellow")


@feedback_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "pairs", multiple=True, required=True, help="CSV_COLUMN=field.")
@click.option(
    "--date-format",
    type=click.Choice(["auto", "dayfirst", "monthfirst", "iso"]),
    default="auto",
    show_default=True,
)
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows, report the others.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None)
@click.option("--no-process", is_flag=True, help="Leave processing to the worker.")
@django_command
def import_command(
    path: Path,
    pairs: tuple[str, ...],
    date_format: str,
    skip_invalid: bool,
    report_path: Path | None,
    no_process: bool,
) -> None:
    """Import feedback from a CSV file. Fields: text (required), product, account, account_name,
    submitter_name, submitter_email, received_at, tags, segment, source, external_id. Nothing
    is written when a row is bad, unless --skip-invalid."""
    from quarterdeck.feedback.importing import ImportRejected, feedback_import_csv, parse_mapping

    try:
        report = feedback_import_csv(
            actor=None, file=path.read_bytes(), mapping=parse_mapping(pairs),
            date_format=date_format, skip_invalid=skip_invalid, name=path.name,
            schedule=no_process,
        )  # fmt: skip
    except ImportRejected as exc:
        out_console().print(_report_table(exc.report))
        _write_report(report_path, exc.report)
        fail(exc.message)
    if report.skipped:
        out_console().print(_report_table(report))
    _write_report(report_path, report)
    out_console().print(
        f"{report.rows} rows: {report.created} imported, {report.updated} updated, "
        f"{report.skipped_rows} skipped (dates read {report.date_format})."
    )
    if not no_process:
        _say_processed(_process(report.item_ids))


def _row(item: FeedbackItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "received_at": item.received_at.isoformat(),
        "source": item.source,
        "status": item.status,
        "sentiment": item.sentiment,
        "product": item.product.name if item.product else "",
        "theme": item.theme.name if item.theme else "",
        "account": item.account_name or item.account,
        "votes": item.votes,
        "text": item.text,
    }


def _echo_csv(rows: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    names = list(rows[0]) if rows else list(_ROW_NAMES)
    writer = csv.DictWriter(buffer, fieldnames=names)
    writer.writeheader()
    writer.writerows(rows)
    click.echo(buffer.getvalue(), nl=False)


_ROW_NAMES = ("id", "received_at", "source", "status", "sentiment", "product", "theme", "text")


@feedback_group.command("list")
@click.option("--status", type=click.Choice(["new", "triaged", "linked", "closed"]), default=None)
@click.option("--source", default="", help="form, api, csv, survey, portal, support, …")
@click.option("--product", default=None, help="Only this product ('Line/Product').")
@click.option("--theme", "theme_id", type=int, default=None, help="Only this theme (id).")
@click.option("--search", "q", default="", help="Words in the text.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@django_command
def list_command(
    product: str | None, since: dt.datetime | None, limit: int, fmt: str, **filters: Any
) -> None:
    """The inbox, newest first."""
    from django.utils import timezone

    from quarterdeck.feedback.selectors import FeedbackFilters, filtered_feedback
    from quarterdeck.metrics.selectors import product_ids_named

    if product:
        filters["product_id"] = product_ids_named([product])[0]
    if since is not None:
        filters["since"] = timezone.make_aware(since)
    given = {name: value for name, value in filters.items() if value is not None}
    rows = [_row(i) for i in filtered_feedback(FeedbackFilters(**given))[:limit]]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        _echo_csv(rows)
    else:
        out_console().print(_list_table(rows))


def _list_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("id", "received", "source", "status", "sentiment", "product", "theme", "text")
    for row in rows:
        text = row["text"] if len(row["text"]) <= 80 else row["text"][:79] + "…"
        cells = (row["source"], row["status"], row["sentiment"], row["product"], row["theme"])
        table.add_row(str(row["id"]), row["received_at"][:10], *cells, text)
    return table


@feedback_group.command("process")
@click.option("--all", "everything", is_flag=True, help="Every item, not only unprocessed ones.")
@django_command
def process_command(everything: bool) -> None:
    """Embed, deduplicate, theme and suggest links for items not processed yet."""
    from quarterdeck.feedback.pipeline import all_ids, pending_ids

    ids = all_ids() if everything else pending_ids()
    if not ids:
        out_console().print("Nothing to process.")
        return
    _say_processed(_process(ids))


@feedback_group.command("import-surveys")
@click.option("--survey", "survey_name", default=None, help="Only this survey (its name).")
@click.option("--no-process", is_flag=True, help="Leave processing to the worker.")
@django_command
def import_surveys_command(survey_name: str | None, no_process: bool) -> None:
    """Bring survey answers' comments into the inbox (answers already in it are left alone)."""
    from quarterdeck.feedback.pipeline import pending_ids
    from quarterdeck.feedback.services import feedback_from_surveys
    from quarterdeck.surveys.selectors import survey_named

    survey_id = survey_named(survey_name).pk if survey_name else None
    created = feedback_from_surveys(actor=None, survey_id=survey_id, schedule=no_process)
    out_console().print(f"Added {created} survey verbatims to the inbox.")
    if created and not no_process:
        _say_processed(_process(pending_ids()))
