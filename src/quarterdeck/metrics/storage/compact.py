"""Compaction: spooled rows → date-partitioned Parquet, each (source_id, event_id) once.

One compaction at a time (a flock on <events dir>/compact.lock). Each round:

1. claim: open a batch in the journal, move spool files into spool/batch-<id>/ (a rename, then
   an exclusive flock that waits for writes in flight — see spool.py);
2. read the claimed rows, keep the first received of each key, drop keys stored by earlier
   batches (the index), record the remaining keys under this batch;
3. write each touched date partition (temp file, fsync, rename) tagged with the batch id;
4. mark the batch done, then delete its spool files.

A crash anywhere leaves either unclaimed spool files (claimed next time) or an open batch, which
the next compaction finishes: the rows are read again from its spool files, the keys recorded
under its own id are kept, and a partition whose last file already carries its id is skipped.
Nothing is lost (spool files go last) and nothing is stored twice.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from quarterdeck.metrics.storage import index, parquet
from quarterdeck.metrics.storage.spool import SUFFIX, fsync_dir, spool_dir

LOCK = "compact.lock"
Index = duckdb.DuckDBPyConnection
BATCH_BYTES = 256 * 1024 * 1024  # spool bytes claimed per round, to bound memory
MAX_ROUNDS = 1000


@dataclass
class CompactResult:
    batches: int = 0
    received: int = 0  # rows read from the spool
    stored: int = 0  # rows added to the events table
    duplicates: int = 0  # rows dropped because their key was already stored
    days: set[str] = field(default_factory=set)


@contextmanager
def compaction_lock(root: Path, *, wait: bool) -> Iterator[bool]:
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock


def compact(root: Path, *, wait: bool = True) -> CompactResult | None:
    """Move every spooled row into Parquet; None when another compaction holds the lock and
    ``wait`` is false."""
    with compaction_lock(root, wait=wait) as locked:
        if not locked:
            return None
        result = CompactResult()
        fresh_index = not index.index_path(root).exists()
        with index.open_index(root) as db:
            if fresh_index:
                rebuild_index(root, db)
            for unfinished in index.open_batches(db):
                _process(root, db, unfinished, result)
            for _ in range(MAX_ROUNDS):
                claimed = claim(root, db)
                if claimed is None:
                    break
                _process(root, db, claimed, result)
        return result


def batch_dir(root: Path, batch: int) -> Path:
    return spool_dir(root) / f"batch-{batch}"


def _wait_for_writers(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    finally:
        os.close(fd)


def claim(root: Path, db: Index) -> int | None:
    """Open a batch holding (up to BATCH_BYTES of) the spool files; None when there are none."""
    folder = spool_dir(root)
    files = (
        sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime)
        if folder.is_dir()
        else []
    )
    if not files:
        return None
    batch = index.new_batch(db)
    target = batch_dir(root, batch)
    target.mkdir()
    claimed = 0
    for path in files:
        if claimed >= BATCH_BYTES:
            break
        moved = target / path.name
        os.rename(path, moved)
        _wait_for_writers(moved)
        claimed += moved.stat().st_size
    fsync_dir(target)
    fsync_dir(folder)
    return batch


def _read_batch(root: Path, batch: int) -> pa.Table:
    folder = batch_dir(root, batch)
    files = sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []
    tables = [parquet.read_spool(path) for path in files]
    return pa.concat_tables(tables) if tables else parquet.arrow_schema().empty_table()


def _by_day(rows: pa.Table) -> Iterator[tuple[str, pa.Table]]:
    """The rows of each UTC day, in time order (one sort, then slices)."""
    rows = rows.sort_by("time")
    offset = 0
    for item in pc.value_counts(pc.strftime(rows["time"], format="%Y-%m-%d")):
        count = item["counts"].as_py()
        yield item["values"].as_py(), rows.slice(offset, count)
        offset += count


def _process(root: Path, db: Index, batch: int, result: CompactResult) -> None:
    received = _read_batch(root, batch)
    new = index.new_rows(db, received, batch)
    index.record(db, new, batch)
    for day, rows in _by_day(new):
        if not parquet.day_written(root, day, batch):  # else: done before a crash
            parquet.write_day(root, day, rows, batch)
            result.stored += rows.num_rows
        result.days.add(day)
    index.finish_batch(db, batch, new.num_rows)
    shutil.rmtree(batch_dir(root, batch), ignore_errors=True)
    result.batches += 1
    result.received += received.num_rows
    result.duplicates += received.num_rows - new.num_rows


def rebuild_index(root: Path, db: Index) -> int:
    """Record the keys of every stored row (the index file was new or lost), and continue the
    batch numbers after those the files carry, so no file is mistaken for a new batch's."""
    files = sorted(root.glob(f"date=*/{parquet.PART_GLOB}"))
    if not files:
        return 0
    count = index.record_files(db, str(root / "date=*" / parquet.PART_GLOB))
    index.skip_batches(db, max(parquet.batch_of(path) or 0 for path in files))
    return count
