"""`quarterdeck events import`: JSON lines, CSV with a column mapping, Parquet; all or nothing;
--skip-invalid with a report; importing twice stores once; the real ecommerce export."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from quarterdeck.cli import cli
from quarterdeck.metrics.models import Source
from tests.metrics.ingest.conftest import stored
from tests.shared_data import shared_data

ECOMMERCE = shared_data() / "ecommerce-events"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def shop_rows(count: int) -> list[dict[str, Any]]:
    """Rows shaped like the ecommerce export's events.csv."""
    kinds = ["Page", "Product Viewed", "Product Added", "Order Completed"]
    return [
        {
            "user_id": f"user-{n % 7}",
            "event_type": kinds[n % 4],
            "event_id": f"ajs-next-{n:08x}",
            "ts": f"2024-03-{1 + n % 28:02d} 10:{n % 60:02d}:00.956000",
        }
        for n in range(count)
    ]


def test_csv_with_a_mapping(source: Source, events_dir: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "events.csv", shop_rows(200))

    result = run("events", "import", path, "--source", "Web app",
                 "--map", "event_type=event", "--map", "ts=time")  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "200 new events stored" in result.output
    rows = stored(events_dir)
    assert len(rows) == 200
    first = next(row for row in rows if row["event_id"] == "ajs-next-00000000")
    assert (first["type"], first["event"], first["user_id"]) == ("track", "Page", "user-0")
    assert first["time"].isoformat() == "2024-03-01T10:00:00.956000+00:00"
    assert first["source_id"] == str(source.pk)


def test_importing_twice_stores_once(source: Source, events_dir: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "events.csv", shop_rows(50))
    args = ("events", "import", path, "--source", "Web app", "--map", "event_type=event",
            "--map", "ts=time")  # fmt: skip
    assert run(*args).exit_code == 0
    again = run(*args)
    assert again.exit_code == 0
    assert "0 new events stored, 50 already there" in again.output
    assert len(stored(events_dir)) == 50


def test_one_bad_row_and_nothing_is_written(
    source: Source, events_dir: Path, tmp_path: Path
) -> None:
    rows = shop_rows(20)
    rows[4]["user_id"] = ""
    rows[9]["ts"] = "next week"
    path = write_csv(tmp_path / "events.csv", rows)

    result = run("events", "import", path, "--source", "Web app", "--map", "event_type=event",
                 "--map", "ts=time")  # fmt: skip

    assert result.exit_code == 1
    assert "2 bad row(s) of 20; nothing was written" in result.output
    assert "neither a user id nor an anonymous id" in result.output
    assert "does not match the time format" in result.output
    assert stored(events_dir) == []


def test_skip_invalid_imports_the_rest_and_writes_a_report(
    source: Source, events_dir: Path, tmp_path: Path
) -> None:
    rows = shop_rows(20)
    rows[4]["user_id"] = ""
    path = write_csv(tmp_path / "events.csv", rows)
    report = tmp_path / "report.csv"

    result = run("events", "import", path, "--source", "Web app", "--map", "event_type=event",
                 "--map", "ts=time", "--skip-invalid", "--report", report)  # fmt: skip

    assert result.exit_code == 0, result.output
    assert len(stored(events_dir)) == 19
    lines = report.read_text().splitlines()
    assert lines[0] == "row,problem"
    assert lines[1].startswith("6,")  # the header is row 1, so the fifth record is row 6


def test_segment_json_lines(source: Source, events_dir: Path, tmp_path: Path) -> None:
    messages = [
        {"type": "identify", "userId": "u1", "anonymousId": "a1", "traits": {"plan": "pro"},
         "timestamp": "2024-01-02T09:00:00Z", "messageId": "m1"},
        {"type": "track", "event": "Signed Up", "anonymousId": "a1",
         "timestamp": "2024-01-01T10:00:00Z", "messageId": "m2"},
        {"type": "page", "userId": "u1", "name": "Pricing", "timestamp": "2024-01-02T12:00:00Z"},
    ]  # fmt: skip
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(m) for m in messages) + "\n")

    result = run("events", "import", path, "--source", "Web app")

    assert result.exit_code == 0, result.output
    rows = stored(events_dir)
    assert [(r["type"], r["event"]) for r in rows] == [
        ("track", "Signed Up"),
        ("identify", None),
        ("page", "Pricing"),
    ]


def test_json_lines_need_a_timestamp_and_valid_json(
    source: Source, events_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text('{"type": "track", "event": "x", "userId": "u1"}\n{oops\n')
    result = run("events", "import", path, "--source", "Web app")
    assert result.exit_code == 1
    assert "the message has no timestamp" in result.output
    assert "not valid JSON" in result.output


def test_parquet_with_native_timestamps(source: Source, events_dir: Path, tmp_path: Path) -> None:
    table = pa.table(
        {
            "messageId": ["p1", "p2"],
            "userId": ["u1", "u2"],
            "event": ["Exported", "Shared"],
            "timestamp": pa.array([1_704_103_200_000_000, 1_704_189_600_000_000],
                                  pa.timestamp("us", tz="UTC")),
            "plan": ["pro", "free"],
        }
    )  # fmt: skip
    pq.write_table(table, tmp_path / "events.parquet")

    result = run("events", "import", tmp_path / "events.parquet", "--source", "Web app")

    assert result.exit_code == 0, result.output
    rows = stored(events_dir)
    assert [(r["event_id"], r["user_id"], r["time"].isoformat()) for r in rows] == [
        ("p1", "u1", "2024-01-01T10:00:00+00:00"),
        ("p2", "u2", "2024-01-02T10:00:00+00:00"),
    ]
    assert json.loads(rows[0]["properties"]) == {"plan": "pro"}  # unmapped columns


def test_detail_files_become_properties(source: Source, events_dir: Path, tmp_path: Path) -> None:
    events = write_csv(tmp_path / "events.csv", shop_rows(4))
    details = write_csv(
        tmp_path / "product_added.csv",
        [{"id": "ajs-next-00000002", "price": "25.99", "variant": "SHE-HWS-55021-S-BGE"}],
    )
    result = run("events", "import", events, "--source", "Web app", "--map", "event_type=event",
                 "--map", "ts=time", "--join", details)  # fmt: skip
    assert result.exit_code == 0, result.output
    added = next(row for row in stored(events_dir) if row["event_id"] == "ajs-next-00000002")
    assert json.loads(added["properties"]) == {"price": "25.99", "variant": "SHE-HWS-55021-S-BGE"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--map", "ts"), "expected COLUMN=TARGET"),
        (("--map", "ts=when"), "expected COLUMN=TARGET"),
        (("--format", "xml"), "Invalid value for '--format'"),
    ],
)
def test_usage_errors(source: Source, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    path = write_csv(tmp_path / "events.csv", shop_rows(2))
    result = run("events", "import", path, "--source", "Web app", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_compact_command(source: Source, events_dir: Path) -> None:
    result = run("events", "compact")
    assert result.exit_code == 0
    assert "Compacted 0 received rows" in result.output


@pytest.mark.skipif(not (ECOMMERCE / "events.csv").exists(), reason="ecommerce export absent")
def test_the_real_ecommerce_export_imports(source: Source, events_dir: Path) -> None:
    """The documented mapping (docs/analytics.md), on the first 5,000 events and every detail
    file (about 1 s per 5,000 rows here)."""
    not_events = {"events.csv", "ads_metrics.csv"}  # ads_metrics holds campaign totals
    details = sorted(p for p in ECOMMERCE.glob("*.csv") if p.name not in not_events)
    joins = [arg for path in details for arg in ("--join", path)]
    mapping = ("--map", "event_type=event", "--map", "ts=time")
    started = time.monotonic()

    result = run(
        "events", "import", ECOMMERCE / "events.csv", "--source", "Web app", *mapping,
        "--limit", "5000", *joins,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 30
    rows = stored(events_dir)
    assert len(rows) == len({row["event_id"] for row in rows}) > 4900  # the file repeats ids
    names = {row["event"] for row in rows}
    assert {"Page", "Product Viewed", "Order Completed"} <= names
    viewed = [json.loads(r["properties"] or "{}") for r in rows if r["event"] == "Product Viewed"]
    assert any("variant" in properties for properties in viewed)
