"""The spool and the compaction: the Parquet layout and types, exactly-once under crashes and
duplicates, and concurrent writers in several processes."""

from __future__ import annotations

import multiprocessing
import os
import uuid
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from quarterdeck.metrics.engine.schema import EVENT_COLUMN_NAMES
from quarterdeck.metrics.storage import index, parquet
from quarterdeck.metrics.storage.compact import compact
from quarterdeck.metrics.storage.rows import EventRow, encode_row
from quarterdeck.metrics.storage.spool import Spool, backlog_bytes, spool_dir
from tests.metrics.ingest import workers
from tests.metrics.ingest.workers import row


def append(root: Path, *rows: EventRow) -> None:
    Spool(root).append(b"".join(encode_row(r) for r in rows))


def crash_now(*args: object) -> None:
    raise SystemExit("power cut")


def count(root: Path) -> tuple[int, int]:
    """(rows, distinct keys) over every Parquet file, as the engine reads them."""
    pattern = str(root / "date=*" / "*.parquet")
    query = f"SELECT count(*), count(DISTINCT (source_id, event_id)) FROM read_parquet('{pattern}')"  # noqa: S608
    ((rows, keys),) = duckdb.connect().execute(query).fetchall()
    return int(rows), int(keys)


def test_layout_and_column_types(tmp_path: Path) -> None:
    append(tmp_path, row("a"), row("b", day=1), row("c", day=1))
    result = compact(tmp_path)

    assert result is not None
    assert (result.stored, result.days) == (3, {"2024-03-01", "2024-03-02"})
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("date=*/*"))
    assert files == ["date=2024-03-01/part-00000.parquet", "date=2024-03-02/part-00000.parquet"]
    schema = pq.read_schema(tmp_path / files[1])
    assert tuple(schema.names) == EVENT_COLUMN_NAMES
    assert schema.field("time").type == pa.timestamp("us", tz="UTC")
    assert schema.field("received_at").type == pa.timestamp("us", tz="UTC")
    texts = [name for name in EVENT_COLUMN_NAMES if name not in {"time", "received_at"}]
    assert {schema.field(name).type for name in texts} == {pa.string()}
    assert not list(spool_dir(tmp_path).iterdir())  # the spool is emptied
    assert backlog_bytes(tmp_path) == 0


def test_the_first_received_copy_is_kept(tmp_path: Path) -> None:
    late = row("a", received=60)
    late["event"] = "Late copy"
    append(tmp_path, late, row("a", received=1))
    compact(tmp_path)
    retry = row("a", received=120)
    retry["event"] = "Retry"
    append(tmp_path, retry)
    result = compact(tmp_path)

    assert result is not None
    assert (result.stored, result.duplicates) == (0, 1)
    events = (
        duckdb.connect()
        .execute(f"SELECT event FROM read_parquet('{tmp_path}/date=*/*.parquet')")  # noqa: S608
        .fetchall()
    )
    assert events == [("Clicked",)]


def test_keys_are_per_source(tmp_path: Path) -> None:
    append(tmp_path, row("a", source="1"), row("a", source="2"))
    compact(tmp_path)
    assert count(tmp_path) == (2, 2)


def test_rewrites_only_touched_partitions_and_adds_to_them(tmp_path: Path) -> None:
    append(tmp_path, row("a"), row("b", day=5))
    compact(tmp_path)
    untouched = tmp_path / "date=2024-03-06" / "part-00000.parquet"
    before = untouched.stat().st_mtime_ns
    append(tmp_path, row("c"))
    compact(tmp_path)
    assert untouched.stat().st_mtime_ns == before
    assert pq.read_metadata(tmp_path / "date=2024-03-01" / "part-00000.parquet").num_rows == 2


def test_a_full_part_file_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet, "PART_MAX_ROWS", 2)
    for name in ("a", "b", "c"):
        append(tmp_path, row(name))
        compact(tmp_path)
    names = sorted(p.name for p in (tmp_path / "date=2024-03-01").glob("*.parquet"))
    assert names == ["part-00000.parquet", "part-00001.parquet"]
    assert count(tmp_path) == (3, 3)


def test_crash_after_the_partition_is_written_before_the_spool_is_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    append(tmp_path, row("a"), row("b", day=1))

    def crash(*args: object, **kwargs: object) -> None:
        raise SystemExit("power cut")

    monkeypatch.setattr(index, "finish_batch", crash)
    with pytest.raises(SystemExit):
        compact(tmp_path)
    assert count(tmp_path) == (2, 2)  # the partitions were written...
    assert backlog_bytes(tmp_path) > 0  # ...and the claimed spool file is still there
    monkeypatch.undo()
    append(tmp_path, row("a"), row("c"))  # and more arrived meanwhile, one a duplicate

    result = compact(tmp_path)

    assert result is not None
    assert result.stored == 1
    assert count(tmp_path) == (3, 3)
    assert backlog_bytes(tmp_path) == 0


def test_crash_between_two_partitions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    append(tmp_path, row("a"), row("b", day=1))
    real_write = parquet.write_day
    written: list[str] = []

    def write_one_then_crash(root: Path, day: str, rows: pa.Table, batch: int) -> None:
        if written:
            raise SystemExit("power cut")
        written.append(day)
        real_write(root, day, rows, batch)

    monkeypatch.setattr(parquet, "write_day", write_one_then_crash)
    with pytest.raises(SystemExit):
        compact(tmp_path)
    monkeypatch.undo()
    assert count(tmp_path) == (1, 1)

    compact(tmp_path)

    assert count(tmp_path) == (2, 2)


def test_crash_while_writing_a_partition_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    append(tmp_path, row("a"))
    compact(tmp_path)
    append(tmp_path, row("b"))
    monkeypatch.setattr(os, "replace", crash_now)
    with pytest.raises(SystemExit):
        compact(tmp_path)
    monkeypatch.undo()
    assert count(tmp_path) == (1, 1)  # readers never saw a half-written file

    compact(tmp_path)
    assert count(tmp_path) == (2, 2)


def test_a_torn_last_line_is_dropped_and_the_rest_kept(tmp_path: Path) -> None:
    append(tmp_path, row("a"))
    (spool_file,) = spool_dir(tmp_path).glob("*.ndjson")
    with spool_file.open("ab") as handle:  # a process died in the middle of a write
        handle.write(encode_row(row("b"))[:40])
    compact(tmp_path)
    assert count(tmp_path) == (1, 1)


def test_a_lost_index_is_rebuilt_from_the_parquet_files(tmp_path: Path) -> None:
    append(tmp_path, row("a"))
    compact(tmp_path)
    (tmp_path / "index.duckdb").unlink()
    append(tmp_path, row("a"), row("b"))
    compact(tmp_path)
    assert count(tmp_path) == (2, 2)


def test_a_writer_after_a_claim_starts_a_new_file(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    spool.append(encode_row(row("a")))
    compact(tmp_path)  # claims the file this writer still holds open
    spool.append(encode_row(row("b")))
    assert len(list(spool_dir(tmp_path).glob("*.ndjson"))) == 1
    compact(tmp_path)
    assert count(tmp_path) == (2, 2)


def test_concurrent_writers_and_compactions_store_everything_once(tmp_path: Path) -> None:
    """4 processes x 2,000 events (plus duplicates) while two processes compact."""
    context = multiprocessing.get_context("forkserver")  # fork is unsafe: we have threads
    context.set_forkserver_preload([workers.__name__])
    root = str(tmp_path)
    writers = [context.Process(target=workers.write, args=(root, w, 2000, 50)) for w in range(4)]
    compactors = [context.Process(target=workers.compact_often, args=(root, 5)) for _ in range(2)]
    for process in writers + compactors:
        process.start()
    for process in writers + compactors:
        process.join(timeout=120)
        assert process.exitcode == 0
    compact(tmp_path)

    assert count(tmp_path) == (8000, 8000)
    assert backlog_bytes(tmp_path) == 0


def test_spool_files_are_per_process(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    spool.append(encode_row(row(str(uuid.uuid4()))))
    (name,) = [p.name for p in spool_dir(tmp_path).glob("*.ndjson")]
    assert name.startswith(f"{os.getpid()}-")


def test_part_files_of_others_are_read_but_never_rewritten(tmp_path: Path) -> None:
    """E.g. the demo's part-demo.parquet: its keys count for dedup, the file stays as it is."""
    append(tmp_path, row("demo-1"))
    compact(tmp_path)
    folder = tmp_path / "date=2024-03-01"
    (folder / "part-00000.parquet").rename(folder / "part-demo.parquet")
    (tmp_path / "index.duckdb").unlink()
    before = (folder / "part-demo.parquet").read_bytes()
    append(tmp_path, row("demo-1"), row("new-1"))

    compact(tmp_path)

    assert (folder / "part-demo.parquet").read_bytes() == before
    assert sorted(p.name for p in folder.glob("*.parquet")) == [
        "part-00000.parquet",
        "part-demo.parquet",
    ]
    assert count(tmp_path) == (2, 2)
