"""Lifecycle gates through the API: criteria, ticks, the guard on stage moves, overrides.

Atlas Search (Mia's feature, in discovery) is the item; Lena leads, Carl contributes, Otto is a
PM in another group."""

from __future__ import annotations

from typing import Any

import pytest

from quarterdeck.launches.gates import stage_move
from quarterdeck.launches.models import GateCriterion, GateOverride
from quarterdeck.portfolio.models import Feature, StageChange
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _criterion(stage: str, label: str, kind: str = "checklist", **extra: Any) -> GateCriterion:
    return GateCriterion.objects.create(stage=stage, label=label, kind=kind, **extra)


def _move(user: Any, feature: Feature, to: str, reason: str = "Ready", **extra: Any) -> Any:
    body = {"to_stage": to, "reason": reason, **extra}
    return Api(user).post(f"/features/{feature.pk}/stage", body)


def test_a_forward_move_is_refused_naming_each_unmet_criterion(personas: Personas) -> None:
    _criterion("discovery", "Customer evidence reviewed")
    _criterion("discovery", "", "required", requirement="target_segments")
    response = _move(personas.member, personas.search, "build")
    assert response.status_code == 400, response.content
    unmet = response.json()["fields"]["stage"]
    assert len(unmet) == 2
    assert "Customer evidence reviewed" in unmet[0]
    assert "tick" in unmet[0]
    assert "Target segments are set" in unmet[1]
    assert "target segment" in unmet[1]
    personas.search.refresh_from_db()
    assert personas.search.stage == "discovery"


def test_ticking_meets_the_checklist_and_the_move_is_recorded(personas: Personas) -> None:
    evidence = _criterion("discovery", "Customer evidence reviewed")
    api = Api(personas.member)
    path = f"/features/{personas.search.pk}/gate"
    assert api.get(path).json()["all_met"] is False
    ticked = api.put(f"{path}/ticks/{evidence.pk}", {"done": True, "note": "12 calls"})
    assert ticked.status_code == 200, ticked.content
    assert ticked.json()["all_met"] is True
    assert ticked.json()["criteria"][0]["tick"]["note"] == "12 calls"
    response = _move(personas.member, personas.search, "build", "Evidence is in")
    assert response.status_code == 201, response.content
    change = StageChange.objects.get(pk=response.json()["id"])
    assert (change.from_stage, change.to_stage, change.reason) == (
        "discovery",
        "build",
        "Evidence is in",
    )
    assert change.actor == personas.member
    assert response.json()["overridden"] is None


def test_skipped_stages_criteria_apply(personas: Personas) -> None:
    _criterion("build", "QA sign-off")
    response = _move(personas.member, personas.search, "launch")
    assert response.status_code == 400
    assert "Build: QA sign-off" in response.json()["fields"]["stage"][0]
    assert _move(personas.member, personas.search, "build").status_code == 201


def test_backward_and_system_moves_are_not_gated(personas: Personas) -> None:
    _criterion("discovery", "Customer evidence reviewed")
    _criterion("idea", "Problem framed")
    assert (
        _move(personas.member, personas.search, "idea", "Back to the drawing board").status_code
        == 201
    )
    change = stage_move(
        actor=None,
        item_type="feature",
        item_id=personas.search.pk,
        to_stage="build",
        reason="Import",
    )
    assert (change.from_stage, change.to_stage, change.actor) == ("idea", "build", None)
    assert not GateOverride.objects.exists()


def test_a_leader_overrides_with_a_reason_and_it_is_recorded(personas: Personas) -> None:
    _criterion("discovery", "Customer evidence reviewed")
    no_reason = _move(personas.leader, personas.search, "build", "", override=True)
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["fields"]
    response = _move(personas.leader, personas.search, "build", "Board decision", override=True)
    assert response.status_code == 201, response.content
    assert [u["label"] for u in response.json()["overridden"]] == ["Customer evidence reviewed"]
    override = GateOverride.objects.get()
    assert override.stage_change.reason == "Board decision"
    assert override.stage_change.actor == personas.leader


def test_members_may_not_override(personas: Personas) -> None:
    _criterion("discovery", "Customer evidence reviewed")
    response = _move(personas.member, personas.search, "build", "Please", override=True)
    assert response.status_code == 403
    assert not GateOverride.objects.exists()


def test_the_portfolio_patch_shows_the_gate_error_on_stage(personas: Personas) -> None:
    _criterion("discovery", "Customer evidence reviewed")
    api = Api(personas.member)
    path = f"/features/{personas.search.pk}"
    version = int(api.get(path).headers["ETag"].strip('"'))
    response = api.patch(path, {"stage": "build"}, if_match=version)
    assert response.status_code == 400
    assert "Customer evidence reviewed" in response.json()["fields"]["stage"][0]


def test_ticks_need_the_right_to_change_the_item(personas: Personas) -> None:
    evidence = _criterion("discovery", "Customer evidence reviewed")
    path = f"/features/{personas.search.pk}/gate/ticks/{evidence.pk}"
    for user in (personas.contributor, personas.viewer, personas.outsider):
        assert Api(user).put(path, {"done": True}).status_code == 403
    assert Api(personas.manager).put(path, {"done": True}).status_code == 200
    assert Api(personas.viewer).get(f"/features/{personas.search.pk}/gate").status_code == 200


def test_a_required_criterion_cannot_be_ticked(personas: Personas) -> None:
    owner = _criterion("discovery", "Owner", "required", requirement="owner")
    path = f"/features/{personas.search.pk}/gate/ticks/{owner.pk}"
    response = Api(personas.member).put(path, {"done": True})
    assert response.status_code == 400
    assert "criterion_id" in response.json()["fields"]


def test_criteria_are_changed_by_leaders_only(personas: Personas) -> None:
    body = {"stage": "build", "kind": "checklist", "label": "Legal review"}
    assert Api(personas.manager).post("/gates/criteria", body).status_code == 403
    api = Api(personas.leader)
    created = api.post("/gates/criteria", body)
    assert created.status_code == 201, created.content
    path = f"/gates/criteria/{created.json()['id']}"
    assert api.patch(path, {"active": False}).status_code == 428
    patched = api.patch(path, {"active": False, "label": "Legal OK"}, if_match=1)
    assert patched.status_code == 200, patched.content
    assert (patched.json()["active"], patched.json()["version"]) == (False, 2)
    assert api.patch(path, {"label": "Stale"}, if_match=1).status_code == 412
    assert api.delete(path, if_match=2).status_code == 204


def test_bad_criteria_name_the_field(personas: Personas) -> None:
    api = Api(personas.leader)
    response = api.post(
        "/gates/criteria", {"stage": "build", "kind": "required", "requirement": "x"}
    )
    assert response.status_code == 400
    assert "requirement" in response.json()["fields"]
    assert (
        api.post(
            "/gates/criteria", {"stage": "sunset", "kind": "checklist", "label": "x"}
        ).status_code
        == 422
    )


def test_install_defaults_is_idempotent(personas: Personas) -> None:
    api = Api(personas.leader)
    first = api.post("/gates/criteria/install-defaults", {})
    assert first.status_code == 200
    assert first.json()["added"] == GateCriterion.objects.count() > 10
    assert api.post("/gates/criteria/install-defaults", {}).json()["added"] == 0
    assert Api(personas.member).post("/gates/criteria/install-defaults", {}).status_code == 403
    listed = Api(personas.viewer).get("/gates/criteria", applies_to="feature", stage="build")
    assert {c["requirement"] for c in listed.json()} >= {"effort", "launch_plan", "success_metrics"}


def test_an_unknown_stage_is_a_422_and_staying_put_a_400(personas: Personas) -> None:
    assert _move(personas.member, personas.search, "orbit").status_code == 422
    response = _move(personas.member, personas.search, "discovery")
    assert response.status_code == 400
    assert "to_stage" in response.json()["fields"]


def test_a_stale_version_is_a_412_and_products_move_too(personas: Personas) -> None:
    stale = _move(personas.member, personas.search, "build", version=personas.search.version + 5)
    assert stale.status_code == 412
    api = Api(personas.member)
    moved = api.post(f"/products/{personas.atlas.pk}/stage", {"to_stage": "launch", "reason": "GA"})
    assert moved.status_code == 201, moved.content
    assert moved.json()["item_type"] == "product"
    assert api.get(f"/products/{personas.atlas.pk}/gate").json()["next_stage"] == "growth"
