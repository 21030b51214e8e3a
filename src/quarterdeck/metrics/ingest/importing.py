"""Importing event files into a source: check every record first, then write.

All or nothing: with any bad record nothing is written (every problem is reported, with its
record number), unless ``skip_invalid`` — then the good records are written and the bad ones
reported. Records without an id get one derived from their content, so importing the same file
again stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quarterdeck.lib.progress import Progress
from quarterdeck.metrics.ingest import files, flat, segment
from quarterdeck.metrics.ingest.common import Context, Reject, timestamp

APPEND_LINES = 5000
FILE_EVENT_BYTES = 1024 * 1024  # files are not bound by Segment's 32 KB wire limit


@dataclass(frozen=True)
class ImportSpec:
    path: Path
    fmt: str
    columns: flat.ColumnMap
    joins: tuple[Path, ...] = ()
    join_key: str = "id"
    limit: int | None = None


@dataclass(frozen=True)
class Issue:
    row: int
    message: str


@dataclass
class ImportResult:
    total: int = 0
    written: bool = False
    appended: int = 0  # rows handed to storage
    stored: int = 0  # rows new to the events table (after deduplication)
    duplicates: int = 0
    invalid: list[Issue] = field(default_factory=list)


def _segment_line(record: dict[str, Any], columns: flat.ColumnMap, ctx: Context) -> bytes:
    renamed = {columns.columns.get(k, k): v for k, v in record.items()}
    if not any(timestamp(renamed.get(n), n) for n in ("originalTimestamp", "timestamp")):
        raise Reject("the message has no timestamp")
    return segment.message_row(renamed, segment.Shared(), ctx)


def converter(spec: ImportSpec, ctx: Context) -> Callable[[Any], bytes]:
    joined = load_joins(spec)

    def convert(record: Any) -> bytes:
        if isinstance(record, files.BadRecord):
            raise Reject(record.reason)
        if not isinstance(record, dict):
            raise Reject("a record must be a JSON object")
        if spec.fmt == "jsonl":
            return _segment_line(record, spec.columns, ctx)
        return flat.flat_row(record, spec.columns, ctx, joined)

    return convert


def load_joins(spec: ImportSpec) -> dict[str, dict[str, Any]]:
    """Properties from detail files, by event id (their ``join_key`` column)."""
    found: dict[str, dict[str, Any]] = {}
    for path in spec.joins:
        for _, record in files.records(path, files.file_format(path, None)):
            if not isinstance(record, dict) or record.get(spec.join_key) in (None, ""):
                continue
            extra = {
                k: v
                for k, v in record.items()
                if k != spec.join_key and v not in (None, "", "null")
            }
            found.setdefault(str(record[spec.join_key]), {}).update(extra)
    return found


def _converted(
    spec: ImportSpec, convert: Callable[[Any], bytes], progress: Progress
) -> Iterator[tuple[int, bytes | Issue]]:
    for number, record in files.records(spec.path, spec.fmt, spec.limit):
        try:
            yield number, convert(record)
        except Reject as refusal:
            yield number, Issue(number, refusal.reason)
        progress.advance()


def check(spec: ImportSpec, ctx: Context, progress: Progress) -> ImportResult:
    result = ImportResult(total=files.count_records(spec.path, spec.fmt, spec.limit))
    progress.start("checking", result.total)
    for _, item in _converted(spec, converter(spec, ctx), progress):
        if isinstance(item, Issue):
            result.invalid.append(item)
    return result


def write(
    spec: ImportSpec,
    ctx: Context,
    result: ImportResult,
    append: Callable[[bytes], None],
    progress: Progress,
) -> None:
    progress.start("importing", result.total)
    pending: list[bytes] = []
    for _, item in _converted(spec, converter(spec, ctx), progress):
        if isinstance(item, bytes):
            pending.append(item)
        if len(pending) >= APPEND_LINES:
            append(b"".join(pending))
            result.appended += len(pending)
            pending = []
    if pending:
        append(b"".join(pending))
        result.appended += len(pending)
    result.written = True


def import_context(source_id: int, group_type: str, max_past_days: int) -> Context:
    return Context(
        source_id=str(source_id),
        group_type=group_type,
        received_at=dt.datetime.now(dt.UTC),
        max_past=dt.timedelta(days=max_past_days),
        max_event_bytes=FILE_EVENT_BYTES,
    )
