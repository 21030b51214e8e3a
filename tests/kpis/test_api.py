"""The KPI API: series, latest values, refresh; clear errors for bad parameters."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quarterdeck.kpis.models import KpiRefreshState, KpiSnapshot
from tests.api.client import Api
from tests.kpis.conftest import LAST, Store, Tracked, refresh

pytestmark = pytest.mark.django_db


def test_series_defaults_to_the_90_days_up_to_the_last_refreshed_day(
    store: Store, tracked: Tracked
) -> None:
    refresh(today=LAST)
    response = Api(tracked.personas.viewer).get("/kpis", product=tracked.personas.atlas.pk)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["metric"] == "dau"
    assert body["points"][-1]["day"] == LAST.isoformat()
    assert len(body["points"]) == 46  # the data starts 46 days before: no rows before that


def test_ratio_points_carry_numerator_and_denominator(store: Store, tracked: Tracked) -> None:
    refresh(today=LAST)
    query = {"product": tracked.personas.atlas.pk, "metric": "stickiness", "from": "2024-02-15"}
    [point] = Api(tracked.personas.member).get("/kpis", **query).json()["points"]
    assert point["value"] == point["numerator"] / point["denominator"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"metric": "revenue"}, "metric"),
        ({"metric": "feature_users"}, "feature"),
        ({"metric": "dau", "feature": "search"}, "metric"),
        ({"from": "2024-02-10", "to": "2024-02-01"}, "from"),
        ({"from": "2022-01-01", "to": "2024-02-01"}, "to"),
        ({"metric": "feature_users", "feature": "beacon_feature"}, "feature"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(
    store: Store, tracked: Tracked, query: dict[str, str], field: str
) -> None:
    from quarterdeck.portfolio.models import Feature

    other = Feature.objects.create(name="Beacon radar", product=tracked.personas.beacon)
    ids = {"search": tracked.search.pk, "beacon_feature": other.pk}
    query = {k: ids.get(v, v) for k, v in query.items()}  # type: ignore[misc]
    response = Api(tracked.personas.viewer).get("/kpis", product=tracked.personas.atlas.pk, **query)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"], response.json()


def test_malformed_values_answer_422_and_missing_objects_404(
    store: Store, tracked: Tracked
) -> None:
    client = Api(tracked.personas.viewer)
    bad_day = client.get("/kpis", product=tracked.personas.atlas.pk, **{"from": "yesterday"})
    assert bad_day.status_code == 422
    assert "from" in bad_day.json()["fields"]
    assert client.get("/kpis", product=999999).status_code == 404
    assert client.get("/kpis").status_code == 422  # product is required


def test_latest_compares_with_a_week_and_four_weeks_before(store: Store, tracked: Tracked) -> None:
    refresh(today=LAST)
    atlas = tracked.personas.atlas
    body = Api(tracked.personas.viewer).get(f"/products/{atlas.pk}/kpis/latest").json()
    assert body["day"] == LAST.isoformat()  # LAST is long past: a complete day
    cards = {card["metric"]: card for card in body["cards"]}
    assert list(cards) == ["dau", "wau", "mau", "stickiness"]
    mau = cards["mau"]
    expected = {
        d: KpiSnapshot.objects.get(product=atlas, feature=None, metric="mau", day=d).value
        for d in (LAST, LAST - timedelta(days=7), LAST - timedelta(days=28))
    }
    assert (mau["value"], mau["week_ago"], mau["four_weeks_ago"]) == tuple(expected.values())
    if expected[LAST - timedelta(days=7)]:
        assert mau["change_week"] == pytest.approx(
            (expected[LAST] - expected[LAST - timedelta(days=7)])
            / expected[LAST - timedelta(days=7)]
        )
    assert body["refresh"]["last_day"] == LAST.isoformat()


def test_latest_of_a_product_never_refreshed_is_empty(store: Store, tracked: Tracked) -> None:
    atlas = tracked.personas.atlas
    body = Api(tracked.personas.viewer).get(f"/products/{atlas.pk}/kpis/latest").json()
    assert body == {"product_id": atlas.pk, "day": None, "cards": [], "refresh": None}


def test_a_leader_starts_a_refresh(store: Store, tracked: Tracked) -> None:
    atlas = tracked.personas.atlas
    response = Api(tracked.personas.leader).post("/kpis/refresh", {"product_id": atlas.pk})
    assert response.status_code == 202, response.content
    assert response.json()["task_id"]
    # The tests' task backend runs it at once; only the product asked for.
    assert KpiRefreshState.objects.filter(product=atlas).exists()
    assert not KpiRefreshState.objects.filter(product=tracked.personas.beacon).exists()


def test_refresh_refuses_unknown_fields_and_others(store: Store, tracked: Tracked) -> None:
    leader = Api(tracked.personas.leader)
    assert leader.post("/kpis/refresh", {"everything": True}).status_code == 422
    assert leader.post("/kpis/refresh", {"product_id": 999999}).status_code == 404
    manager = Api(tracked.personas.manager).post("/kpis/refresh", {})
    assert manager.status_code == 403
    assert "leaders and admins" in manager.json()["message"]
