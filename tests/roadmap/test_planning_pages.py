"""The planning pages: capacity grid, planning table, scenarios (run, show, apply, compare) and
the feature page's planning card."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from quarterdeck.roadmap.models import Dependency, Effort, RoadmapEntry, Scenario, TeamCapacity
from quarterdeck.roadmap.scenarios import scenario_run
from tests.personas import Personas
from tests.roadmap.planning_factory import Plan, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(personas: Personas) -> Plan:
    return make_plan(personas)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _run(plan: Plan, actor: Any, **options: Any) -> Scenario:
    return scenario_run(
        actor=actor, name="Base", options={"scoring_model_id": plan.model.pk, **options}
    )


def test_capacity_grid_read_and_saved_by_leaders(personas: Personas, plan: Plan) -> None:
    page = _client(personas.viewer).get("/roadmap/capacity/")
    assert page.status_code == 200
    assert b"Platform squad" in page.content
    assert b'type="number"' not in page.content
    key = f"cap-{plan.web.pk}-{plan.period}"
    assert _client(personas.manager).post("/roadmap/capacity/", {key: "9"}).status_code == 403
    leader = _client(personas.leader)
    version = TeamCapacity.objects.get(team=plan.web, period=plan.period).version
    saved = leader.post(
        "/roadmap/capacity/", {key: "9", f"ver-{plan.web.pk}-{plan.period}": version}
    )
    assert saved.status_code == 302
    assert TeamCapacity.objects.get(team=plan.web, period=plan.period).capacity == 9
    bad = leader.post("/roadmap/capacity/", {key: "lots"})
    assert bad.status_code == 400
    assert b"capacity: a number" in bad.content
    assert b'aria-invalid="true"' in bad.content


def test_capacity_shows_use_of_the_latest_applied_scenario(personas: Personas, plan: Plan) -> None:
    from quarterdeck.roadmap.scenarios import scenario_apply

    scenario_apply(actor=None, scenario_id=_run(plan, personas.leader).pk)
    page = _client(personas.leader).get("/roadmap/capacity/")
    assert b"used 9 (90 %)" in page.content  # Platform: Sync 5 + Alerts 4 of 10


def test_plan_table_edits_effort_and_needs(personas: Personas, plan: Plan) -> None:
    page = _client(personas.member).get(f"/roadmap/plan/?model={plan.model.pk}")
    assert page.status_code == 200
    assert b"not scored" not in page.content  # every initiative has a score under the model
    assert b"Atlas Sync" in page.content
    assert b"Beacon Alerts" in page.content
    assert f'id="f-{plan.legacy.pk}"'.encode() not in page.content  # launched: no row
    member = _client(personas.member)
    saved = member.post(
        f"/roadmap/plan/{plan.export.pk}/effort/",
        {f"effort-{plan.web.pk}": "5", f"effort-{plan.platform.pk}": ""},
    )
    assert saved.status_code == 302
    assert saved["Location"].endswith(f"#f-{plan.export.pk}")
    assert Effort.objects.get(feature=plan.export).amount == 5
    other = _client(personas.outsider).post(f"/roadmap/plan/{plan.export.pk}/effort/", {})
    assert other.status_code == 403
    cycle = member.post(
        f"/roadmap/plan/{plan.sync.pk}/needs/", {"needs_id": plan.export.pk}, follow=True
    )
    assert "Atlas Sync → Atlas Export → Atlas Sync" in cycle.content.decode()
    assert not Dependency.objects.filter(feature=plan.sync).exists()


def test_run_form_saves_and_shows_the_scenario(personas: Personas, plan: Plan) -> None:
    client = _client(personas.member)
    form = client.get("/roadmap/scenarios/new/")
    assert form.status_code == 200
    assert plan.period.encode() in form.content
    data = {
        "name": "From the form",
        "periods": [plan.period],
        "scoring_model_id": plan.model.pk,
        "gap": "0.5",
        "time_limit": "10",
        f"capacity_{plan.platform.pk}": "20",
    }
    response = client.post("/roadmap/scenarios/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    scenario = Scenario.objects.get()
    assert scenario.value == pytest.approx(28)
    page = client.get(response["Location"]).content.decode()
    assert "From the form" in page
    assert "Plan by quarter" in page
    assert "use-spec" in page
    again = client.get(f"/roadmap/scenarios/new/?from={scenario.pk}").content.decode()
    assert "From the form (again)" in again


def test_run_form_errors_stay_next_to_fields(personas: Personas, plan: Plan) -> None:
    data = {"name": "", "periods": [], "gap": "0.5", "time_limit": "10"}
    response = _client(personas.leader).post("/roadmap/scenarios/new/", data)
    assert response.status_code == 400
    assert b"has-error" in response.content


def test_scenario_page_left_out_shadow_and_apply(personas: Personas, plan: Plan) -> None:
    scenario = _run(plan, personas.leader)
    client = _client(personas.leader)
    page = client.get(f"/roadmap/scenarios/{scenario.pk}/").content.decode()
    assert "Left out" in page
    assert "Atlas Search" in page
    assert "Gained over greedy" in page
    assert "+1" in page
    applied = client.post(f"/roadmap/scenarios/{scenario.pk}/apply/")
    assert applied.status_code == 302
    assert applied["Location"] == "/roadmap/"
    assert RoadmapEntry.objects.filter(lane="now").count() == 3


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_scenario_pages_are_for_write_roles(personas: Personas, plan: Plan, role: str) -> None:
    scenario = _run(plan, personas.leader)
    client = _client(getattr(personas, role))
    assert client.get("/roadmap/scenarios/").status_code == 403
    assert client.get(f"/roadmap/scenarios/{scenario.pk}/").status_code == 403


def test_compare_page(personas: Personas, plan: Plan) -> None:
    first = _run(plan, personas.leader)
    overrides = {str(plan.platform.pk): {plan.period: 20}}
    second = _run(plan, personas.leader, capacity_overrides=overrides)
    page = _client(personas.member).get(f"/roadmap/scenarios/compare/?ids={first.pk},{second.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Side by side" in text
    assert 'class="pl-differs"' in text


def test_feature_card_shows_effort_needs_and_placement(personas: Personas, plan: Plan) -> None:
    from quarterdeck.roadmap.scenarios import scenario_apply

    scenario_apply(actor=None, scenario_id=_run(plan, personas.leader).pk)
    page = _client(personas.member).get(f"/portfolio/features/{plan.export.pk}/")
    assert page.status_code == 200, page.status_code
    text = page.content.decode()
    assert "planning-card-title" in text
    assert "Web squad 3" in text
    assert "Atlas Sync" in text
    assert f"planned in <strong>{plan.period}</strong>" in text
    viewer = _client(personas.viewer).get(f"/portfolio/features/{plan.export.pk}/").content
    assert b"Latest applied scenario" not in viewer


def test_capacity_grid_refuses_a_stale_cell(personas: Personas, plan: Plan) -> None:
    key, ver = f"cap-{plan.web.pk}-{plan.period}", f"ver-{plan.web.pk}-{plan.period}"
    leader = _client(personas.leader)
    assert leader.post("/roadmap/capacity/", {key: "7", ver: "1"}).status_code == 302
    stale = leader.post("/roadmap/capacity/", {key: "8", ver: "1"})
    assert stale.status_code == 412
    assert "changed by someone else" in stale.content.decode()
    assert TeamCapacity.objects.get(team=plan.web, period=plan.period).capacity == 7


def test_an_infeasible_scenario_page_says_why(personas: Personas, plan: Plan) -> None:
    groups = [[plan.alerts.pk, plan.sync.pk]]
    scenario = _run(plan, personas.leader, must_have=groups[0], exclusive_groups=groups)
    page = _client(personas.leader).get(f"/roadmap/scenarios/{scenario.pk}/").content.decode()
    assert "Infeasible" in page
    assert "Exclusive group" in page
