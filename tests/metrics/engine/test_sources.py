"""Event sources: a warehouse table with other column names, the Parquet data dir, quoting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from quarterdeck.metrics.engine import (
    ActiveUsers,
    Breakdown,
    ColumnMapping,
    Condition,
    DefinitionError,
    DuckDBEngine,
    EventMatcher,
    EventSource,
    SparkEngine,
    run,
)
from tests.metrics.engine.conftest import Load, _arrow, duckdb_table
from tests.metrics.engine.events import Row, at, identify, track

JAN1, JAN2 = date(2024, 1, 1), date(2024, 1, 2)


def rows() -> list[Row]:
    return [
        track("a1", "Signed Up", at(JAN1), anonymous=True),
        identify("u1", at(JAN2), anon="a1"),
        track("u1", "Opened", at(JAN2)),
        track("u2", "Opened", at(JAN2)),
    ]


def test_a_warehouse_table_with_other_column_names() -> None:
    connection = duckdb_table(rows(), name="canonical")
    connection.execute(
        "CREATE SCHEMA analytics; CREATE TABLE analytics.tracks AS SELECT event_id AS message_id, "
        "source_id, type AS kind, event AS event_name, user_id, anonymous_id, account_id, "
        "epoch_ms(time) AS ts_ms, received_at, properties AS props, traits FROM canonical; "
        "DROP TABLE canonical"
    )
    mapping = ColumnMapping.of(
        event_id="message_id",
        type="kind",
        event="event_name",
        time="epoch_ms(ts_ms)",
        properties="props",
    )
    engine = DuckDBEngine(connection, source=EventSource("analytics.tracks", mapping))
    assert run(ActiveUsers(start=JAN1, end=JAN2), engine).values() == [1, 2]


def test_bad_mappings_and_table_names_are_refused() -> None:
    with pytest.raises(DefinitionError, match="not a canonical column"):
        ColumnMapping.of(userid="uid")
    with pytest.raises(DefinitionError, match="not a table name"):
        EventSource("events; DROP TABLE events")


def test_the_parquet_data_dir(tmp_path: Path) -> None:
    events = tmp_path / "events"
    empty = DuckDBEngine.from_parquet(events)
    assert run(ActiveUsers(start=JAN1, end=JAN2), empty).values() == [0, 0]
    table = _arrow(rows())
    for day in ("2024-01-01", "2024-01-02"):
        folder = events / f"date={day}"
        folder.mkdir(parents=True)
        days = [t.date().isoformat() == day for t in table.column("time").to_pylist()]
        pq.write_table(table.filter(days), folder / "part-0.parquet")
    engine = DuckDBEngine.from_parquet(events)
    assert run(ActiveUsers(start=JAN1, end=JAN2), engine).values() == [1, 2]


def test_the_session_time_zone_of_a_given_duckdb_connection_is_restored() -> None:
    connection = duckdb_table(rows())
    connection.execute("SET TimeZone = 'Asia/Tokyo'")
    run(ActiveUsers(start=JAN1, end=JAN2), DuckDBEngine(connection))
    assert connection.execute("SELECT current_setting('TimeZone')").fetchone() == ("Asia/Tokyo",)


def test_spark_needs_a_utc_session() -> None:
    class Conf:
        def get(self, key: str) -> str:
            return "Europe/Paris"

    class Session:
        conf = Conf()

    with pytest.raises(ValueError, match="timeZone=UTC"):
        SparkEngine(Session())


AWKWARD = "it's a \\ backslash'); DROP TABLE events; --"
OPS: dict[str, tuple[Condition, int]] = {
    "eq": (Condition("plan", "eq", AWKWARD), 1),
    "neq": (Condition("plan", "neq", "pro"), 3),  # includes the event without a plan
    "in": (Condition("plan", "in", ("pro", "team")), 2),
    "not_in": (Condition("plan", "not_in", ("pro", "team")), 2),
    "contains": (Condition("plan", "contains", "back"), 1),
    "gt": (Condition("seats", "gt", 10), 1),
    "lte": (Condition("seats", "lte", 10), 1),  # "many" is not a number
    "is_set": (Condition("seats", "is_set"), 3),
    "is_not_set": (Condition("seats", "is_not_set"), 1),
    "dollar": (Condition("$current_url", "is_set"), 1),
    "dotted": (Condition("a.b c", "gte", 5), 1),  # a key with a dot and a space, in a number cast
    "column": (Condition("source_id", "eq", "app", on="column"), 1),
}


def condition_rows(event: str = "Opened") -> list[Row]:
    return [
        track("u1", event, at(JAN1), props={"plan": "pro", "seats": 12, "a.b c": 5}),
        track("u2", event, at(JAN1), props={"plan": "team", "seats": 2.5}),
        track("u3", event, at(JAN1), props={"plan": AWKWARD, "seats": "many"}),
        track("u4", event, at(JAN1), props={"$current_url": "https://x.test/"}, source="app"),
    ]


def test_conditions(load: Load) -> None:
    """Every operator in one query: each has its own event name, so buckets do not overlap."""
    engine = load([row for name in OPS for row in condition_rows(name)])
    features = [EventMatcher(name, where=(c,), label=name) for name, (c, _) in OPS.items()]
    series = run(
        ActiveUsers(start=JAN1, end=JAN1, breakdown=Breakdown.by_features(*features)), engine
    )
    counts = {p.breakdown: p.value for p in series.points}
    assert {name: counts.get(name, 0) for name in OPS} == {n: e for n, (_, e) in OPS.items()}


def test_a_quote_in_a_value_stays_a_value() -> None:
    connection = duckdb_table(condition_rows())
    run(
        ActiveUsers(start=JAN1, end=JAN1, filters=(Condition("plan", "eq", AWKWARD),)),
        DuckDBEngine(connection),
    )
    assert connection.execute("SELECT COUNT(*) FROM events").fetchone() == (4,)
    assert isinstance(connection, duckdb.DuckDBPyConnection)
