"""`quarterdeck surveys create | import | results | sync`: surveys at the terminal.

The operator acts as the system (like `quarterdeck import`): no user, changes audited as
"system"."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from quarterdeck.cli.base import cli, django_command, fail, note, out_console

if TYPE_CHECKING:
    from quarterdeck.surveys.importing import ImportReport
    from quarterdeck.surveys.metrics import Summary
    from quarterdeck.surveys.selectors import ResultRow


@cli.group()
def surveys() -> None:
    """NPS, CSAT and CES surveys: create them, import answers, read the results."""


@surveys.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice(["nps", "csat", "ces"]), required=True)
@click.option("--product", default=None, help="The product it is about ('Line/Product').")
@click.option("--scale", default=None, help="CSAT/CES only: LOW-HIGH, e.g. 1-10.")
@click.option("--question", default="", help="The question as asked.")
@django_command
def create_command(
    name: str, kind: str, product: str | None, scale: str | None, question: str
) -> None:
    """Create a survey."""
    from quarterdeck.surveys.services import survey_create_system

    data: dict[str, Any] = {"name": name, "kind": kind, "question": question}
    if scale:
        low, _, high = scale.partition("-")
        if not (low.strip().lstrip("-").isdigit() and high.strip().isdigit()):
            fail(f"--scale {scale!r}: write it as LOW-HIGH, e.g. 1-10.", code=2)
        data |= {"scale_min": int(low), "scale_max": int(high)}
    survey = survey_create_system(data=data, product_name=product)
    out_console().print(
        f"Created survey {survey.name!r} (id {survey.pk}, {survey.kind}, "
        f"scale {survey.scale_min}-{survey.scale_max})."
    )


def _report_table(report: ImportReport) -> Table:
    table = Table("row", "column", "reason", title=f"{report.skipped_rows} invalid rows")
    for error in report.skipped[:50]:
        table.add_row(str(error.row), error.column, error.reason)
    if len(report.skipped) > 50:
        table.add_row("…", "", f"{len(report.skipped) - 50} more (see --report)")
    return table


def _write_report(path: Path | None, report: ImportReport) -> None:
    if path is not None:
        path.write_text(json.dumps(report.as_dict(), indent=2, default=str) + "\n")
        note(f"Report written to {path}.")


@surveys.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--survey", "survey_name", required=True, help="The survey's name.")
@click.option("--map", "pairs", multiple=True, required=True, help="CSV_COLUMN=field.")
@click.option(
    "--date-format",
    type=click.Choice(["auto", "dayfirst", "monthfirst", "iso"]),
    default="auto",
    show_default=True,
)
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows, report the others.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None)
@django_command
def import_command(
    path: Path,
    survey_name: str,
    pairs: tuple[str, ...],
    date_format: str,
    skip_invalid: bool,
    report_path: Path | None,
) -> None:
    """Import answers from a CSV file. Fields: score, answered_at, comment, respondent, account,
    segment, stage, product, external_id. Nothing is written when a row is bad, unless
    --skip-invalid."""
    from quarterdeck.cli.progress import progress_bars
    from quarterdeck.surveys.importing import ImportRejected, parse_mapping, survey_import
    from quarterdeck.surveys.selectors import survey_named

    survey = survey_named(survey_name)
    try:
        with progress_bars() as progress:
            report = survey_import(
                actor=None,
                survey_id=survey.pk,
                content=path.read_bytes(),
                file=path.name,
                mapping=parse_mapping(pairs),
                date_format=date_format,
                skip_invalid=skip_invalid,
                progress=progress,
            )
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


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _result_dicts(overall: Summary, rows: list[ResultRow]) -> list[dict[str, Any]]:
    fields = ("count", "value", "mean", "share_positive", "positive", "neutral", "negative")
    entries = [("(all)", overall), *((r.key, r.summary) for r in rows)]
    return [{"key": key, **{f: getattr(s, f) for f in fields}} for key, s in entries]


@surveys.command("results")
@click.argument("name")
@click.option(
    "--by", type=click.Choice(["period", "product", "segment", "stage"]), default="period"
)
@click.option("--grain", type=click.Choice(["day", "week", "month", "quarter"]), default="month")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@django_command
def results_command(name: str, by: str, grain: str, fmt: str) -> None:
    """A survey's score overall and by period, product, segment or journey stage."""
    from quarterdeck.surveys.selectors import (
        check_breakdown,
        survey_breakdown,
        survey_named,
        survey_summary,
    )

    survey = survey_named(name)
    by_, grain_ = check_breakdown(by, grain)
    rows = _result_dicts(survey_summary(survey), survey_breakdown(survey, by_, grain=grain_))
    if fmt == "json":
        click.echo(json.dumps({"survey": survey.name, "kind": survey.kind, "rows": rows}, indent=2))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        out_console().print(_results_table(survey.name, survey.kind, by, rows))


def _results_table(name: str, kind: str, by: str, rows: list[dict[str, Any]]) -> Table:
    headline = {"nps": "NPS", "csat": "CSAT (top-2)", "ces": "CES (mean)"}[kind]
    table = Table(by, "answers", headline, "mean", "positive", "neutral", "negative", title=name)
    for row in rows:
        value = _number(row["value"], 1 if kind == "nps" else 2)
        cells = [str(row["positive"]), str(row["neutral"]), str(row["negative"])]
        table.add_row(row["key"], str(row["count"]), value, _number(row["mean"], 2), *cells)
    return table


@surveys.command("sync")
@django_command
def sync_command() -> None:
    """Read survey answers from the stored events now (the worker does it after compactions)."""
    from quarterdeck.surveys.events import surveys_sync_events

    result = surveys_sync_events()
    if not result.surveys:
        fail("No survey has an event mapping (event name and score property).")
    table = Table("survey", "events", "created", "updated", "invalid")
    for run in result.surveys:
        table.add_row(
            run.survey, str(run.events), str(run.created), str(run.updated), str(run.invalid)
        )
    out_console().print(table)
