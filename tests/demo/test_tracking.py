"""The demo company's sources and feature definitions match the generated events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from quarterdeck.demo.events import generate_demo_events
from quarterdeck.demo.events_catalog import DEMO_FEATURE_EVENTS, DEMO_PRODUCT_SOURCES
from quarterdeck.demo.services import demo_load
from quarterdeck.demo.tracking import demo_tracking_ensure
from quarterdeck.metrics.engine import DuckDBEngine, FeatureAdoption, run
from quarterdeck.metrics.models import FeatureUsage, Source
from quarterdeck.metrics.tracking import feature_matcher, product_filter
from quarterdeck.portfolio.models import Feature, Product

pytestmark = pytest.mark.django_db
END = dt.date(2026, 6, 30)


def test_every_demo_product_gets_a_source_and_every_feature_a_definition(tmp_path: Path) -> None:
    demo_load()
    ids = demo_tracking_ensure()
    assert set(ids) == set(DEMO_PRODUCT_SOURCES.values())
    assert Source.objects.count() == len(DEMO_PRODUCT_SOURCES)
    assert FeatureUsage.objects.count() == len(DEMO_FEATURE_EVENTS)
    assert demo_tracking_ensure() == ids  # idempotent
    assert FeatureUsage.objects.count() == len(DEMO_FEATURE_EVENTS)
    for product in Product.objects.all():
        assert product_filter(product) is not None, product.name

    generate_demo_events(tmp_path, end=END, scale=0.02, days=28, source_ids=ids)
    files = str(tmp_path / "date=*" / "*.parquet")
    query = f"SELECT DISTINCT source_id FROM read_parquet('{files}')"  # noqa: S608 - a test path
    found = duckdb.connect().execute(query).fetchall()
    assert {value for (value,) in found} <= set(ids.values())

    # The definitions count the generated usage: the launched route planner is used.
    planner = Feature.objects.get(name="Drag-and-drop route planner")
    scope, matcher = product_filter(planner.product), feature_matcher(planner)
    assert scope is not None
    assert matcher is not None
    adoption = FeatureAdoption(
        start=END - dt.timedelta(days=27), end=END, feature=matcher, filters=scope.conditions
    )
    result = run(adoption, DuckDBEngine.from_parquet(tmp_path)).get()
    assert 0 < result.numerator < result.denominator
