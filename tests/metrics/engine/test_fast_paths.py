"""The engine's fast paths give the numbers of the plain path: dedup skipped only on a source
that holds each event once, the UTC day read from the store's date partition, and run_many's
shared identity map."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from quarterdeck.metrics.engine import (
    ActiveUsers,
    Breakdown,
    Definition,
    DuckDBEngine,
    EventMatcher,
    EventSource,
    FeatureAdoption,
    Funnel,
    Lifecycle,
    Product,
    Retention,
    run,
    run_many,
)
from tests.metrics.engine.conftest import Load, _arrow, duckdb_table
from tests.metrics.engine.events import Row, at, group, identify, page, row, track

JAN1 = date(2024, 1, 1)
FEB29 = date(2024, 2, 29)


def _day(n: int) -> date:
    return JAN1 + timedelta(days=n)


def history() -> list[Row]:
    """Two products, an anonymous visitor identified later, an account, weeks of activity; some
    events fall near midnight UTC (a New York day differs from the UTC day)."""
    rows = [
        track("a1", "Viewed Pricing", at(_day(0), 23.5), anonymous=True, source="app"),
        identify("u1", at(_day(3)), anon="a1"),
        group("u1", "acme", at(_day(3), 13)),
        identify("u3", at(_day(40)), anon="a3"),
    ]
    for n in range(0, 60, 2):
        rows.append(track("u1", "Opened", at(_day(n), 0.5), source="app"))
        rows.append(page("u2", at(_day(n + 1), 23.9), source="web"))
    for n in (5, 12, 33, 34, 50):
        rows.append(track("u1", "Shared", at(_day(n)), source="app"))
        rows.append(track("a3", "Shared", at(_day(n - 3)), anonymous=True, source="web"))
    return rows


def definitions() -> list[Definition]:
    products = Breakdown.by_products(
        Product("App", source_ids=("app",)), Product("Web", source_ids=("web",))
    )
    shared = EventMatcher("Shared")
    return [
        ActiveUsers(start=JAN1, end=FEB29, measure="dau", breakdown=products),
        ActiveUsers(start=JAN1, end=FEB29, measure="stickiness"),
        ActiveUsers(start=JAN1, end=FEB29, measure="dau", time_zone="America/New_York"),
        ActiveUsers(start=JAN1, end=FEB29, grain="week", breakdown=Breakdown(by="account")),
        Retention(
            start=JAN1, end=FEB29, start_event=EventMatcher(), grain="week", periods=4, as_of=FEB29
        ),
        Retention(start=JAN1, end=FEB29, start_event=shared, periods=10, as_of=FEB29),
        FeatureAdoption(start=JAN1, end=date(2024, 1, 31), feature=shared),
        FeatureAdoption(start=date(2024, 2, 1), end=FEB29, feature=shared, denominator="all"),
        Lifecycle(start=JAN1, end=FEB29, grain="week"),
        Funnel(start=JAN1, end=FEB29, steps=(EventMatcher("Opened"), shared)),
    ]


def _parquet_store(rows: list[Row], folder: Path) -> Path:
    """The embedded store's layout: events/date=YYYY-MM-DD/*.parquet, by the UTC day."""
    table = _arrow(rows)
    days = sorted({t.date() for t in table.column("time").to_pylist()})
    for day in days:
        on_day = [t.date() == day for t in table.column("time").to_pylist()]
        (folder / f"date={day.isoformat()}").mkdir(parents=True)
        pq.write_table(table.filter(on_day), folder / f"date={day.isoformat()}" / "part-0.parquet")
    return folder


def test_the_date_partition_gives_the_numbers_of_the_time_column(tmp_path: Path) -> None:
    plain = DuckDBEngine(duckdb_table(history()))
    store = DuckDBEngine.from_parquet(_parquet_store(history(), tmp_path / "events"))
    assert store.source.day_column == "date"
    for definition in definitions():
        assert run(definition, store, today=FEB29) == run(definition, plain, today=FEB29)


def test_the_date_partition_is_what_utc_metrics_read(tmp_path: Path) -> None:
    """A row filed under another day's partition counts on that day: the partition is read, not
    recomputed from ``time`` (which is why only the store, which files by UTC day, sets it)."""
    events = tmp_path / "events"
    misfiled = [track("u9", "Opened", at(_day(1)))]
    (events / "date=2024-01-03").mkdir(parents=True)
    pq.write_table(_arrow(misfiled), events / "date=2024-01-03" / "part-0.parquet")
    store = DuckDBEngine.from_parquet(events)
    utc = ActiveUsers(start=JAN1, end=_day(3))
    assert run(utc, store).values() == [0, 0, 1, 0]
    new_york = ActiveUsers(start=JAN1, end=_day(3), time_zone="America/New_York")
    assert run(new_york, store).values() == [0, 1, 0, 0]  # zones other than UTC read ``time``


def duplicated() -> list[Row]:
    """u1 used the feature once, but the warehouse holds that event twice (a retried load)."""
    used = row("track", at(_day(1)), user="u1", event="Shared", event_id="dup-1")
    again = row("track", at(_day(1)), user="u1", event="Shared", event_id="dup-1")
    return [used, again, track("u2", "Shared", at(_day(1))), track("u2", "Shared", at(_day(2)))]


TWICE = FeatureAdoption(start=JAN1, end=_day(5), feature=EventMatcher("Shared"), min_uses=2)


def test_duplicate_rows_in_a_warehouse_table_still_count_once(load: Load) -> None:
    result = run(TWICE, load(duplicated()))
    assert (result.ratios[0].numerator, result.ratios[0].denominator) == (1, 2)  # u2 only


def test_dedup_is_skipped_only_on_a_source_of_unique_events() -> None:
    trusted = DuckDBEngine(duckdb_table(duplicated()), source=EventSource(unique_events=True))
    # The source promised one row per event; it lied, so u1's copy counts twice: proof the
    # dedup pass is skipped there (and only there, per the test above).
    assert run(TWICE, trusted).ratios[0].numerator == 2


@pytest.mark.parametrize("source", [EventSource(), EventSource(unique_events=True)])
def test_run_many_gives_the_results_of_separate_runs(source: EventSource) -> None:
    engine = DuckDBEngine(duckdb_table(history()), source=source)
    alone = [run(d, engine, today=FEB29) for d in definitions()]
    assert run_many(definitions(), engine, today=FEB29) == alone
    tables = engine.connection.execute(
        "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'qd_links_%'"
    ).fetchall()
    assert tables == []  # the shared identity map is dropped afterwards


def test_run_many_shares_the_identity_map_on_the_parquet_store(tmp_path: Path) -> None:
    store = DuckDBEngine.from_parquet(_parquet_store(history(), tmp_path / "events"))
    plain = DuckDBEngine(duckdb_table(history()))
    assert run_many(definitions(), store, today=FEB29) == run_many(
        definitions(), plain, today=FEB29
    )


def test_duckdb_connections_are_memory_limited(tmp_path: Path) -> None:
    engine = DuckDBEngine.from_parquet(tmp_path / "events", memory_limit="512MB")
    limit = engine.connection.execute("SELECT current_setting('memory_limit')").fetchone()
    assert limit is not None
    assert limit[0] in ("488.2 MiB", "512.0 MB")
    with pytest.raises(ValueError, match="memory_limit"):
        DuckDBEngine(memory_limit="lots")


def monthly_adoptions(**options: object) -> list[Definition]:
    shared = EventMatcher("Shared")
    months = [(JAN1, date(2024, 1, 31)), (date(2024, 2, 1), FEB29)]
    return [
        FeatureAdoption(start=a, end=b, feature=shared, **options)  # type: ignore[arg-type]
        for a, b in months
    ]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"min_uses": 2},
        {"time_zone": "America/New_York"},
        {"breakdown": Breakdown.by_products(Product("App", source_ids=("app",)))},
    ],
)
def test_monthly_adoptions_share_one_query_with_the_numbers_of_separate_runs(
    load: Load, options: dict[str, object]
) -> None:
    engine = load(history())
    definitions = monthly_adoptions(**options)
    alone = [run(d, engine, today=FEB29) for d in definitions]
    assert run_many(definitions, engine, today=FEB29) == alone
    assert any(r.ratios[0].numerator for r in alone)  # type: ignore[union-attr]


def test_run_many_plans_one_query_per_shared_scan() -> None:
    from quarterdeck.metrics.engine.planning import plan

    overlapping = [
        FeatureAdoption(start=JAN1, end=FEB29, feature=EventMatcher("Shared")),
        FeatureAdoption(start=date(2024, 2, 1), end=FEB29, feature=EventMatcher("Shared")),
    ]
    measures = [ActiveUsers(start=JAN1, end=FEB29, measure=m) for m in ("wau", "mau", "stickiness")]

    def single(d: Definition, day: date) -> tuple[str, object]:
        return repr(d), None

    def jobs(ds: Sequence[Definition]) -> int:
        return len({job.sql for job in plan(ds, lambda d: FEB29, single)})  # type: ignore[arg-type]

    assert jobs(monthly_adoptions()) == 1
    assert jobs(overlapping) == 2  # overlapping ranges are not grouped
    assert jobs(measures) == 1  # stickiness is built with the WAU ends when WAU is asked too
    assert jobs(measures[1:]) == 1
