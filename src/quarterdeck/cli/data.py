"""Data at the command line: the demo company, export and import."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from quarterdeck.cli.base import cli, django_command, fail, note, out_console
from quarterdeck.cli.progress import progress_bars

if TYPE_CHECKING:
    from quarterdeck.transfer.schema import Issue
    from quarterdeck.transfer.services import ImportResult

SHOWN_ISSUES = 30


def logins_table() -> Table:
    from quarterdeck.demo.company import DEMO_PASSWORD, LOGINS

    # Narrow enough for an 80-column terminal: the shared password goes in the title.
    table = Table(title=f"Demo sign-ins — password for all: {DEMO_PASSWORD}")
    table.add_column("role", no_wrap=True, min_width=11)
    table.add_column("e-mail", no_wrap=True, min_width=34)
    table.add_column("who", no_wrap=True)
    for login in LOGINS:
        table.add_row(login.role, login.email, login.name)
    return table


def load_demo(*, events: bool = True) -> None:
    from quarterdeck.demo.events import demo_event_scale
    from quarterdeck.demo.services import demo_load

    if events:
        demo_event_scale()  # a bad QUARTERDECK_DEMO_EVENT_SCALE fails before anything is loaded
    with progress_bars() as progress:
        result = demo_load(progress=progress)
    if result.already_loaded:
        note("The demo company is already loaded; nothing changed.", "green")
    else:
        made = result.portfolio.created
        counts = (
            f"{made['people']} people, {made['lines']} product lines, "
            f"{made['products']} products, {made['features']} features, "
            f"{result.users_created} sign-ins"
        )
        note(f"Loaded the demo company Harborline: {counts}.", "green")
    load_demo_customers()
    if events:
        load_demo_events()
    load_demo_strategy()
    if events:  # like the events, the slow part (the model reads every item): --no-events skips it
        load_demo_feedback()
    load_demo_delivery()


def load_demo_customers() -> None:
    """Survey answers and subscriptions of Harborline's customers (the same accounts as the
    product events); running it again adds nothing."""
    from quarterdeck.revenue.demo import demo_revenue_ensure
    from quarterdeck.surveys.demo import demo_surveys_ensure

    answers = demo_surveys_ensure()
    subscriptions = demo_revenue_ensure()
    if answers or subscriptions:
        note(
            f"Demo customers: {answers:,} survey answers, {subscriptions:,} subscriptions.", "green"
        )


def load_demo_strategy() -> None:
    """Harborline's vision, pillars, outcomes and key results (targets aimed from the demo's
    data, so load it after the customers and events); running it again adds nothing."""
    from quarterdeck.strategy.demo import demo_strategy_ensure

    loaded = demo_strategy_ensure()
    if loaded is not None:
        note(
            f"Demo strategy: {loaded.outcomes} outcomes with {loaded.key_results} key results.",
            "green",
        )


def load_demo_feedback() -> None:
    """Harborline's customer feedback (from the same accounts), its themes, links, portals and
    survey verbatims (so load it after the customers); running it again adds nothing."""
    from quarterdeck.feedback.demo import demo_feedback_ensure

    with progress_bars() as progress:
        loaded = demo_feedback_ensure(progress=progress)
    if loaded is not None:
        note(
            f"Demo feedback: {loaded.items:,} items and {loaded.surveys:,} survey verbatims in "
            f"{loaded.themes} themes, {loaded.links:,} linked to features, "
            f"{loaded.votes:,} portal votes ({loaded.seconds:.0f} s).",
            "green",
        )


def load_demo_delivery() -> None:
    """Gates, scores, capacity and a saved scenario, the roadmap, launch plans and the
    post-launch checks of two launches (one that worked, one that did not); each step adds
    nothing when run again."""
    from quarterdeck.launches.demo_checks import demo_checks_ensure
    from quarterdeck.launches.demo_gates import demo_gates_ensure
    from quarterdeck.launches.demo_plans import demo_plans_ensure
    from quarterdeck.roadmap.demo_board import demo_board_ensure
    from quarterdeck.roadmap.demo_planning import demo_planning_ensure
    from quarterdeck.roadmap.demo_scoring import demo_scoring_ensure

    steps = (
        demo_gates_ensure,
        demo_scoring_ensure,
        demo_planning_ensure,
        demo_board_ensure,
        demo_plans_ensure,
        demo_checks_ensure,
    )
    for step in steps:
        summary = step()
        if summary:
            note(summary, "green")


def load_demo_events() -> None:
    from django.utils import timezone

    from quarterdeck.demo.events import demo_events_ensure
    from quarterdeck.demo.tracking import demo_tracking_ensure
    from quarterdeck.metrics.services import events_root

    source_ids = demo_tracking_ensure()
    with progress_bars() as progress:
        # Anchored at the same moment as the demo's stage histories, just loaded.
        result = demo_events_ensure(
            events_root(), now=timezone.now(), progress=progress, source_ids=source_ids
        )
    _after_demo_events()
    if not result.written:
        note("The demo product events are already there; nothing changed.", "green")
        return
    size = f"{result.bytes / 1_000_000:.0f} MB" if result.bytes >= 1_000_000 else "under 1 MB"
    note(
        f"Generated {result.events:,} demo product events ({size}) in {result.seconds:.0f} s "
        f"into {result.directory}.",
        "green",
    )


@cli.command()
@click.option(
    "--no-events",
    is_flag=True,
    help="Skip the six months of demo product events and the demo feedback (faster).",
)
@django_command
def demo(no_events: bool) -> None:
    """Load the demo company (Harborline) and its product events; running it again changes
    nothing. QUARTERDECK_DEMO_EVENT_SCALE scales the events (default 1, about four million) and
    the feedback (default about three thousand items)."""
    load_demo(events=not no_events)
    out_console().print(logins_table())


@cli.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (default: standard output). CSV is a zip of one file per table.",
)
@django_command
def export_command(fmt: str, out: Path | None) -> None:
    """Export the portfolio and the people (JSON, or a zip of CSV files)."""
    from quarterdeck.transfer.services import transfer_export

    if out is None and fmt == "csv" and sys.stdout.isatty():
        fail("The CSV export is a zip file: give --out FILE.zip or redirect the output.", code=2)
    with progress_bars() as progress:
        exported = transfer_export(actor=None, fmt=fmt, progress=progress)
    if out is None:
        sys.stdout.buffer.write(exported.content)
        sys.stdout.flush()
        return
    out.write_bytes(exported.content)
    note(f"Wrote {out} ({len(exported.content):,} bytes).", "green")


def issues_table(title: str, issues: list[Issue]) -> Table:
    table = Table("file", "row", "column", "problem", title=title)
    for issue in issues[:SHOWN_ISSUES]:
        table.add_row(issue.file, str(issue.row or ""), issue.column or "", issue.message)
    if len(issues) > SHOWN_ISSUES:
        table.add_row("…", "", "", f"and {len(issues) - SHOWN_ISSUES} more (see --report)")
    return table


def counts_table(result: ImportResult) -> Table:
    table = Table("table", "created", "already there", title="Imported")
    for entity, created in result.created.items():
        table.add_row(entity, str(created), str(result.unchanged.get(entity, 0)))
    return table


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows and skip the others.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write every bad or skipped row to this CSV file.",
)
@django_command
def import_command(path: Path, skip_invalid: bool, report: Path | None) -> None:
    """Import an export: a .json file, a .zip of CSV files, one CSV file or a folder of them.

    Every row is checked first; if any is wrong nothing is written (unless --skip-invalid).
    Rows whose name is already there are left unchanged.
    """
    from quarterdeck.transfer.report import report_csv
    from quarterdeck.transfer.services import transfer_import_path

    with progress_bars() as progress:
        result = transfer_import_path(path=path, skip_invalid=skip_invalid, progress=progress)
    console = out_console()
    if report is not None and result.issues:
        report.write_text(report_csv(result.errors, result.skipped, written=result.written))
    if not result.written:
        console.print(issues_table("Nothing was imported: fix these rows", result.errors))
        fail(f"{len(result.errors)} problem(s); nothing was written.")
    console.print(counts_table(result))
    if result.issues:
        console.print(issues_table("Skipped rows", result.issues))
        note(
            f"Skipped {len(result.issues)} row(s)." + (f" Report: {report}" if report else ""),
            "yellow",
        )


def _after_demo_events() -> None:
    """Saved insights for the demo, and the KPI snapshots and chart cache computed by the
    worker (`start` runs one) rather than making the first start wait for them."""
    import datetime as dt

    from quarterdeck.analytics.demo import demo_insights_ensure
    from quarterdeck.kpis.tasks import schedule_kpi_refresh

    demo_insights_ensure()
    schedule_kpi_refresh(delay=dt.timedelta(0))
