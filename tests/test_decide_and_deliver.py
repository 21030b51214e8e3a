"""Issue 6's "done when", walked through the API on the demo company (a tenth of the events):
a product leader scores an initiative, runs the optimizer for next quarter, publishes the
roadmap, moves a feature through its gates to launch and sees its +30-day check — and the two
demo launches show one that worked and one that did not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from quarterdeck.accounts.models import Role, User
from quarterdeck.demo.events import generate_demo_events
from quarterdeck.demo.services import demo_load
from quarterdeck.demo.tracking import demo_tracking_ensure
from quarterdeck.kpis.services import kpis_refresh
from quarterdeck.launches.demo_checks import demo_checks_ensure
from quarterdeck.launches.demo_gates import READY, READY_OPEN, demo_gates_ensure
from quarterdeck.launches.demo_plans import demo_plans_ensure
from quarterdeck.launches.demo_story import FLOPPED, WORKED
from quarterdeck.launches.models import GateCriterion, LaunchPlan
from quarterdeck.lib.dates import workspace_today
from quarterdeck.portfolio.models import Feature
from quarterdeck.roadmap.demo_board import demo_board_ensure
from quarterdeck.roadmap.demo_planning import demo_planning_ensure
from quarterdeck.roadmap.demo_scoring import demo_scoring_ensure
from quarterdeck.roadmap.models import Score, ScoringModel
from tests.api.client import Api, etag_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(settings: Any, tmp_path: Path) -> User:
    settings.EVENTS_DIR = tmp_path / "events"
    now = timezone.now()
    demo_load()
    source_ids = demo_tracking_ensure()
    generate_demo_events(settings.EVENTS_DIR, now=now, scale=0.1, source_ids=source_ids)
    kpis_refresh(products=None, full=True)
    for step in (
        demo_gates_ensure,
        demo_scoring_ensure,
        demo_planning_ensure,
        demo_board_ensure,
        demo_plans_ensure,
        demo_checks_ensure,
    ):
        step()
    return User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk").first()  # type: ignore[return-value]


def _feature(key: tuple[str, str]) -> Feature:
    return Feature.objects.get(product__name=key[0], name=key[1])


def _next_quarter() -> str:
    today = workspace_today()
    quarter = (today.month - 1) // 3 + 1
    year, quarter = (today.year, quarter + 1) if quarter < 4 else (today.year + 1, 1)
    return f"{year}-Q{quarter}"


def test_a_leader_scores_plans_publishes_and_launches(leader: User) -> None:
    api = Api(leader)

    # Score: re-score a demo initiative with a reason; the history keeps who and why.
    score = Score.objects.filter(scoring_model__name="RICE").order_by("pk").first()
    assert score is not None
    path = f"/scoring/features/{score.feature_id}/scores/{score.scoring_model_id}"
    etag = etag_of(api.get(f"/scoring/scores/{score.pk}"))
    answer = api.put(path, {"inputs": {"reach": 900}, "reason": "Two new carriers"}, if_match=etag)
    assert answer.status_code == 200, answer.content
    history = api.get(f"/scoring/scores/{score.pk}/history").json()
    assert history[0]["reason"] == "Two new carriers"
    assert history[0]["actor"] == leader.email

    # Optimizer for next quarter: a plan, its value at least greedy's, a proven gap.
    run = api.post("/roadmap/scenarios", {"name": "Next quarter", "periods": [_next_quarter()]})
    assert run.status_code == 201, run.content
    scenario = run.json()
    assert scenario["status"] in {"optimal", "feasible"}
    assert scenario["chosen"] > 0
    assert scenario["value"] >= scenario["greedy_value"] - 1e-6
    assert scenario["gap"] is not None
    assert scenario["gap"] <= 0.005
    applied = api.post(f"/roadmap/scenarios/{scenario['id']}/apply", {})
    assert applied.status_code == 200, applied.content

    # Publish: a shared saved view, and a signed link that works without signing in.
    view = api.post("/roadmap/views", {"name": "Next quarter", "shared": True}).json()
    link = api.post(f"/roadmap/views/{view['id']}/links", {"label": "Board pack"}).json()
    public = Client().get(link["path"])
    assert public.status_code == 200
    assert b"Next quarter" in public.content

    # Gates: the ready feature lacks one tick; moving it is refused, then ticked, then allowed.
    ready = _feature(READY)
    assert ready.stage == "build"
    move = {"to_stage": "launch", "reason": "Ready: plan signed off"}
    refused = api.post(f"/features/{ready.pk}/stage", move)
    assert refused.status_code == 400
    assert READY_OPEN in refused.content.decode()
    tick = GateCriterion.objects.get(stage="build", applies_to="feature", label=READY_OPEN)
    ticked = api.put(f"/features/{ready.pk}/gate/ticks/{tick.pk}", {"done": True})
    assert ticked.status_code == 200, ticked.content
    moved = api.post(f"/features/{ready.pk}/stage", move)
    assert moved.status_code in {200, 201}, moved.content

    # Launch: the plan is launched today and its +30-day check is due in 30 days.
    plan = LaunchPlan.objects.get(feature=ready, status="launched")
    assert plan.launched_on == timezone.localdate()
    flags = api.get(f"/features/{ready.pk}/launch-checks").json()
    checks = [c for flag in flags for c in flag["metric"]["checks"] if c["offset_days"] == 30]
    assert checks
    assert all(c["verdict"] == "pending" for c in checks)
    assert {c["due_on"] for c in checks} == {str(plan.launched_on + dt.timedelta(days=30))}


def test_one_launch_worked_and_one_did_not(leader: User) -> None:
    api = Api(leader)
    worked = api.get(f"/features/{_feature(WORKED).pk}/launch-checks").json()
    flopped = api.get(f"/features/{_feature(FLOPPED).pk}/launch-checks").json()
    verdicts = {
        name: {
            c["verdict"]
            for flag in flags
            for c in flag["metric"]["checks"]
            if c["offset_days"] == 30
        }
        for name, flags in (("worked", worked), ("flopped", flopped))
    }
    assert "met" in verdicts["worked"]
    assert verdicts["flopped"]
    assert "met" not in verdicts["flopped"]
    assert ScoringModel.objects.filter(name="RICE").exists()
