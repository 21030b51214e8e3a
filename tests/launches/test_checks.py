"""Post-launch checks on synthetic KPI snapshots: binding (baseline windows, due dates), the
verdicts (met, improved, no change, worse, no data, pending), the test chosen per metric, the
daily run re-checking what lacked data, flags and the "success_metrics" gate requirement."""

from __future__ import annotations

import datetime as dt

import pytest

from quarterdeck.kpis.models import KpiSnapshot
from quarterdeck.launches import checks, checks_metrics
from quarterdeck.launches.models import LaunchCheck, SuccessMetric
from quarterdeck.lib.errors import InvalidInput, NotAllowed
from tests.launches import checks_data as data
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _add(personas: Personas, plan_id: int, **values: object) -> SuccessMetric:
    return checks_metrics.metric_add(actor=personas.member, plan_id=plan_id, data=values)


def _checks(metric: SuccessMetric) -> dict[int, LaunchCheck]:
    return {c.offset_days: c for c in LaunchCheck.objects.filter(metric=metric)}


def test_binding_measures_the_baseline_window_and_creates_three_checks(
    personas: Personas,
) -> None:
    data.daily_counts(personas.atlas, "dau", before=100, after=150)
    plan = data.plan_for(personas.search, launched=False)
    metric = _add(personas, plan.pk, metric="dau", target=140)
    assert metric.bound_at is None
    assert not LaunchCheck.objects.exists()

    plan.launched_on = data.LAUNCH
    plan.save()
    checks.metrics_bind(plan)

    metric = SuccessMetric.objects.get(pk=metric.pk)
    assert metric.bound_at is not None
    window = [data.day(-28).isoformat(), data.day(-1).isoformat()]
    assert metric.baseline_detail == {"window": window, "n": 28}
    expected = [
        (100 if d.weekday() < 5 else 50) + data.jitter(d)
        for d in (data.day(-n) for n in range(1, 29))
    ]
    assert metric.baseline == pytest.approx(sum(expected) / 28)
    due = {c.offset_days: c.due_on for c in LaunchCheck.objects.filter(metric=metric)}
    assert due == {30: data.day(30), 60: data.day(60), 90: data.day(90)}


def test_verdicts_of_daily_counts_and_pending(personas: Personas) -> None:
    cases = {"met": (100, 150, 120), "improved": (100, 125, 160), "same": (100, 100, 140)}
    metrics, plans = {}, []
    for name, (before, after, target) in cases.items():
        feature = personas.search.__class__.objects.create(
            name=f"F {name}", product=personas.atlas, owner=personas.people["mia"]
        )
        data.daily_counts(personas.atlas, "feature_users", before, after, feature=feature)
        plans.append(data.plan_for(feature))
        metrics[name] = _add(personas, plans[-1].pk, metric="feature_users", target=target)
    plans.append(data.plan_for(personas.search))
    data.daily_counts(personas.atlas, "feature_users", 100, 60, feature=personas.search)
    metrics["worse"] = _add(personas, plans[-1].pk, metric="feature_users", target=140)

    # as of launch + 65 days: +30 and +60 of four metrics computed, +90 pending
    assert sum(checks.plan_compute(plan, today=data.day(65)) for plan in plans) == 8

    verdicts = {n: [c.verdict for c in _checks(m).values()] for n, m in metrics.items()}
    assert verdicts == {
        "met": ["met", "met", "pending"],
        "improved": ["improved", "improved", "pending"],
        "same": ["no_change", "no_change", "pending"],
        "worse": ["worse", "worse", "pending"],
    }
    improved = _checks(metrics["improved"])[30]
    assert improved.test == "Welch's t-test"
    assert improved.p_value is not None
    assert improved.p_value < 0.05
    assert improved.detail["after"] == {
        "window": [data.day(3).isoformat(), data.day(30).isoformat()], "n": 28,
    }  # fmt: skip
    assert improved.detail["interval"]["low"] > 0
    assert improved.change == pytest.approx(improved.value - improved.baseline)  # type: ignore[operator]


def test_missing_snapshots_give_no_data_and_are_checked_again(personas: Personas) -> None:
    plan = data.plan_for(personas.search)
    metric = _add(personas, plan.pk, metric="mau", target=900)  # bound at once: launched

    assert checks.checks_run(today=data.day(31)) == 1
    first = _checks(metric)[30]
    assert first.verdict == "no_data"
    assert "no snapshot" in first.detail["baseline"]["note"]

    data.level(personas.atlas, "mau", before=800, after=960)
    assert checks.checks_run(today=data.day(31)) == 1  # re-checked: it lacked data
    again = _checks(metric)[30]
    assert again.verdict == "met"
    assert again.test.startswith("exact Poisson test")
    assert again.statistic == pytest.approx(960 / 800)
    assert again.p_value is not None
    assert again.p_value < 0.001
    assert checks.checks_run(today=data.day(31)) == 0  # final now


def test_ratio_metrics_use_the_two_proportion_test_on_the_same_weekday(
    personas: Personas,
) -> None:
    data.ratio(personas.atlas, "stickiness", before=(200, 1000), after=(260, 1000))
    plan = data.plan_for(personas.search)
    metric = _add(personas, plan.pk, metric="stickiness", target=0.3)

    check = _checks(metric)[30]
    assert check.verdict == "improved"
    assert check.test == "two-proportion z-test"
    baseline_day = dt.date.fromisoformat(check.detail["baseline"]["day"])
    assert baseline_day < data.LAUNCH
    assert baseline_day.weekday() == data.day(30).weekday()
    assert check.detail["baseline"]["numerator"] == 200
    assert check.statistic == pytest.approx(0.06 / (0.23 * 0.77 * 2 / 1000) ** 0.5, rel=1e-6)


def test_a_new_feature_is_compared_with_its_target_only(personas: Personas) -> None:
    data.ratio(personas.atlas, "feature_adoption_30d", (0, 500), (120, 500), personas.search)
    plan = data.plan_for(personas.search)
    met = _add(personas, plan.pk, metric="feature_adoption_30d", target=0.2)
    missed = _add(personas, plan.pk, metric="feature_adoption_30d", target=0.3)

    assert _checks(met)[30].verdict == "met"
    short = _checks(missed)[30]
    assert short.verdict == "no_change"
    assert short.test == "target only"
    assert "compares the value with the target only" in short.detail["note"]
    assert short.p_value is None


def test_after_binding_only_the_target_changes_and_the_metric_stays(
    personas: Personas,
) -> None:
    data.level(personas.atlas, "wau", before=300, after=330)
    plan = data.plan_for(personas.search)
    metric = _add(personas, plan.pk, metric="wau", target=400)
    assert _checks(metric)[30].verdict == "no_change"

    with pytest.raises(InvalidInput) as bad:
        checks_metrics.metric_update(
            actor=personas.member, metric_id=metric.pk, data={"metric": "mau"}
        )
    assert "metric" in bad.value.fields
    checks_metrics.metric_update(actor=personas.member, metric_id=metric.pk, data={"target": 320})
    assert _checks(metric)[30].verdict == "met"  # computed again with the new target
    with pytest.raises(InvalidInput):
        checks_metrics.metric_delete(actor=personas.member, metric_id=metric.pk)
    with pytest.raises(NotAllowed):
        checks_metrics.metric_update(actor=personas.viewer, metric_id=metric.pk, data={"target": 1})


def test_flags_and_the_gate_requirement(personas: Personas) -> None:
    plan = data.plan_for(personas.search, launched=False)
    assert checks.success_metrics_requirement(personas.search) is not None
    _add(personas, plan.pk, metric="feature_users")  # no target yet
    assert checks.success_metrics_requirement(personas.search) is not None
    _add(personas, plan.pk, metric="feature_users_30d", target=50)
    assert checks.success_metrics_requirement(personas.search) is None
    from quarterdeck.launches.gates import REQUIREMENTS

    assert "success_metrics" in REQUIREMENTS

    feature_flags = checks.item_flags(personas.search)
    assert [f.metric.metric for f in feature_flags] == ["feature_users", "feature_users_30d"]
    assert all(f.badges == [] and f.latest is None for f in feature_flags)  # not bound yet
    assert len(checks.item_flags(personas.atlas)) == 2  # the product sees its features' launches
    assert checks.item_flags(personas.beacon) == []


def test_bad_metric_input_names_the_field(personas: Personas) -> None:
    plan = data.plan_for(personas.search, launched=False)
    cases: list[tuple[dict[str, object], str]] = [
        ({"metric": "revenue"}, "metric"),
        ({"metric": "dau", "feature_id": personas.search.pk}, "feature_id"),
        ({"metric": "dau", "target": "lots"}, "target"),
        ({"metric": "dau", "baseline_days": 3}, "baseline_days"),
        ({"metric": "dau", "direction": "sideways"}, "direction"),
        ({"metric": "dau", "colour": "red"}, "colour"),
    ]
    for values, field in cases:
        with pytest.raises(InvalidInput) as bad:
            checks_metrics.metric_add(actor=personas.member, plan_id=plan.pk, data=values)
        assert field in bad.value.fields, values
    assert not KpiSnapshot.objects.exists()


def test_the_daily_task_computes_what_is_due(personas: Personas) -> None:
    from quarterdeck.launches.tasks import check_launches_daily

    plan = data.plan_for(personas.search)
    metric = _add(personas, plan.pk, metric="wau", target=10)
    assert {c.verdict for c in _checks(metric).values()} == {"no_data"}
    data.level(personas.atlas, "wau", before=8, after=12)

    assert check_launches_daily.call() == {"computed": 3}  # re-checked: they lacked data
    assert {c.verdict for c in _checks(metric).values()} == {"met"}
