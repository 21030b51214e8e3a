"""Key-result bindings: checking them, and reading their values from analytics (engine and KPI
snapshots alike), surveys and revenue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from quarterdeck.analytics.queries import parse_query
from quarterdeck.analytics.services import insight_run
from quarterdeck.kpis.models import KpiSnapshot
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.strategy import bindings_analytics
from quarterdeck.strategy.bindings import check_binding, describe, evaluate, trace_url
from tests.kpis.conftest import FIRST, LAST, Store, Tracked, refresh, store, tracked
from tests.personas import Personas
from tests.strategy.numbers_data import (
    answers,
    key_result,
    nps_survey,
    outcome,
    subscription,
)

pytestmark = pytest.mark.django_db
__all__ = ["store", "tracked"]  # the KPI tests' fixtures: a tracked Atlas with 7 weeks of events


def _fields(source: str, metric: Any) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        check_binding(source, metric)
    return caught.value.fields


def test_bad_bindings_name_the_field_and_say_how_to_fix_it(personas: Personas) -> None:
    assert "source" in _fields("magic", {})
    assert "metric.query" in _fields("analytics", {"series": "mau"})
    survey = _fields("survey", {"survey_id": 999})
    assert survey == {"metric.survey_id": ["There is no survey with id 999."]}
    revenue = _fields("revenue", {"metric": "profit"})["metric.metric"][0]
    assert "mrr" in revenue
    assert "nrr" in revenue
    both = {"metric": "mrr", "product_id": personas.atlas.pk, "line_id": personas.platform.pk}
    assert "metric.line_id" in _fields("revenue", both)
    assert "metric.survey_id" in _fields("manual", {"survey_id": 1})
    survey_id = nps_survey(personas).pk
    assert "metric.window_days" in _fields("survey", {"survey_id": survey_id, "window_days": 0})


def test_analytics_query_errors_are_prefixed_and_series_listed(store: Store) -> None:
    atlas = store_product(store)
    kind = _fields("analytics", {"query": {"kind": "magic", "last_days": 30}})
    assert "metric.query.kind" in kind
    no_range = _fields("analytics", {"query": {"kind": "active-users"}})
    assert {"metric.query.start", "metric.query.end"} <= set(no_range)
    query = {"kind": "funnel", "product_id": atlas, "events": ["A", "B"], "last_days": 30}
    wrong = _fields("analytics", {"query": query, "series": "mau"})["metric.series"][0]
    assert "conversion" in wrong
    assert "completed" in wrong
    several = {"kind": "active-users", "product_id": atlas, "measure": "dau,mau", "last_days": 7}
    assert "metric.series" in _fields("analytics", {"query": several})
    days = {"kind": "active-days", "product_id": atlas, "last_days": 7}
    assert "metric.query.kind" in _fields("analytics", {"query": days})
    broken_down = {**several, "measure": "dau", "breakdown": "plan"}
    assert "metric.query.breakdown" in _fields("analytics", {"query": broken_down})


def store_product(store: Store) -> int:
    from quarterdeck.metrics.models import Source

    return int(Source.objects.get(pk=store.atlas_source).products.get().pk)


def test_normal_forms(store: Store, personas: Personas) -> None:
    survey = nps_survey(personas)
    assert check_binding("survey", {"survey_id": str(survey.pk)}) == {
        "survey_id": survey.pk,
        "window_days": 90,
    }
    query = {"kind": "active-users", "product_id": personas.atlas.pk, "measure": "mau"}
    found = check_binding("analytics", {"query": {**query, "last_days": 30}})
    assert found == {"query": {**query, "last_days": 30}, "series": "mau"}
    assert check_binding("revenue", {"metric": "nrr", "line_id": personas.platform.pk}) == {
        "metric": "nrr",
        "line_id": personas.platform.pk,
    }
    assert check_binding("manual", {}) == {}


def _mau_kr(personas: Personas, start: dt.date, end: dt.date) -> Any:
    query = {"kind": "active-users", "product_id": personas.atlas.pk, "last_days": 30}
    binding = check_binding("analytics", {"query": query, "series": "mau"})
    return key_result(outcome(personas, start, end), "analytics", binding, title="MAU")


def test_analytics_daily_values_are_the_engines_up_to_yesterday(
    store: Store, personas: Personas
) -> None:
    kr = _mau_kr(personas, FIRST + dt.timedelta(days=10), FIRST + dt.timedelta(days=90))
    points = evaluate(kr, today=LAST)
    query = parse_query({"kind": "active-users", "product_id": personas.atlas.pk, "last_days": 1})
    engine = insight_run(None, _range(query, kr.start, LAST - dt.timedelta(days=1), "mau"))
    assert points == [(r["period"], r["mau"]) for r in _rows(engine.rows)]
    assert points[0][0] == kr.start
    assert points[-1][0] == LAST - dt.timedelta(days=1)
    assert max(v for _, v in points) > 0


def _range(query: Any, start: dt.date, end: dt.date, measure: str) -> Any:
    return bindings_analytics.daily_query(query, measure, start, end)


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "period": dt.date.fromisoformat(str(r["period"]))} for r in rows]


def _no_engine(*_: Any, **__: Any) -> Any:
    raise AssertionError("the engine was asked although the snapshots cover the days")


@pytest.mark.parametrize("series", ["dau", "mau", "stickiness"])
def test_snapshots_give_the_same_numbers_as_the_engine(
    store: Store, tracked: Tracked, monkeypatch: pytest.MonkeyPatch, series: str
) -> None:
    personas = tracked.personas
    query = {"kind": "active-users", "product_id": personas.atlas.pk, "last_days": 30}
    binding = check_binding("analytics", {"query": query, "series": series})
    kr = key_result(outcome(personas, FIRST, LAST), "analytics", binding)
    refresh(today=LAST)
    with monkeypatch.context() as patched:
        patched.setattr(bindings_analytics, "_run", _no_engine)
        fast = evaluate(kr, today=LAST)
    KpiSnapshot.objects.all().delete()
    assert fast == evaluate(kr, today=LAST)
    assert len(fast) == (LAST - FIRST).days


def test_feature_adoption_is_sampled_weekly_and_snapshots_agree(
    store: Store, tracked: Tracked, monkeypatch: pytest.MonkeyPatch
) -> None:
    personas = tracked.personas
    query = {"kind": "feature-adoption", "product_id": personas.atlas.pk}
    query |= {"features": [tracked.csv.pk], "last_days": 30}
    binding = check_binding("analytics", {"query": query})
    assert binding["series"] == "adoption"
    start = FIRST + dt.timedelta(days=29)
    kr = key_result(outcome(personas, start, LAST + dt.timedelta(days=30)), "analytics", binding)
    refresh(today=LAST)
    with monkeypatch.context() as patched:
        patched.setattr(bindings_analytics, "_run", _no_engine)
        fast = evaluate(kr, today=LAST)
    assert [d for d, _ in fast] == [start + dt.timedelta(days=n) for n in (0, 7, 14)] + [LAST]
    KpiSnapshot.objects.all().delete()
    assert fast == evaluate(kr, today=LAST)
    assert all(0 < v < 1 for _, v in fast)


def test_survey_score_over_the_trailing_window(personas: Personas) -> None:
    survey = nps_survey(personas)
    march = [(s, dt.datetime(2024, 3, d, 9, tzinfo=dt.UTC)) for s, d in [(10, 4), (9, 5), (3, 8)]]
    answers(personas, survey, [*march, (10, dt.datetime(2024, 4, 9, 9, tzinfo=dt.UTC))])
    binding = check_binding("survey", {"survey_id": survey.pk, "window_days": 30})
    goal = outcome(personas, dt.date(2024, 3, 1), dt.date(2024, 4, 30))
    kr = key_result(goal, "survey", binding)
    points = dict(evaluate(kr, today=dt.date(2024, 4, 10)))
    assert dt.date(2024, 3, 1) not in points  # no answer in its window: no value
    assert points[dt.date(2024, 3, 8)] == pytest.approx(100 * (2 - 1) / 3)
    assert points[dt.date(2024, 4, 5)] == -100.0  # 7 Mar..5 Apr: the 3 of 8 March only
    assert points[dt.date(2024, 4, 10)] == 100.0  # 12 Mar..10 Apr: the 10 of 9 April only
    assert "NPS of survey “Atlas NPS”" in describe(kr)
    assert trace_url(kr) == f"/surveys/{survey.pk}/"


def test_revenue_mrr_on_sample_days_and_other_metrics_per_month(personas: Personas) -> None:
    subscription(personas, "acme", 100, dt.date(2024, 1, 1))
    subscription(personas, "bolt", 50, dt.date(2024, 2, 10))
    goal = outcome(personas, dt.date(2024, 2, 1), dt.date(2024, 4, 30))
    mrr = key_result(goal, "revenue", check_binding("revenue", {"metric": "mrr"}))
    points = dict(evaluate(mrr, today=dt.date(2024, 3, 5)))
    assert points[dt.date(2024, 2, 8)] == 100.0
    assert points[dt.date(2024, 2, 15)] == 150.0
    assert max(points) == dt.date(2024, 3, 5)
    binding = check_binding("revenue", {"metric": "customers", "product_id": personas.atlas.pk})
    customers = key_result(goal, "revenue", binding)
    assert evaluate(customers, today=dt.date(2024, 3, 5)) == [(dt.date(2024, 2, 29), 2.0)]
    assert describe(customers) == "customers of Atlas — revenue customers"
    assert trace_url(customers) == f"/revenue/?product={personas.atlas.pk}"


def test_describe_and_trace_of_an_analytics_key_result(store: Store, personas: Personas) -> None:
    kr = _mau_kr(personas, FIRST, LAST)
    assert describe(kr) == "MAU of Atlas — analytics active-users, measure mau, user actor"
    url = trace_url(kr)
    assert url is not None
    assert url.startswith("/analytics/insights/new/?kind=active-users")
    assert "measure=mau" in url
    assert f"start={FIRST.isoformat()}" in url


def test_values_of_the_wrong_type_are_bad_input_not_a_crash(personas: Personas) -> None:
    assert "metric.metric" in _fields("revenue", {"metric": ["mrr"]})
    assert "metric.product_id" in _fields("revenue", {"metric": "mrr", "product_id": 1.5})
    assert "metric.survey_id" in _fields("survey", {"survey_id": {"id": 1}})
    assert "metric" in _fields("survey", ["survey_id"])
    assert "source" in _fields(["analytics"], {})  # type: ignore[arg-type]
    query = {"kind": ["active-users"], "last_days": 7}
    assert "metric.query.kind" in _fields("analytics", {"query": query})
