"""The refresh: a key result's status follows its data — analytics events, survey answers,
subscriptions, check-ins — outcomes roll up, and a binding that fails keeps the last values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from quarterdeck.strategy.bindings import check_binding
from quarterdeck.strategy.models import KeyResult, KeyResultCheckIn, KeyResultPoint, Outcome
from quarterdeck.strategy.refresh import refresh_key_result, refresh_outcomes
from quarterdeck.surveys.models import Survey
from tests.kpis.conftest import Store
from tests.personas import Personas
from tests.strategy.numbers_data import (
    answers,
    daily_users,
    events,
    key_result,
    nps_survey,
    outcome,
    subscription,
)

pytestmark = pytest.mark.django_db
__all__ = ["events"]

DAY = dt.timedelta(days=1)


def _status(kr: KeyResult, today: dt.date) -> str:
    refresh_outcomes(today=today, key_result_ids=[kr.pk])
    kr.refresh_from_db()
    return kr.status


def test_analytics_key_result_goes_on_track_when_new_events_arrive(
    events: Store, personas: Personas
) -> None:
    # Daily users who booked a demo: 8 a day for four weeks against a target of 10 → at risk.
    today, end = dt.date(2024, 2, 16), dt.date(2024, 3, 1)
    first = today - 28 * DAY
    daily_users(events, "Demo Booked", first, today - DAY, 8)
    query = {"kind": "active-users", "product_id": personas.atlas.pk, "last_days": 30}
    binding = check_binding("analytics", {"query": query | {"events": ["Demo Booked"]}})
    kr = key_result(outcome(personas, first, end), "analytics", binding, baseline=0, target=10)
    assert _status(kr, today) == "at_risk"
    assert kr.current == 8.0
    assert kr.forecast == pytest.approx(8.0)
    # Four more people a day over the last two weeks: the trend now reaches the target.
    daily_users(events, "Demo Booked", today - 14 * DAY, today - DAY, 12)
    assert _status(kr, today) == "on_track"
    assert kr.current == 12.0
    assert kr.forecast is not None
    assert kr.forecast > 10


def test_survey_key_result_goes_on_track_with_new_promoters(personas: Personas) -> None:
    survey = nps_survey(personas)
    march = [(10, 4), (9, 5), (8, 6), (7, 7), (3, 8)]  # NPS +20
    answers(personas, survey, [(s, dt.datetime(2024, 3, d, 9, tzinfo=dt.UTC)) for s, d in march])
    binding = check_binding("survey", {"survey_id": survey.pk, "window_days": 30})
    goal = outcome(personas, dt.date(2024, 3, 1), dt.date(2024, 4, 30))
    kr = key_result(goal, "survey", binding, baseline=0, target=30, unit="NPS")
    today = dt.date(2024, 3, 20)
    assert _status(kr, today) == "off_track"  # flat at +20: two thirds of the way
    promoters = [(10, dt.datetime(2024, 3, 19, 9 + n, tzinfo=dt.UTC)) for n in range(5)]
    answers(personas, survey, promoters)
    assert _status(kr, today) == "on_track"
    assert kr.current == pytest.approx(60.0)  # 7 promoters, 1 detractor of 10


def test_revenue_key_result_goes_on_track_with_a_new_subscription(personas: Personas) -> None:
    subscription(personas, "acme", 1000, dt.date(2024, 1, 1))
    binding = check_binding("revenue", {"metric": "mrr", "product_id": personas.atlas.pk})
    goal = outcome(personas, dt.date(2024, 3, 1), dt.date(2024, 6, 30))
    kr = key_result(goal, "revenue", binding, baseline=1000, target=2000, unit="USD")
    today = dt.date(2024, 4, 15)
    assert _status(kr, today) == "off_track"
    assert kr.progress == 0.0
    subscription(personas, "bolt", 1200, dt.date(2024, 4, 1))
    assert _status(kr, today) == "on_track"
    assert kr.current == 2200.0
    assert kr.progress == pytest.approx(1.2)


def test_manual_key_result_reads_the_last_check_in_of_each_day(personas: Personas) -> None:
    goal = outcome(personas, dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    kr = key_result(goal, "manual", {}, baseline=100, target=50, direction="decrease")
    typed = [(dt.date(2024, 1, 10), 95.0), (dt.date(2024, 1, 20), 90.0), (dt.date(2024, 1, 20), 85)]
    for day, value in typed:
        KeyResultCheckIn.objects.create(key_result=kr, day=day, value=value, note="measured")
    KeyResultCheckIn.objects.create(key_result=kr, day=dt.date(2024, 1, 21), note="no value")
    assert refresh_key_result(kr, today=dt.date(2024, 1, 25)) == ""
    points = list(KeyResultPoint.objects.filter(key_result=kr).values_list("day", "value"))
    assert points == [(dt.date(2024, 1, 10), 95.0), (dt.date(2024, 1, 20), 85.0)]
    kr.refresh_from_db()
    # Down 15 of 50 in 19 days: the pace (from 1 January) reaches 50 before the end.
    assert kr.progress == pytest.approx(0.3)
    assert (kr.status, kr.refresh_error) == ("on_track", "")
    later = dt.date(2024, 4, 2)
    assert _status(kr, later) == "off_track"  # ended at 85: the target was missed


def _manual(goal: Outcome, progress_value: float, weight: float = 1.0) -> KeyResult:
    kr = key_result(goal, "manual", {}, baseline=0, target=100, weight=weight)
    KeyResultCheckIn.objects.create(key_result=kr, day=goal.start, value=progress_value * 100)
    return kr


def test_outcomes_roll_up_bottom_up_with_weights(personas: Personas) -> None:
    start, end = dt.date(2024, 1, 1), dt.date(2024, 3, 31)
    company = outcome(personas, start, end, level="company", product=None, title="Company")
    product = outcome(personas, start, end, parent=company, weight=3.0, title="Atlas")
    _manual(product, 0.2)
    _manual(product, 0.6)
    _manual(company, 2.0)  # a runaway key result counts as done, not as two
    report = refresh_outcomes(today=dt.date(2024, 4, 2))
    assert (report.key_results, report.failed, report.outcomes) == (3, 0, 2)
    product.refresh_from_db()
    company.refresh_from_db()
    assert product.progress == pytest.approx(0.4)
    assert company.progress == pytest.approx((3 * 0.4 + 1 * 1.0) / 4)
    assert (product.status, company.status) == ("off_track", "off_track")


def test_a_failing_binding_keeps_the_last_values_and_says_why(personas: Personas) -> None:
    survey = nps_survey(personas)
    answers(personas, survey, [(10, dt.datetime(2024, 3, 4, 9, tzinfo=dt.UTC))])
    binding = check_binding("survey", {"survey_id": survey.pk})
    kr = key_result(outcome(personas, dt.date(2024, 3, 1), dt.date(2024, 4, 30)), "survey", binding)
    today = dt.date(2024, 3, 10)
    refresh_outcomes(today=today)
    kr.refresh_from_db()
    before = (kr.current, kr.progress, kr.status, kr.refreshed_at)
    assert before[0] == 100.0
    Survey.objects.filter(pk=survey.pk).delete()
    report = refresh_outcomes(today=today)
    assert (report.key_results, report.failed) == (1, 1)
    assert "was deleted" in report.errors[0]
    kr.refresh_from_db()
    assert (kr.current, kr.progress, kr.status, kr.refreshed_at) == before
    assert "survey" in kr.refresh_error
    assert KeyResultPoint.objects.filter(key_result=kr).count() == 2


def test_a_crashing_warehouse_is_an_error_not_an_exception(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quarterdeck.strategy import bindings_analytics

    def down(*_: Any, **__: Any) -> Any:
        raise OSError("connection refused")

    monkeypatch.setattr(bindings_analytics, "evaluate_analytics", down)
    goal = outcome(personas, dt.date(2024, 3, 1), dt.date(2024, 4, 30))
    kr = key_result(goal, "analytics", {"query": {}, "series": "mau"})
    report = refresh_outcomes(today=dt.date(2024, 3, 10))
    assert report.failed == 1
    kr.refresh_from_db()
    assert kr.refresh_error == "Could not read the data: connection refused"
    assert kr.status == "no_data"


def test_new_answers_schedule_a_refresh_after_the_commit(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """The hook in the surveys app: stored answers refresh the survey key results."""
    today = dt.datetime.now(dt.UTC).date()
    survey = nps_survey(personas)
    goal = outcome(personas, today - 10 * DAY, today + 60 * DAY)
    binding = check_binding("survey", {"survey_id": survey.pk, "window_days": 30})
    kr = key_result(goal, "survey", binding, baseline=0, target=50)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        answers(personas, survey, [(10, now), (9, now), (2, now)])
    kr.refresh_from_db()
    assert kr.current == pytest.approx(100 / 3)
    assert kr.refreshed_at is not None


class FakeTask:
    """Stands in for the task (a frozen dataclass): records or fails what is enqueued."""

    def __init__(self, record: Callable[[dict[str, Any]], None]) -> None:
        self.record = record

    def enqueue(self, **kwargs: Any) -> None:
        self.record(kwargs)


def test_requests_in_one_transaction_become_one_refresh(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from quarterdeck.strategy import tasks

    queued: list[dict[str, Any]] = []
    monkeypatch.setattr(tasks, "refresh_strategy", FakeTask(queued.append))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_refresh(sources=["revenue"])
        tasks.schedule_refresh(sources=["revenue"])
        tasks.schedule_refresh(sources=["survey"])
    assert queued == [{"sources": ["revenue", "survey"]}]
    with django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_refresh(key_result_ids=[3])
        tasks.schedule_refresh()
    assert queued[1:] == [{}]  # everything covers key result 3


def test_scheduling_never_fails_the_caller(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from quarterdeck.strategy import tasks

    def broken(_: dict[str, Any]) -> None:
        raise RuntimeError("queue table missing")

    monkeypatch.setattr(tasks, "refresh_strategy", FakeTask(broken))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.schedule_refresh(key_result_ids=[1])
    assert len(callbacks) == 1  # it ran, and raised nothing


def test_the_daily_refresh_runs_at_three_in_the_workspace_zone(settings: Any) -> None:
    from quarterdeck.strategy.tasks import next_daily_run

    settings.TIME_ZONE = "Europe/Berlin"
    evening = dt.datetime(2026, 11, 25, 22, 0, tzinfo=dt.UTC)  # 23:00 in Berlin
    assert next_daily_run(evening) == dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)
    night = dt.datetime(2026, 11, 26, 1, 0, tzinfo=dt.UTC)  # 02:00 in Berlin
    assert next_daily_run(night) == dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)


def test_the_kpi_refresh_schedules_the_analytics_key_results(
    personas: Personas,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from quarterdeck.kpis.tasks import refresh_kpis
    from quarterdeck.strategy import tasks

    queued: list[dict[str, Any]] = []
    monkeypatch.setattr(tasks, "refresh_strategy", FakeTask(queued.append))
    with django_capture_on_commit_callbacks(execute=True):
        refresh_kpis.call()
    assert queued == [{"sources": ["analytics"]}]


def test_a_new_subscription_schedules_the_revenue_key_results(
    personas: Personas,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from quarterdeck.strategy import tasks

    queued: list[dict[str, Any]] = []
    monkeypatch.setattr(tasks, "refresh_strategy", FakeTask(queued.append))
    with django_capture_on_commit_callbacks(execute=True):
        subscription(personas, "acme", 100, dt.date(2024, 1, 1))
    assert queued == [{"sources": ["revenue"]}]
