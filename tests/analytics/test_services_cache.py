"""The result cache: keyed by the event store's generation; old entries age out; warehouse mode
reuses a result for a bounded time."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from django.utils import timezone

from quarterdeck.analytics import cache
from quarterdeck.analytics.models import CachedResult
from quarterdeck.analytics.queries import parse_query
from quarterdeck.analytics.services import insight_run
from tests.analytics.conftest import Query, Store, event


def test_the_generation_moves_with_compacted_events_only(store: Store) -> None:
    before = cache.store_generation(store.folder)
    assert cache.store_generation(store.folder) == before
    store.add()  # nothing new: no new file
    assert cache.store_generation(store.folder) == before
    store.add(event(store.atlas_source, "u1", 3, "Searched"))
    assert cache.store_generation(store.folder) != before


def test_warehouse_results_are_reused_for_a_bounded_time() -> None:
    start = 1_000_200.0  # the start of a slice
    first = cache.store_generation(None, now=start)
    assert cache.store_generation(None, now=start + 60) == first
    assert cache.store_generation(None, now=start + cache.WAREHOUSE_CACHE_SECONDS) != first


def test_old_entries_are_deleted_as_new_ones_are_written(store: Store, atlas_query: Query) -> None:
    old = CachedResult.objects.create(
        key="old", rows="[]", computed_at=timezone.now() - dt.timedelta(days=3)
    )
    outcome = insight_run(store.personas.member, parse_query(atlas_query("retention")))
    assert not outcome.cached
    assert not CachedResult.objects.filter(pk=old.pk).exists()
    assert CachedResult.objects.count() == 1
    again = insight_run(store.personas.member, parse_query(atlas_query("retention")))
    assert again.cached
    assert again.result == outcome.result  # the typed result, rebuilt from the cached rows
    assert again.sql == outcome.sql
    assert f"'{store.atlas_source.pk}'" in again.sql  # scoped to Atlas's source


def test_tagged_json_keeps_the_engines_types() -> None:
    rows = [(dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 12, 30), decimal.Decimal("1.5"), None, 3)]
    assert cache.decode(cache.encode(rows)) == rows
    with pytest.raises(TypeError):
        cache.encode([(object(),)])
