"""Capacities, efforts and dependencies through the API: who may change what, versions, cycles."""

from __future__ import annotations

from typing import Any

import pytest

from quarterdeck.audit.models import AuditEntry
from quarterdeck.roadmap.models import Dependency, Effort, TeamCapacity
from tests.api.client import Api
from tests.personas import Personas
from tests.roadmap.planning_factory import Plan, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(personas: Personas) -> Plan:
    return make_plan(personas)


def test_capacity_read_by_all_set_by_leaders(personas: Personas, plan: Plan) -> None:
    path = f"/roadmap/capacities/{plan.web.pk}/2030-Q2"
    assert Api(personas.viewer).get("/roadmap/capacities", periods=plan.period).status_code == 200
    for role in ("manager", "member", "viewer"):
        assert Api(getattr(personas, role)).put(path, {"capacity": 9}).status_code == 403
    leader = Api(personas.leader)
    created = leader.put(path, {"capacity": 9})
    assert created.status_code == 200
    assert created.headers["ETag"] == '"1"'
    assert leader.put(path, {"capacity": 12}).status_code == 428
    assert leader.put(path, {"capacity": 12}, if_match=5).status_code == 412
    changed = leader.put(path, {"capacity": 12}, if_match=1)
    assert changed.status_code == 200
    assert changed.json()["capacity"] == 12
    assert Api(personas.viewer).get(path).headers["ETag"] == '"2"'
    assert AuditEntry.objects.filter(object_type="team_capacity").count() == 2


@pytest.mark.parametrize(
    ("period", "body", "status"),
    [
        ("2030-Q5", {"capacity": 1}, 400),
        ("2030-Q1", {"capacity": -1}, 422),
        ("2030-Q1", {"capacity": "lots"}, 422),
    ],
)
def test_bad_capacity_is_refused(
    personas: Personas,
    plan: Plan,
    period: str,
    body: dict[str, Any],
    status: int,
) -> None:
    response = Api(personas.admin).put(f"/roadmap/capacities/{plan.web.pk}/{period}", body)
    assert response.status_code == status
    assert not TeamCapacity.objects.filter(period=period).exists()


def test_efforts_by_who_may_change_the_feature(personas: Personas, plan: Plan) -> None:
    path = f"/roadmap/features/{plan.sync.pk}/efforts"
    got = Api(personas.viewer).get(path)
    assert got.status_code == 200
    assert {e["team"]["name"]: e["amount"] for e in got.json()["efforts"]} == {
        "Platform squad": 5,
        "Web squad": 2,
    }
    body = {"efforts": {str(plan.web.pk): 4}}
    assert Api(personas.outsider).put(path, body).status_code == 403
    assert Api(personas.viewer).put(path, body).status_code == 403
    response = Api(personas.member).put(path, body)
    assert response.status_code == 200, response.content
    assert [(e["team"]["name"], e["amount"]) for e in response.json()["efforts"]] == [
        ("Web squad", 4)
    ]
    bad = Api(personas.member).put(path, {"efforts": {"999999": 1}})
    assert bad.status_code == 400
    assert "efforts.999999" in bad.json()["fields"]
    assert Effort.objects.filter(feature=plan.sync).count() == 1


def test_dependencies_add_list_remove(personas: Personas, plan: Plan) -> None:
    member = Api(personas.member)
    body = {"feature_id": plan.search.pk, "needs_id": plan.sync.pk}
    assert Api(personas.outsider).post("/roadmap/dependencies", body).status_code == 403
    created = member.post("/roadmap/dependencies", body)
    assert created.status_code == 201, created.content
    both = Api(personas.viewer).get("/roadmap/dependencies", feature_id=plan.sync.pk).json()
    assert {(d["feature"]["name"], d["needs"]["name"]) for d in both} == {
        ("Atlas Search", "Atlas Sync"),
        ("Atlas Export", "Atlas Sync"),
    }
    dep_id = created.json()["id"]
    assert Api(personas.viewer).delete(f"/roadmap/dependencies/{dep_id}").status_code == 403
    assert member.delete(f"/roadmap/dependencies/{dep_id}").status_code == 204
    assert not Dependency.objects.filter(pk=dep_id).exists()


def test_a_cycle_is_refused_and_named(personas: Personas, plan: Plan) -> None:
    leader = Api(personas.leader)
    ok = leader.post(
        "/roadmap/dependencies", {"feature_id": plan.sync.pk, "needs_id": plan.search.pk}
    )
    assert ok.status_code == 201
    response = leader.post(
        "/roadmap/dependencies", {"feature_id": plan.search.pk, "needs_id": plan.export.pk}
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert "Atlas Search → Atlas Export → Atlas Sync → Atlas Search" in message
    assert "needs_id" in response.json()["fields"]
    itself = leader.post(
        "/roadmap/dependencies", {"feature_id": plan.sync.pk, "needs_id": plan.sync.pk}
    )
    assert itself.status_code == 400
