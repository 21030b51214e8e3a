"""Snapshot values are exactly what the metric engine returns for the same definitions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import pytest

from quarterdeck.kpis.models import KpiSnapshot
from quarterdeck.metrics.engine import ActiveUsers, EventMatcher, FeatureAdoption, run
from quarterdeck.metrics.engine.definitions import Measure
from quarterdeck.metrics.tracking import feature_matcher, product_filter
from quarterdeck.metrics.warehouse import event_engine
from tests.api.client import Api
from tests.kpis.conftest import FIRST, LAST, Store, Tracked, refresh

pytestmark = pytest.mark.django_db


def _api_series(tracked: Tracked, metric: str, feature: int | None = None) -> dict[date, float]:
    query: dict[str, object] = {"product": tracked.personas.atlas.pk, "metric": metric}
    query |= {"from": FIRST.isoformat(), "to": LAST.isoformat()}
    if feature is not None:
        query["feature"] = feature
    response = Api(tracked.personas.viewer).get("/kpis", **query)
    assert response.status_code == 200, response.content
    return {date.fromisoformat(p["day"]): p["value"] for p in response.json()["points"]}


def _engine_series(tracked: Tracked, measure: str, feature: int | None = None) -> dict[date, float]:
    scope = product_filter(tracked.personas.atlas)
    assert scope is not None
    active_on: tuple[EventMatcher, ...] = ()
    if feature is not None:
        matcher = feature_matcher(tracked.search.__class__.objects.get(pk=feature))
        assert matcher is not None
        active_on = (matcher,)
    series = run(
        ActiveUsers(
            start=FIRST,
            end=LAST,
            measure=cast(Measure, measure),
            filters=scope.conditions,
            active_on=active_on,
        ),
        event_engine(),
    )
    return {p.period: p.value for p in series.points}


@pytest.mark.parametrize("measure", ["dau", "wau", "mau", "stickiness"])
def test_product_metrics_equal_the_engine(store: Store, tracked: Tracked, measure: str) -> None:
    refresh(today=LAST)
    assert _api_series(tracked, measure) == _engine_series(tracked, measure)
    assert max(_api_series(tracked, measure).values()) > 0  # the data is not all zeros


@pytest.mark.parametrize("feature", ["search", "export", "csv"])
def test_feature_users_equal_the_engine(store: Store, tracked: Tracked, feature: str) -> None:
    # Export and CSV export match the same events: each must still get its own full count.
    pk = getattr(tracked, feature).pk
    refresh(today=LAST)
    assert _api_series(tracked, "feature_users", pk) == _engine_series(tracked, "dau", pk)
    assert _api_series(tracked, "feature_users_30d", pk) == _engine_series(tracked, "mau", pk)
    assert sum(_api_series(tracked, "feature_users", pk).values()) > 0


def test_feature_adoption_is_the_spec_adoption_over_30_days(store: Store, tracked: Tracked) -> None:
    refresh(today=LAST)
    scope = product_filter(tracked.personas.atlas)
    assert scope is not None
    adoption = _api_series(tracked, "feature_adoption_30d", tracked.csv.pk)
    matcher = feature_matcher(tracked.csv)
    assert matcher is not None
    for day in (FIRST + timedelta(days=5), FIRST + timedelta(days=33), LAST):
        expected = run(
            FeatureAdoption(
                start=day - timedelta(days=29), end=day, feature=matcher, filters=scope.conditions
            ),
            event_engine(),
        )
        assert adoption[day] == expected.value
        row = KpiSnapshot.objects.get(feature=tracked.csv, metric="feature_adoption_30d", day=day)
        assert (row.numerator, row.denominator) == (
            expected.get().numerator,
            expected.get().denominator,
        )


def test_retroactive_identity_is_applied(store: Store, tracked: Tracked) -> None:
    """anon-1 (day 4) was identified as u99 later: on day 4 it counts as one person."""
    refresh(today=LAST)
    dau = _api_series(tracked, "dau")
    assert dau == _engine_series(tracked, "dau")
    assert dau[FIRST + timedelta(days=3)] >= 1


def test_no_rows_before_the_first_active_day(store: Store, tracked: Tracked) -> None:
    result = refresh(today=LAST)
    atlas = next(p for p in result.products if p.product_id == tracked.personas.atlas.pk)
    assert atlas.full
    first = KpiSnapshot.objects.filter(product=tracked.personas.atlas).order_by("day").first()
    assert first is not None
    assert first.day == FIRST
