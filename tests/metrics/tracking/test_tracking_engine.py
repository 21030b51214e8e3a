"""Stored definitions become engine filters that count the right events."""

from __future__ import annotations

import datetime as dt

import pytest

from quarterdeck.metrics.engine import DuckDBEngine, FeatureAdoption, run
from quarterdeck.metrics.models import FeatureUsage, ProductTracking, Source
from quarterdeck.metrics.tracking import (
    feature_matcher,
    product_filter,
    tracked_features,
    tracked_products,
)
from quarterdeck.portfolio.models import Feature, Product
from tests.metrics.engine.conftest import duckdb_table
from tests.metrics.engine.events import at, row
from tests.personas import Personas

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def test_adoption_through_stored_definitions(personas: Personas) -> None:
    atlas, search = personas.atlas, personas.search
    source = Source.objects.create(name="Atlas web", write_key="qdw_a")
    source.products.add(atlas)
    other = Source.objects.create(name="Beacon web", write_key="qdw_b")
    ProductTracking.objects.create(
        product=atlas, conditions=[{"key": "tier", "op": "neq", "value": "internal"}]
    )
    FeatureUsage.objects.create(
        feature=search, event="Searched", conditions=[{"key": "hits", "op": "gt", "value": 0}]
    )
    atlas_id, other_id = str(source.pk), str(other.pk)
    events = [
        row("track", at(DAY), user="u1", event="Searched", props={"hits": 3}, source=atlas_id),
        row("track", at(DAY), user="u2", event="Searched", props={"hits": 0}, source=atlas_id),
        row("track", at(DAY), user="u3", event="Opened", source=atlas_id),
        row(
            "track", at(DAY), user="u4", event="Opened", props={"tier": "internal"}, source=atlas_id
        ),
        row("track", at(DAY), user="u5", event="Searched", props={"hits": 9}, source=other_id),
    ]
    scope = product_filter(atlas)
    matcher = feature_matcher(search)
    assert scope is not None
    assert matcher is not None
    assert matcher.label == "Atlas Search"
    adoption = FeatureAdoption(
        start=DAY, end=DAY, feature=matcher, filters=scope.conditions, denominator="active"
    )
    result = run(adoption, DuckDBEngine(duckdb_table(events)))
    # Atlas's active users: u1, u2, u3 (u4 is internal, u5 another product); u1 searched with hits.
    assert (result.get().numerator, result.get().denominator) == (1, 3)


def test_untracked_products_and_undefined_features_are_none(personas: Personas) -> None:
    assert product_filter(personas.atlas) is None
    assert feature_matcher(personas.search) is None
    assert tracked_products(Product.objects.all()) == []
    assert tracked_features(personas.atlas) == []


def test_tracked_features_are_listed_by_name(personas: Personas) -> None:
    maps = Feature.objects.create(name="atlas maps", product=personas.atlas)
    FeatureUsage.objects.create(feature=personas.search, event="Searched")
    FeatureUsage.objects.create(feature=maps, event="", conditions=[{"key": "map", "op": "is_set"}])
    names = [feature.name for feature, _ in tracked_features(personas.atlas)]
    assert names == ["atlas maps", "Atlas Search"]
