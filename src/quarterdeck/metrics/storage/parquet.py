"""The Parquet side: the Arrow schema of the events table, reading spool files into Arrow, and
replacing one partition file atomically (temp file, fsync, rename over)."""

from __future__ import annotations

import io
import json
import logging
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from quarterdeck.metrics.engine.schema import EVENT_COLUMNS
from quarterdeck.metrics.storage.spool import fsync_dir

log = logging.getLogger(__name__)

ARROW_TYPES = {"VARCHAR": pa.string(), "TIMESTAMP": pa.timestamp("us", tz="UTC")}
BATCH_KEY = b"quarterdeck.batch"
PART_MAX_ROWS = 1_000_000  # a partition's last file is rewritten until it holds this many rows
PART_GLOB = "part-*.parquet"
OWN_PART = re.compile(r"part-\d{5}\.parquet")


def arrow_schema() -> pa.Schema:
    return pa.schema(
        [pa.field(c.name, ARROW_TYPES[c.sql_type], nullable=c.nullable) for c in EVENT_COLUMNS]
    )


def _spool_schema() -> pa.Schema:
    """As written to the spool: times are integer microseconds."""
    return pa.schema(
        [
            pa.field(c.name, pa.int64() if c.sql_type == "TIMESTAMP" else pa.string())
            for c in EVENT_COLUMNS
        ]
    )


def _parse_lines(body: bytes, name: str) -> pa.Table:
    options = pa_json.ParseOptions(
        explicit_schema=_spool_schema(), unexpected_field_behavior="error"
    )
    try:
        return pa_json.read_json(io.BytesIO(body), parse_options=options)
    except pa.ArrowInvalid:
        return _parse_slowly(body, name)


def _parse_slowly(body: bytes, name: str) -> pa.Table:
    """Line by line, for a file the fast reader refuses: bad lines are logged and skipped.
    Only a torn last line can be bad (a process died mid-write, before it answered)."""
    rows = []
    for number, line in enumerate(body.splitlines(), start=2):
        try:
            rows.append(json.loads(line))
        except ValueError:
            log.error("Spool file %s: line %d is not a whole row; skipped.", name, number)
    return pa.Table.from_pylist(rows, schema=_spool_schema())


def read_spool(path: Path) -> pa.Table:
    """The rows of one spool file, typed as the events table."""
    data = path.read_bytes()
    _, _, body = data.partition(b"\n")  # the header line names the columns
    if not body.endswith(b"\n"):
        torn = body.rfind(b"\n") + 1
        log.warning("Spool file %s ends in a torn line (never acknowledged); dropped.", path)
        body = body[:torn]
    table = _parse_lines(body, path.name) if body else _spool_schema().empty_table()
    return table.cast(arrow_schema())


def partition_dir(root: Path, day: str) -> Path:
    return root / f"date={day}"


def part_files(folder: Path) -> list[Path]:
    """The numbered part files compaction writes. Others (e.g. the demo's part-demo.parquet)
    are part of the table too, but compaction never rewrites them."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob(PART_GLOB) if OWN_PART.fullmatch(path.name))


def batch_of(path: Path) -> int | None:
    metadata = pq.read_schema(path).metadata or {}
    value = metadata.get(BATCH_KEY)
    return int(value) if value is not None else None


def _next_part(folder: Path, parts: list[Path]) -> Path:
    number = int(parts[-1].stem.removeprefix("part-")) + 1 if parts else 0
    return folder / f"part-{number:05d}.parquet"


def write_day(root: Path, day: str, new_rows: pa.Table, batch: int) -> None:
    """Add rows to a date partition: rewrite its last file (or start a new one when full)."""
    folder = partition_dir(root, day)
    folder.mkdir(parents=True, exist_ok=True)
    parts = part_files(folder)
    target = _next_part(folder, parts)
    table = new_rows
    if parts and pq.read_metadata(parts[-1]).num_rows + new_rows.num_rows <= PART_MAX_ROWS:
        target = parts[-1]
        table = pa.concat_tables([pq.read_table(target, schema=arrow_schema()), new_rows])
    table = table.sort_by("time").replace_schema_metadata({BATCH_KEY: str(batch).encode()})
    _replace(target, table)


def _replace(target: Path, table: pa.Table) -> None:
    temp = target.with_name(f".{target.name}.tmp")  # not matched by part-*.parquet
    pq.write_table(table, temp, compression="zstd")
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, target)
    fsync_dir(target.parent)


def day_written(root: Path, day: str, batch: int) -> bool:
    """Has this batch already written its rows of this day (found after a crash)?"""
    parts = part_files(partition_dir(root, day))
    return bool(parts) and batch_of(parts[-1]) == batch
