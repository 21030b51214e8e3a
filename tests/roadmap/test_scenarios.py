"""Scenarios: the instance built from the database, a run end to end, compare, apply."""

from __future__ import annotations

from typing import Any

import pytest

from quarterdeck.roadmap.models import RoadmapEntry, Scenario, Score, ScoringModel
from quarterdeck.roadmap.planning_periods import next_periods, period_dates
from tests.api.client import Api
from tests.personas import Personas
from tests.roadmap.planning_factory import Plan, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(personas: Personas) -> Plan:
    return make_plan(personas)


def _instance(api: Api, plan: Plan, **query: object) -> dict[str, Any]:
    response = api.get("/roadmap/instance", scoring_model_id=plan.model.pk, **query)
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def test_instance_is_built_from_the_database(personas: Personas, plan: Plan) -> None:
    data = _instance(Api(personas.leader), plan)
    assert data["periods"] == [plan.period]
    teams = {t["name"]: t for t in data["teams"]}
    assert teams["Platform squad"]["capacity"] == {plan.period: 10}
    assert teams["Web squad"]["capacity"] == {plan.period: 6}
    items = {i["name"]: i for i in data["initiatives"]}
    assert set(items) == {"Atlas Search", "Atlas Sync", "Atlas Export", "Beacon Alerts"}
    sync = items["Atlas Sync"]
    assert sync["value"] == 8
    assert sync["effort"] == {str(plan.platform.pk): 5, str(plan.web.pk): 2}
    # Export needs Sync (kept); Search needs Legacy, launched: met, so dropped.
    assert data["dependencies"] == [{"initiative": str(plan.export.pk), "needs": str(plan.sync.pk)}]


def test_instance_of_a_line_skips_what_needs_an_initiative_outside(
    personas: Personas, plan: Plan
) -> None:
    data = _instance(
        Api(personas.leader), plan, line_id=personas.platform.pk, excluded=str(plan.sync.pk)
    )
    names = {i["name"] for i in data["initiatives"]}
    assert names == {"Atlas Search"}  # Alerts: other line; Export: needs the excluded Sync


def test_run_finds_the_optimum_and_beats_greedy(personas: Personas, plan: Plan) -> None:
    api = Api(personas.member)
    body = {"name": "Next quarter", "scoring_model_id": plan.model.pk}
    response = api.post("/roadmap/scenarios", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["value"] == pytest.approx(18)
    assert out["greedy_value"] == pytest.approx(17)
    assert out["periods"] == [plan.period]
    planned = {row["name"] for row in out["result"]["plan"]}
    assert planned == {"Atlas Sync", "Atlas Export", "Beacon Alerts"}
    left = {row["name"] for row in out["result"]["left_out"]}
    assert left == {"Atlas Search"}
    assert Scenario.objects.get().created_by == personas.member


def test_capacity_override_changes_the_plan(personas: Personas, plan: Plan) -> None:
    body = {
        "name": "+2",
        "scoring_model_id": plan.model.pk,
        "capacity_overrides": {str(plan.platform.pk): {plan.period: 20}},
    }
    out = Api(personas.leader).post("/roadmap/scenarios", body).json()
    assert out["value"] == pytest.approx(28)  # everything fits: 10 + 8 + 3 + 7


def test_must_have_and_exclusive_groups(personas: Personas, plan: Plan) -> None:
    body = {
        "name": "Search first",
        "scoring_model_id": plan.model.pk,
        "must_have": [plan.search.pk],
        "exclusive_groups": [[plan.alerts.pk, plan.sync.pk]],
    }
    out = Api(personas.leader).post("/roadmap/scenarios", body).json()
    planned = {row["name"] for row in out["result"]["plan"]}
    assert "Atlas Search" in planned
    assert not {"Beacon Alerts", "Atlas Sync"} <= planned


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"periods": ["2027-Q5"]}, "periods"),
        ({"periods": ["2027-Q1", "2027-Q3"]}, "periods"),
        ({"must_have": [999999]}, "must_have"),
        ({"line_id": 999999}, "line_id"),
        ({"gap": 0.9}, None),
    ],
)
def test_bad_options_are_named(
    personas: Personas,
    plan: Plan,
    body: dict[str, Any],
    field: str | None,
) -> None:
    response = Api(personas.leader).post("/roadmap/scenarios", {"name": "Bad", **body})
    assert response.status_code in (400, 422), response.content
    if field and response.status_code == 400:
        assert field in response.json()["fields"]


def test_two_quarters_and_apply_puts_the_plan_on_the_roadmap(
    personas: Personas, plan: Plan
) -> None:
    api = Api(personas.leader)
    periods = next_periods(2)
    put = api.put(f"/roadmap/capacities/{plan.platform.pk}/{periods[1]}", {"capacity": 6})
    assert put.status_code == 200, put.content
    body = {"name": "Two quarters", "scoring_model_id": plan.model.pk, "periods": periods}
    out = api.post("/roadmap/scenarios", body).json()
    assert out["value"] == pytest.approx(28)  # Search fits in the second quarter
    placed = {row["name"]: row["period"] for row in out["result"]["plan"]}
    response = api.post(f"/roadmap/scenarios/{out['id']}/apply", {})
    assert response.status_code == 200, response.content
    assert response.json()["placed"] == len(placed)
    for entry in RoadmapEntry.objects.select_related("feature"):
        period = placed[entry.feature.name]
        assert entry.lane == ("now" if period == periods[0] else "next")
        assert (entry.start, entry.end) == period_dates(period)
        assert entry.scenario_id == out["id"]
    assert api.get(f"/roadmap/scenarios/{out['id']}").json()["applied"]["entries"] == len(placed)


def test_apply_is_refused_as_a_whole_when_a_feature_is_not_yours(
    personas: Personas, plan: Plan
) -> None:
    out = (
        Api(personas.leader)
        .post("/roadmap/scenarios", {"name": "All", "scoring_model_id": plan.model.pk})
        .json()
    )
    response = Api(personas.member).post(f"/roadmap/scenarios/{out['id']}/apply", {})
    assert response.status_code == 403
    assert "Beacon Alerts" in response.json()["message"]
    assert not RoadmapEntry.objects.exists()


def test_compare_side_by_side(personas: Personas, plan: Plan) -> None:
    api = Api(personas.leader)
    base = api.post("/roadmap/scenarios", {"name": "Base", "scoring_model_id": plan.model.pk})
    more = {
        "name": "More",
        "scoring_model_id": plan.model.pk,
        "capacity_overrides": {str(plan.platform.pk): {plan.period: 20}},
    }
    bigger = api.post("/roadmap/scenarios", more)
    ids = f"{base.json()['id']},{bigger.json()['id']}"
    response = api.get("/roadmap/scenarios/compare", ids=ids)
    assert response.status_code == 200, response.content
    out = response.json()
    assert [s["value"] for s in out["scenarios"]] == pytest.approx([18, 28])
    rows = {row["name"]: row for row in out["initiatives"]}
    assert rows["Atlas Search"]["periods"] == [None, plan.period]
    assert rows["Atlas Search"]["differs"]
    assert not rows["Atlas Sync"]["differs"]
    platform = next(t for t in out["teams"] if t["name"] == "Platform squad")
    assert platform["use"] == [9, 15]


def test_scenarios_rename_and_delete_with_versions(personas: Personas, plan: Plan) -> None:
    mine = Api(personas.member)
    out = mine.post("/roadmap/scenarios", {"name": "Mine", "scoring_model_id": plan.model.pk})
    sid = out.json()["id"]
    assert mine.patch(f"/roadmap/scenarios/{sid}", {"name": "Renamed"}).status_code == 428
    assert mine.patch(f"/roadmap/scenarios/{sid}", {"name": "X"}, if_match=7).status_code == 412
    renamed = mine.patch(f"/roadmap/scenarios/{sid}", {"notes": "Why"}, if_match=1)
    assert renamed.status_code == 200
    assert renamed.headers["ETag"] == '"2"'
    other = Api(personas.outsider)
    assert other.get(f"/roadmap/scenarios/{sid}").status_code == 200
    assert other.delete(f"/roadmap/scenarios/{sid}", if_match=2).status_code == 403
    assert mine.delete(f"/roadmap/scenarios/{sid}", if_match=2).status_code == 204
    assert not Scenario.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_readers_do_not_see_scenarios(personas: Personas, plan: Plan, role: str) -> None:
    api = Api(getattr(personas, role))
    assert api.get("/roadmap/scenarios").status_code == 403
    assert api.post("/roadmap/scenarios", {"name": "No"}).status_code == 403
    assert api.get("/roadmap/instance").status_code == 403


def test_an_impossible_run_is_saved_with_the_reason(personas: Personas, plan: Plan) -> None:
    body = {
        "name": "Both",
        "scoring_model_id": plan.model.pk,
        "must_have": [plan.alerts.pk, plan.sync.pk],
        "exclusive_groups": [[plan.alerts.pk, plan.sync.pk]],
    }
    response = Api(personas.leader).post("/roadmap/scenarios", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["status"] == "infeasible"
    assert out["value"] is None
    assert "Exclusive group" in " ".join(out["result"]["reasons"])
    page = Api(personas.leader).post(f"/roadmap/scenarios/{out['id']}/apply", {})
    assert page.json()["placed"] == 0


def test_lines_with_different_default_models_are_put_on_one_scale(
    personas: Personas, plan: Plan
) -> None:
    """Platform scores with "Planning value" (10, 8, 3), Growth with a model in the thousands:
    with each line's default, each model's scores become 0-100 of its highest, so the big
    scale does not crowd the other out; naming one model keeps the raw scores."""
    from quarterdeck.roadmap.models import LineScoringDefault

    big = ScoringModel.objects.create(name="Big", framework="custom", formula="v", criteria=[])
    LineScoringDefault.objects.create(line=personas.platform, scoring_model=plan.model)
    LineScoringDefault.objects.create(line=personas.growth, scoring_model=big)
    Score.objects.create(feature=plan.alerts, scoring_model=big, value=4000.0)
    api = Api(personas.leader)

    mixed = api.get("/roadmap/instance")
    assert mixed.status_code == 200, mixed.content
    values = {i["name"]: i["value"] for i in mixed.json()["initiatives"]}
    assert values == {
        "Atlas Search": 100.0,
        "Atlas Sync": 80.0,
        "Atlas Export": 30.0,
        "Beacon Alerts": 100.0,
    }
    raw = {i["name"]: i["value"] for i in _instance(api, plan)["initiatives"]}
    assert raw["Atlas Sync"] == 8
    assert raw["Beacon Alerts"] == 7
