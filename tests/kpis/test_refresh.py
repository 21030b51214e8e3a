"""Incremental refresh: only new days (plus a trailing window) are computed, the result equals a
full refresh; definition changes recompute in full; a failure leaves the previous rows."""

from __future__ import annotations

import random
import re
import shutil
from datetime import date, timedelta
from typing import Any

import pytest

from quarterdeck.kpis import actor_store, compute, services
from quarterdeck.kpis.models import KpiRefreshState, KpiSnapshot
from quarterdeck.metrics.models import FeatureUsage, Source
from quarterdeck.metrics.warehouse import event_engine
from tests.kpis.conftest import LAST, Store, Tracked, day_rows, refresh

pytestmark = pytest.mark.django_db

NEXT = LAST + timedelta(days=1)


def _table(product_id: int) -> set[tuple[Any, ...]]:
    rows = KpiSnapshot.objects.filter(product_id=product_id)
    return set(rows.values_list("feature_id", "day", "metric", "value", "numerator", "denominator"))


class RecordingEngine:
    """The real engine, remembering the SQL it was sent."""

    def __init__(self) -> None:
        self.engine = event_engine()
        self.sql: list[str] = []
        self.dialect = self.engine.dialect
        self.source = self.engine.source

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        self.sql.append(sql)
        return self.engine.fetch(sql)


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> list[RecordingEngine]:
    made: list[RecordingEngine] = []

    def make() -> RecordingEngine:
        made.append(RecordingEngine())
        return made[-1]

    monkeypatch.setattr(services, "event_engine", make)
    return made


def _earliest_activity_bound(sql: str) -> date:
    """The lower bound on event time the engine put on activity rows."""
    found = re.findall(
        r"time\" >= CAST\('(\d{4}-\d{2}-\d{2})|time >= CAST\('(\d{4}-\d{2}-\d{2})", sql
    )
    days = [date.fromisoformat(a or b) for a, b in found]
    assert days, sql[:2000]
    return min(days)


def test_incremental_computes_only_the_new_day_and_a_trailing_window(
    store: Store, tracked: Tracked, recording: list[RecordingEngine]
) -> None:
    atlas = tracked.personas.atlas
    refresh(today=LAST)
    before = {r.day: r.computed_at for r in KpiSnapshot.objects.filter(product=atlas)}
    store.write(day_rows(store, NEXT, random.Random(3)))

    result = refresh(today=NEXT)

    run = next(p for p in result.products if p.product_id == atlas.pk)
    assert (run.full, run.start, run.end) == (False, LAST - timedelta(days=2), NEXT)
    rows = KpiSnapshot.objects.filter(product=atlas)
    recomputed = {r.day for r in rows if r.day not in before or r.computed_at != before[r.day]}
    assert recomputed == {LAST - timedelta(days=2), LAST - timedelta(days=1), LAST, NEXT}
    # The engine read activity only from the window (+ 1 day of zone margin), not the 30 days
    # before it: those come from the daily actor store.
    assert recording[-1].sql
    for sql in recording[-1].sql:
        assert _earliest_activity_bound(sql) >= run.start - timedelta(days=1)
    incremental = _table(atlas.pk)
    refresh(today=NEXT, full=True)
    assert _table(atlas.pk) == incremental


def test_late_events_for_an_older_day_are_picked_up_with_since(
    store: Store, tracked: Tracked
) -> None:
    atlas = tracked.personas.atlas
    refresh(today=LAST)
    old_day = LAST - timedelta(days=10)
    store.write(day_rows(store, old_day, random.Random(11)))
    result = refresh(today=LAST, since=old_day)
    assert next(p for p in result.products if p.product_id == atlas.pk).start == old_day
    incremental = _table(atlas.pk)
    refresh(today=LAST, full=True)
    assert _table(atlas.pk) == incremental


def test_a_changed_feature_definition_recomputes_that_product_in_full(
    store: Store, tracked: Tracked
) -> None:
    atlas, beacon = tracked.personas.atlas, tracked.personas.beacon
    refresh(today=LAST)
    usage = FeatureUsage.objects.get(feature=tracked.csv)
    usage.conditions = [{"key": "format", "op": "eq", "value": "pdf"}]
    usage.save()
    result = refresh(today=NEXT)
    kinds = {p.product_id: p.full for p in result.products}
    assert kinds == {atlas.pk: True, beacon.pk: False}
    state = KpiRefreshState.objects.get(product=atlas)
    assert state.days_computed == services.HISTORY_DAYS


def test_a_new_source_changes_the_fingerprint(store: Store, tracked: Tracked) -> None:
    refresh(today=LAST)
    extra = Source.objects.create(name="Atlas mobile", write_key="qdw_mobile")
    extra.products.set([tracked.personas.atlas])
    result = refresh(today=LAST)
    assert {p.product_id: p.full for p in result.products}[tracked.personas.atlas.pk]


def test_renaming_a_feature_recomputes_nothing(store: Store, tracked: Tracked) -> None:
    refresh(today=LAST)
    tracked.search.name = "Finder"
    tracked.search.save()
    result = refresh(today=LAST)
    assert not any(p.full for p in result.products)


def test_a_failing_query_leaves_the_previous_snapshots(
    store: Store, tracked: Tracked, monkeypatch: pytest.MonkeyPatch
) -> None:
    atlas, beacon = tracked.personas.atlas, tracked.personas.beacon
    refresh(today=LAST)
    kept = _table(atlas.pk), _table(beacon.pk)
    real = actor_store.fetch
    calls = []

    def failing_second(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 2:  # the products' actors came back; the features' query fails
            raise RuntimeError("warehouse went away")
        real(*args, **kwargs)

    monkeypatch.setattr(actor_store, "fetch", failing_second)
    store.write(day_rows(store, NEXT, random.Random(5)))
    result = services.kpis_refresh(today=NEXT, full=True)

    assert {p.product_id for p in result.errors} == {atlas.pk, beacon.pk}
    assert "warehouse went away" in (result.errors[0].error or "")
    assert (_table(atlas.pk), _table(beacon.pk)) == kept
    assert KpiRefreshState.objects.get(product=atlas).last_day == LAST


def test_a_failing_write_leaves_that_products_snapshots(
    store: Store, tracked: Tracked, monkeypatch: pytest.MonkeyPatch
) -> None:
    atlas = tracked.personas.atlas
    refresh(today=LAST)
    kept = _table(atlas.pk)
    real = KpiSnapshot.objects.bulk_create

    def broken(rows: list[KpiSnapshot], **kwargs: Any) -> Any:
        if rows and rows[0].product_id == atlas.pk:
            raise RuntimeError("disk full")
        return real(rows, **kwargs)

    monkeypatch.setattr(KpiSnapshot.objects, "bulk_create", broken)
    result = services.kpis_refresh(today=NEXT, full=True)
    assert [p.product_id for p in result.errors] == [atlas.pk]
    assert _table(atlas.pk) == kept
    beacon = KpiRefreshState.objects.get(product=tracked.personas.beacon)
    assert beacon.last_day == NEXT  # the other product went on


def test_an_untracked_product_loses_its_snapshots(store: Store, tracked: Tracked) -> None:
    beacon = tracked.personas.beacon
    refresh(today=LAST)
    assert KpiSnapshot.objects.filter(product=beacon).exists()
    Source.objects.get(name="Beacon app").products.clear()
    result = refresh(today=LAST)
    assert result.forgotten == ["Beacon"]
    assert not KpiSnapshot.objects.filter(product=beacon).exists()
    assert not KpiRefreshState.objects.filter(product=beacon).exists()


def test_features_that_can_match_one_event_go_to_separate_queries() -> None:
    from quarterdeck.metrics.engine import EventMatcher

    export, csv = EventMatcher("Report Exported"), EventMatcher("Report Exported")
    search, anything = EventMatcher("Search Used"), EventMatcher(row_type="page")
    features = [(1, export), (2, csv), (3, search), (4, anything)]
    groups = compute.groups(features, lambda a, b: compute.may_overlap(a[1], b[1]))
    assert [[pk for pk, _ in g] for g in groups] == [[1, 3], [2], [4]]


def test_products_fed_by_one_source_go_to_separate_queries() -> None:
    from quarterdeck.metrics.engine import Condition
    from quarterdeck.metrics.engine import Product as ProductFilter

    web = compute.Scope(1, ProductFilter("a", source_ids=("1",)))
    app = compute.Scope(2, ProductFilter("b", source_ids=("2",)))
    web_too = compute.Scope(
        3, ProductFilter("c", source_ids=("1",), where=(Condition("app", "eq", "x"),))
    )
    column = compute.Scope(
        4, ProductFilter("d", where=(Condition("source_id", "eq", "2", on="column"),))
    )
    found = compute.groups([web, app, web_too, column], compute.products_may_overlap)
    assert [[s.product_id for s in g] for g in found] == [[1, 2], [3, 4]]


def test_a_pending_request_is_answered_from_its_earliest_day(db: None) -> None:
    assert services.refresh_requested(date(2024, 2, 10))
    assert not services.refresh_requested(date(2024, 2, 3))  # one task for the burst
    assert not services.refresh_requested(None)
    assert services.refresh_request_take() == (True, date(2024, 2, 3))
    assert services.refresh_request_take() == (False, None)
    assert services.refresh_requested(None)


def test_a_lost_daily_store_is_rebuilt_by_a_full_refresh(store: Store, tracked: Tracked) -> None:
    atlas = tracked.personas.atlas
    refresh(today=LAST)
    shutil.rmtree(services.store_root())
    result = refresh(today=NEXT)
    assert {p.product_id: p.full for p in result.products}[atlas.pk]
    assert not any(p.full for p in refresh(today=NEXT).products)  # ready again: incremental


def test_a_run_of_incremental_days_reads_the_latest_day_summary_and_equals_a_full_refresh(
    store: Store, tracked: Tracked, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quarterdeck.kpis import actor_summary

    atlas = tracked.personas.atlas
    refresh(today=LAST)
    # The full refresh leaves a summary as of its last settled day.
    checkpoint = actor_summary.checkpoint_of(services.store_root(), atlas.pk)
    assert checkpoint is not None
    assert checkpoint[0] == LAST - timedelta(days=services.TRAILING_DAYS)
    read_from: list[date] = []
    real_files = actor_store._files

    def files(root: Any, product_ids: Any, first: date, last: date) -> list[str]:
        read_from.append(first)
        return real_files(root, product_ids, first, last)

    monkeypatch.setattr(actor_store, "_files", files)
    day = LAST
    for n in range(9):
        day += timedelta(days=1)
        store.write(day_rows(store, day, random.Random(20 + n)))
        read_from.clear()
        refresh(today=day)
        # Counting read the daily files after the summary's checkpoint, not the 30-day window.
        assert min(read_from) >= day - actor_summary.MOVE_EVERY - timedelta(days=4)
    moved = actor_summary.checkpoint_of(services.store_root(), atlas.pk)
    assert moved is not None
    assert moved[0] > checkpoint[0]  # a week of new days moved it on
    incremental = _table(atlas.pk)
    refresh(today=day, full=True)
    assert _table(atlas.pk) == incremental


def test_late_events_before_the_checkpoint_rebuild_the_summary(
    store: Store, tracked: Tracked
) -> None:
    """A day before the checkpoint fetched again (``since``) makes the summary stale: it is
    dropped and rebuilt, so the next new day counts the late actors in its MAU."""
    atlas = tracked.personas.atlas
    refresh(today=LAST)
    old_day = LAST - timedelta(days=12)
    store.write(day_rows(store, old_day, random.Random(5)))
    refresh(today=LAST, since=old_day)
    store.write(day_rows(store, NEXT, random.Random(6)))
    refresh(today=NEXT)
    incremental = _table(atlas.pk)
    refresh(today=NEXT, full=True)
    assert _table(atlas.pk) == incremental
