"""The demo product events: canonical rows in date-partitioned Parquet that tell the demo's story
(a launch, a decay, churn, sign-ups identified retroactively), checked with plain SQL in DuckDB
straight over the files, at a tiny scale."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from pytest_django.fixtures import Settings

from quarterdeck.cli import cli
from quarterdeck.demo.events import (
    MARKER_NAME,
    SCALE_VARIABLE,
    DemoEventsResult,
    DemoStory,
    demo_story,
    generate_demo_events,
)
from quarterdeck.demo.events_catalog import DEMO_FEATURE_EVENTS, DEMO_PRODUCT_SOURCES
from quarterdeck.demo.services import demo_tables
from quarterdeck.metrics.engine.schema import EVENT_COLUMN_NAMES, EVENT_COLUMNS

END = dt.date(2026, 3, 18)  # a fixed day, so the tests never depend on today
TINY = 0.01
START = dt.datetime.combine(END - dt.timedelta(days=181), dt.time(), dt.UTC)
STOP = dt.datetime.combine(END + dt.timedelta(days=1), dt.time(), dt.UTC)


class Generated(NamedTuple):
    directory: Path
    result: DemoEventsResult
    story: DemoStory


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    directory = tmp_path_factory.mktemp("events")
    result = generate_demo_events(directory, end=END, scale=TINY)
    return Generated(directory, result, demo_story(end=END, scale=TINY))


@pytest.fixture(scope="module")
def db(generated: Generated) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    files = str(generated.directory / "date=*" / "*.parquet")
    con.read_parquet(files, hive_partitioning=False, filename=True).create_view("events")
    yield con
    con.close()


def one(con: duckdb.DuckDBPyConnection, query: str, *params: Any) -> Any:
    row = con.execute(query, list(params)).fetchone()
    assert row is not None
    return row[0]


def test_files_are_date_partitions_with_exactly_the_canonical_columns(
    generated: Generated, db: duckdb.DuckDBPyConnection
) -> None:
    files = sorted(generated.directory.glob("date=*/*"))
    assert len(files) == generated.result.files == 182
    assert {f.name for f in files} == {"part-demo.parquet"}
    for path in files:
        schema = pq.read_schema(path)
        assert tuple(schema.names) == EVENT_COLUMN_NAMES
        for field, column in zip(schema, EVENT_COLUMNS, strict=True):
            expected = (
                pa.timestamp("us", tz="UTC") if column.sql_type == "TIMESTAMP" else pa.string()
            )
            assert field.type == expected, field.name
            assert field.nullable == column.nullable, field.name
    misplaced = """SELECT count(*) FROM events
        WHERE strftime(time, '%Y-%m-%d') <> regexp_extract(filename, 'date=([0-9-]+)', 1)"""
    assert one(db, misplaced) == 0
    assert one(db, "SELECT count(*) FROM events") == generated.result.events > 2000


def test_event_ids_are_unique(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "SELECT count(*) - count(DISTINCT event_id) FROM events") == 0


def test_every_time_is_inside_the_window(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "SELECT min(time) FROM events") >= START
    assert one(db, "SELECT max(time) FROM events") < STOP
    assert one(db, "SELECT count(*) FROM events WHERE received_at < time") == 0


def test_rows_name_their_product_source_and_feature(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute(
        """SELECT DISTINCT source_id, type, event,
                  json_extract_string(properties, '$.product'),
                  json_extract_string(properties, '$.feature')
           FROM events WHERE type IN ('track', 'page', 'screen')"""
    ).fetchall()
    definitions = {(d.event, d.where.get("feature")) for d in DEMO_FEATURE_EVENTS.values()}
    for source, kind, event, product, feature in rows:
        assert source == DEMO_PRODUCT_SOURCES[product]
        if kind == "track" and event != "Signed Up":
            assert (event, feature) in definitions
            assert re.fullmatch(r"([A-Z0-9][A-Za-z0-9-]*)( [A-Z0-9][A-Za-z0-9-]*)+", event)
    kinds = {(kind, event) for _, kind, event, _, _ in rows}
    assert ("page", "Page Viewed") in kinds
    assert ("screen", "Screen Viewed") in kinds
    assert ("track", "Route Optimized") in kinds


def test_every_demo_feature_has_an_event_definition() -> None:
    text = (resources.files("quarterdeck.demo") / "data" / "features.csv").read_text("utf-8")
    features = {(row["product"], row["name"]) for row in csv.DictReader(text.splitlines())}
    assert set(DEMO_FEATURE_EVENTS) == features
    planner = DEMO_FEATURE_EVENTS[("RouteIQ", "Drag-and-drop route planner")]
    assert planner.definition == {
        "event": "Route Optimized",
        "where": {"product": "RouteIQ", "feature": "Drag-and-drop route planner"},
    }


def test_weekdays_are_busier_than_weekends(db: duckdb.DuckDBPyConnection) -> None:
    per_day = """SELECT avg(n) FROM (
        SELECT time::DATE AS day, count(*) AS n FROM events
        WHERE type IN ('track', 'page', 'screen') GROUP BY 1)
        WHERE (isodow(day) >= 6) = ?"""
    assert one(db, per_day, False) > 2 * one(db, per_day, True)


def test_the_launch_matches_the_stage_history_and_lifts_usage(
    generated: Generated, db: duckdb.DuckDBPyConnection
) -> None:
    story = generated.story
    now = dt.datetime.combine(END, dt.time(12), dt.UTC)
    launch = next(
        change["at"]
        for change in (row.values for row in demo_tables(now)["stage_changes"])
        if change["item"].endswith("/Drag-and-drop route planner")
        and change["to_stage"] == "launch"
    )
    assert dt.datetime.fromisoformat(launch).date() == story.launched_on
    assert START.date() + dt.timedelta(days=30) < story.launched_on < END
    uses = """SELECT count(*) FROM events
        WHERE json_extract_string(properties, '$.feature') = ? AND (time::DATE >= ?) = ?"""
    feature = story.launched_feature[1]
    assert one(db, uses, feature, story.launched_on, False) == 0
    assert one(db, uses, feature, story.launched_on, True) > 50


def test_the_replaced_feature_decays(generated: Generated, db: duckdb.DuckDBPyConnection) -> None:
    users = """SELECT count(DISTINCT user_id) FROM events
        WHERE json_extract_string(properties, '$.feature') = ? AND time >= ? AND time < ?"""
    feature = generated.story.decaying_feature[1]
    month = dt.timedelta(days=30)
    first = one(db, users, feature, START, START + month)
    last = one(db, users, feature, STOP - month, STOP)
    assert first >= 3
    assert last < first / 2


def test_churned_accounts_go_quiet(generated: Generated, db: duckdb.DuckDBPyConnection) -> None:
    churned = generated.story.churned
    assert len(churned) >= 2
    events = """WITH members AS (
            SELECT DISTINCT user_id FROM events WHERE type = 'group' AND account_id = ?)
        SELECT count(*) FROM events
        WHERE type IN ('track', 'page', 'screen') AND (time::DATE > ?) = ?
          AND (account_id = ? OR user_id IN (SELECT user_id FROM members))"""
    for account in churned:
        key = (account.account_id, account.churned_on)
        assert one(db, events, *key, True, account.account_id) == 0, account
        assert one(db, events, *key, False, account.account_id) > 0, account


def test_sign_ups_link_earlier_anonymous_events(db: duckdb.DuckDBPyConnection) -> None:
    linked = """SELECT count(DISTINCT i.anonymous_id)
        FROM events i JOIN events a ON a.anonymous_id = i.anonymous_id
        WHERE i.type = 'identify' AND a.user_id IS NULL AND a.type = 'page'
          AND a.time < i.time - INTERVAL 1 DAY"""
    assert one(db, linked) >= 1
    unlinked = """SELECT count(*) FROM events s WHERE s.event = 'Signed Up' AND NOT EXISTS (
        SELECT 1 FROM events i WHERE i.type = 'identify' AND i.anonymous_id = s.anonymous_id
          AND i.time > s.time AND i.user_id IS NOT NULL)"""
    assert one(db, "SELECT count(*) FROM events WHERE event = 'Signed Up'") > 0
    assert one(db, unlinked) == 0


def test_group_rows_tie_every_user_to_an_account(db: duckdb.DuckDBPyConnection) -> None:
    ungrouped = """SELECT count(DISTINCT user_id) FROM events e WHERE user_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM events g WHERE g.type = 'group' AND g.user_id = e.user_id)"""
    assert one(db, ungrouped) == 0
    plans = db.execute(
        "SELECT DISTINCT json_extract_string(traits, '$.plan') FROM events WHERE type = 'group'"
    ).fetchall()
    assert {plan for (plan,) in plans} <= {"starter", "growth", "enterprise"}
    direct = """SELECT count(*), count(*) FILTER (WHERE e.account_id <> g.account_id)
        FROM events e JOIN events g ON g.type = 'group' AND g.user_id = e.user_id
        WHERE e.type = 'track' AND e.account_id IS NOT NULL"""
    carried, disagreeing = db.execute(direct).fetchone() or (0, 0)
    assert carried > 0
    assert disagreeing == 0


def digests(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.glob("date=*/*.parquet"))
    }


def test_the_same_seed_gives_identical_files(generated: Generated, tmp_path: Path) -> None:
    generate_demo_events(tmp_path / "again", end=END, scale=TINY)
    generate_demo_events(tmp_path / "other", end=END, scale=TINY, seed=7)

    assert digests(tmp_path / "again") == digests(generated.directory)
    assert digests(tmp_path / "other") != digests(generated.directory)


def test_the_marker_records_the_story(generated: Generated) -> None:
    marker = json.loads((generated.directory / MARKER_NAME).read_text("utf-8"))
    assert marker["result"]["events"] == generated.result.events
    assert marker["story"]["launched_on"] == generated.story.launched_on.isoformat()
    assert len(marker["story"]["churned"]) == len(generated.story.churned)


@pytest.fixture
def events_dir(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings.EVENTS_DIR = tmp_path / "events"
    monkeypatch.setenv(SCALE_VARIABLE, str(TINY))
    return tmp_path / "events"


def snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path): (path.stat().st_mtime_ns, path.stat().st_size)
        for path in directory.rglob("*")
        if path.is_file()
    }


@pytest.mark.django_db
def test_demo_without_events_writes_none(events_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--no-events"], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert not list(events_dir.glob("date=*/*.parquet"))


@pytest.mark.django_db
def test_demo_generates_the_events_once(events_dir: Path) -> None:
    first = CliRunner().invoke(cli, ["demo"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "demo product events" in first.output
    before = snapshot(events_dir)
    assert (events_dir / MARKER_NAME).exists()
    assert len([p for p in before if p.endswith(".parquet")]) == 182

    second = CliRunner().invoke(cli, ["demo"], catch_exceptions=False)

    assert second.exit_code == 0, second.output
    assert "already there" in second.output
    assert snapshot(events_dir) == before


@pytest.mark.django_db
def test_a_bad_scale_is_one_clear_line(events_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SCALE_VARIABLE, "lots")

    result = CliRunner().invoke(cli, ["demo"])

    assert result.exit_code == 2
    assert SCALE_VARIABLE in result.output
    assert "Traceback" not in result.output
    assert not events_dir.exists()
