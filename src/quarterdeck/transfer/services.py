"""Export the portfolio and the people to a file, and import such a file: every row is checked
before anything is written, and an import is one transaction.

``actor=None`` is the operator at the command line (or the demo loader); people on the web and
the API must be leaders or admins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import InvalidInput, NotAllowed
from quarterdeck.lib.progress import NoProgress, Progress
from quarterdeck.transfer import csvfile, exporting, jsonfile, reading
from quarterdeck.transfer.entries import Plan
from quarterdeck.transfer.planning import plan_rows
from quarterdeck.transfer.schema import ENTITIES, FileProblem, Issue, Tables
from quarterdeck.transfer.writing import Writer

FORMATS = {"json": ("json", "application/json"), "csv": ("zip", "application/zip")}


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


@dataclass
class ImportResult:
    """What an import did. ``written`` is False when nothing at all was written."""

    written: bool
    created: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [*self.errors, *self.skipped]


def may_transfer(user: User) -> bool:
    return rules.changes_everything(user)


def _require(actor: User | None) -> None:
    if actor is not None and not may_transfer(actor):
        raise NotAllowed("Only leaders and admins import and export the portfolio.")


def export_tables(progress: Progress | None = None) -> exporting.Export:
    progress = progress or NoProgress()
    progress.start("Reading", len(ENTITIES))
    paths = exporting.line_paths()
    tables = {"teams": exporting.export_teams()}
    progress.advance()
    tables["people"] = exporting.export_people()
    progress.advance()
    tables |= exporting.export_portfolio(paths)
    progress.advance(3)
    tables["stage_changes"] = exporting.export_stage_changes(paths)
    progress.advance()
    return tables


def transfer_export(
    *, actor: User | None, fmt: str, progress: Progress | None = None
) -> ExportFile:
    _require(actor)
    if fmt not in FORMATS:
        raise InvalidInput(
            f"Unknown export format {fmt!r}; use json or csv.",
            fields={"format": ["Use json or csv."]},
        )
    tables = export_tables(progress)
    extension, content_type = FORMATS[fmt]
    content = jsonfile.dump(tables) if fmt == "json" else csvfile.dump_zip(tables)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return ExportFile(f"quarterdeck-export-{stamp}.{extension}", content_type, content)


def transfer_import(
    *,
    actor: User | None,
    filename: str,
    content: bytes,
    skip_invalid: bool,
    progress: Progress | None = None,
) -> ImportResult:
    """Import an uploaded file (.json, .zip of CSV files, or one CSV file)."""
    _require(actor)
    try:
        tables = reading.read_upload(filename, content)
    except FileProblem as problem:
        return ImportResult(written=False, errors=problem.issues)
    return transfer_import_tables(
        actor=actor, tables=tables, skip_invalid=skip_invalid, progress=progress
    )


def transfer_import_path(
    *, path: Path, skip_invalid: bool, progress: Progress | None = None
) -> ImportResult:
    """Import a file or a folder of CSV files, as the operator (command line)."""
    try:
        tables = reading.read_path(path)
    except FileProblem as problem:
        return ImportResult(written=False, errors=problem.issues)
    return transfer_import_tables(
        actor=None, tables=tables, skip_invalid=skip_invalid, progress=progress
    )


def transfer_import_tables(
    *,
    actor: User | None,
    tables: Tables,
    skip_invalid: bool,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row, then write the new ones (all, or with ``skip_invalid`` the valid ones)."""
    _require(actor)
    progress = progress or NoProgress()
    with transaction.atomic():
        progress.start("Checking", 1)
        plan = plan_rows(tables)
        progress.advance()
        errors = [issue for entries in plan.values() for entry in entries for issue in entry.issues]
        if errors and not skip_invalid:
            return ImportResult(written=False, errors=errors)
        # An export always has the stage history table; a hand-made file usually has none.
        Writer(plan, actor, progress, with_history="stage_changes" in tables).write()
    return _result(plan, errors)


def _result(plan: Plan, errors: list[Issue]) -> ImportResult:
    result = ImportResult(written=True, errors=errors)
    for entity, entries in plan.items():
        result.created[entity] = sum(1 for entry in entries if entry.new)
        result.unchanged[entity] = sum(1 for entry in entries if entry.ok and not entry.new)
        result.skipped.extend(entry.skip for entry in entries if entry.skip is not None)
    return result


def report_name(now: dt.datetime | None = None) -> str:
    return (
        f"quarterdeck-import-report-{(now or timezone.localtime()).strftime('%Y-%m-%d-%H%M')}.csv"
    )
