"""Launching: plan_mark_launched binds the success metrics (CHECKS), the stage listener marks a
planned launch launched when its feature reaches "launch", and the "launch_plan" gate check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from quarterdeck.launches import plans
from quarterdeck.launches.models import LaunchPlan, LaunchStatus
from quarterdeck.portfolio.services import feature_update
from tests.personas import Personas


@pytest.fixture
def bound(monkeypatch: pytest.MonkeyPatch) -> list[LaunchPlan]:
    """Records the plans CHECKS's metrics_bind was called with."""
    from quarterdeck.launches import checks

    calls: list[LaunchPlan] = []
    monkeypatch.setattr(checks, "metrics_bind", calls.append)
    return calls


def _plan(p: Personas, **data: Any) -> LaunchPlan:
    base = {"feature_id": p.search.pk, "template": "Feature launch", "launch_on": "2027-02-15"}
    return plans.plan_create(actor=None, data={**base, **data})


def test_mark_launched_binds_the_metrics(personas: Personas, bound: list[LaunchPlan]) -> None:
    plan = _plan(personas)
    done = plans.plan_mark_launched(actor=personas.member, plan_id=plan.pk, on="2027-02-17")
    assert done.status == LaunchStatus.LAUNCHED
    assert done.launched_on == dt.date(2027, 2, 17)
    assert [p.pk for p in bound] == [plan.pk]


def test_reaching_launch_marks_the_planned_plan_launched(
    personas: Personas, bound: list[LaunchPlan]
) -> None:
    plan = _plan(personas)
    cancelled = _plan(personas, name="Old idea")
    plans.plan_update(actor=None, plan_id=cancelled.pk, data={"status": "cancelled"})
    feature = personas.search
    for stage in ("build", "launch"):
        feature.refresh_from_db()
        feature_update(
            actor=personas.member,
            feature_id=feature.pk,
            data={"stage": stage},
            expected_version=feature.version,
            stage_reason="Ready",
        )
    plan.refresh_from_db()
    assert plan.status == LaunchStatus.LAUNCHED
    assert plan.launched_on is not None
    assert LaunchPlan.objects.get(pk=cancelled.pk).status == LaunchStatus.CANCELLED
    assert [p.pk for p in bound] == [plan.pk]


def test_other_stages_leave_plans_alone(personas: Personas, bound: list[LaunchPlan]) -> None:
    plan = _plan(personas)
    feature = personas.search
    feature_update(
        actor=personas.member,
        feature_id=feature.pk,
        data={"stage": "build"},
        expected_version=feature.version,
        stage_reason="Go",
    )
    assert LaunchPlan.objects.get(pk=plan.pk).status == LaunchStatus.PLANNED
    assert bound == []


def test_launch_plan_requirement(personas: Personas) -> None:
    from quarterdeck.launches.gates import REQUIREMENTS

    check = REQUIREMENTS["launch_plan"].check
    assert "no launch plan" in (check(personas.search) or "")
    plan = _plan(personas)
    assert check(personas.search) is None
    plans.plan_update(actor=None, plan_id=plan.pk, data={"status": "cancelled"})
    assert check(personas.search) is not None
    assert "no launch plan" in (
        check(personas.atlas) or ""
    )  # a feature's plan is not the product's
