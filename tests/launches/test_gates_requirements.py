"""Each built-in data check by hand: unmet with a reason that says how to meet it, then met."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from quarterdeck.launches import gate_checks
from quarterdeck.launches.gates import REQUIREMENTS, register_requirement
from quarterdeck.launches.models import GateCriterion, LaunchPlan, SuccessMetric, SunsetPlan
from quarterdeck.portfolio.models import Feature
from quarterdeck.roadmap.models import Effort, RoadmapEntry, Score, ScoringModel
from quarterdeck.strategy.models import Outcome
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _bare(personas: Personas) -> Feature:
    return Feature.objects.create(name="Bare", product=personas.atlas)


def test_owner_description_and_segments(personas: Personas) -> None:
    bare = _bare(personas)
    assert "owner" in (gate_checks.owner(bare) or "")
    assert "description" in (gate_checks.description(bare) or "")
    assert "segment" in (gate_checks.target_segments(bare) or "")
    bare.owner, bare.description, bare.target_segments = personas.people["mia"], "Why", ["SMB"]
    assert gate_checks.owner(bare) is gate_checks.description(bare) is None
    assert gate_checks.target_segments(bare) is None


def test_outcome_of_the_product(personas: Personas) -> None:
    bare = _bare(personas)
    assert "outcome" in (gate_checks.outcome(bare) or "")
    Outcome.objects.create(
        title="Find anything", level="product", product=personas.atlas, period="2026-Q4",
        start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31),
    )  # fmt: skip
    assert gate_checks.outcome(bare) is None
    assert gate_checks.outcome(personas.atlas) is None
    assert gate_checks.outcome(personas.beacon) is not None


def test_score_effort_and_roadmap(personas: Personas) -> None:
    bare = _bare(personas)
    model = ScoringModel.objects.create(name="Gate test", framework="ice", formula="impact")
    assert "score" in (gate_checks.score(bare) or "").lower()
    Score.objects.create(feature=bare, scoring_model=model, value=None, error="missing input")
    assert gate_checks.score(bare) is not None  # a score without a value does not count
    Score.objects.filter(feature=bare).update(value=7.0)
    assert gate_checks.score(bare) is None
    assert gate_checks.score(personas.atlas) is None  # a product: any of its features
    assert "effort" in (gate_checks.effort(bare) or "")
    Effort.objects.create(feature=bare, team=personas.team, amount=3)
    assert gate_checks.effort(bare) is None
    assert "roadmap" in (gate_checks.roadmap(bare) or "").lower()
    RoadmapEntry.objects.create(feature=bare, lane="next")
    assert gate_checks.roadmap(bare) is None


def test_sunset_plan_needs_a_shutdown_date(personas: Personas) -> None:
    bare = _bare(personas)
    assert "No sunset plan" in (gate_checks.sunset_plan(bare) or "")
    plan = SunsetPlan.objects.create(item_type="feature", item_id=bare.pk)
    assert "shutdown date" in (gate_checks.sunset_plan(bare) or "")
    plan.shutdown_on = dt.date(2027, 1, 1)
    plan.save()
    assert gate_checks.sunset_plan(bare) is None


def test_metrics_bound(personas: Personas) -> None:
    bare = _bare(personas)
    plan = LaunchPlan.objects.create(
        feature=bare, product=personas.atlas, name="Launch", launch_on=dt.date(2026, 1, 1)
    )
    metric = SuccessMetric.objects.create(plan=plan, metric="feature_users", target=10)
    assert "bound" in (gate_checks.metrics_bound(bare) or "")
    metric.bound_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    metric.save()
    assert gate_checks.metrics_bound(bare) is None


def test_a_registered_requirement_gates_moves(personas: Personas) -> None:
    before = dict(REQUIREMENTS)
    try:
        register_requirement(
            "legal",
            "Legal signed off",
            lambda item: "Ask Legal." if "Legal" not in item.description else None,
        )
        GateCriterion.objects.create(
            stage="discovery", kind="required", requirement="legal", label=""
        )
        body = {"to_stage": "build", "reason": "Go"}
        refused = Api(personas.member).post(f"/features/{personas.search.pk}/stage", body)
        assert refused.status_code == 400
        assert refused.json()["fields"]["stage"] == ["Discovery: Legal signed off — Ask Legal."]
        Feature.objects.filter(pk=personas.search.pk).update(description="Legal OK")
        assert (
            Api(personas.member).post(f"/features/{personas.search.pk}/stage", body).status_code
            == 201
        )
    finally:
        REQUIREMENTS.clear()
        REQUIREMENTS.update(before)


def test_the_edit_form_shows_the_gate_error_next_to_the_stage(personas: Personas) -> None:
    GateCriterion.objects.create(stage="discovery", kind="checklist", label="Evidence reviewed")
    client = Client()
    client.force_login(personas.member)
    path = f"/portfolio/features/{personas.search.pk}/edit/"
    form = client.get(path)
    assert form.status_code == 200
    data = {k: v for k, v in form.context["form"].initial.items() if v is not None}
    data |= {"stage": "build", "stage_reason": "Go", "version": personas.search.version}
    data["target_segments"] = ""
    data["links"] = ""
    response = client.post(path, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Evidence reviewed" in " ".join(errors.get("stage", []))
