"""The gate card on the item page, its htmx actions, the criteria page, and the existing stage
editors showing a refused move next to the stage field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from quarterdeck.launches.models import GateCriterion, GateOverride, GateTick
from quarterdeck.portfolio.models import StageChange
from tests.personas import Personas

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _evidence() -> GateCriterion:
    return GateCriterion.objects.create(
        stage="discovery", kind="checklist", label="Customer evidence reviewed"
    )


def test_the_item_page_shows_the_gate_card(personas: Personas) -> None:
    _evidence()
    page = _client(personas.viewer).get(f"/portfolio/features/{personas.search.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="gate-card"' in body
    assert "Customer evidence reviewed" in body
    assert "Not met" in body
    assert "Move to Build" not in body  # viewers read the gate, they do not move
    mine = _client(personas.member).get(f"/portfolio/features/{personas.search.pk}/")
    assert "Move to Build" in mine.content.decode()
    assert "Tick" in mine.content.decode()


def test_tick_and_move_through_the_card(personas: Personas) -> None:
    evidence = _evidence()
    client = _client(personas.member)
    base = f"/launches/gates/item/feature/{personas.search.pk}"
    refused = client.post(f"{base}/move/", {"to_stage": "build", "reason": "Go"}, headers=HTMX)
    assert refused.status_code == 400
    assert "Customer evidence reviewed" in refused.content.decode()
    ticked = client.post(
        f"{base}/tick/{evidence.pk}/", {"done": "on", "note": "8 calls"}, headers=HTMX
    )
    assert ticked.status_code == 200
    assert "8 calls" in ticked.content.decode()
    assert "✓" in ticked.content.decode()
    moved = client.post(
        f"{base}/move/", {"to_stage": "build", "reason": "Evidence in"}, headers=HTMX
    )
    assert moved.status_code == 204
    assert moved.headers["HX-Refresh"] == "true"
    change = StageChange.objects.filter(item_id=personas.search.pk, to_stage="build").get()
    assert change.reason == "Evidence in"


def test_a_leader_overrides_on_the_card(personas: Personas) -> None:
    _evidence()
    base = f"/launches/gates/item/feature/{personas.search.pk}"
    client = _client(personas.leader)
    no_reason = client.post(f"{base}/move/", {"to_stage": "build", "override": "on"}, headers=HTMX)
    assert no_reason.status_code == 400
    assert "Say why" in no_reason.content.decode()
    moved = client.post(f"{base}/move/", {"to_stage": "build", "override": "on", "reason": "CEO"})
    assert moved.status_code == 302
    assert GateOverride.objects.get().unmet[0]["label"] == "Customer evidence reviewed"
    card = _client(personas.viewer).get(f"{base}/")
    assert "override" in card.content.decode()


def test_contributors_may_not_tick(personas: Personas) -> None:
    evidence = _evidence()
    path = f"/launches/gates/item/feature/{personas.search.pk}/tick/{evidence.pk}/"
    assert _client(personas.contributor).post(path, {"done": "on"}).status_code == 403
    assert not GateTick.objects.exists()


def test_the_inline_stage_editor_shows_the_gate_error(personas: Personas) -> None:
    _evidence()
    client = _client(personas.member)
    path = f"/portfolio/features/{personas.search.pk}/inline/stage/"
    data = {"stage": "build", "stage_was": "discovery", "version": personas.search.version}
    response = client.post(path, {**data, "stage_reason": "go"}, headers=HTMX)
    assert response.status_code == 400
    assert "Customer evidence reviewed" in response.content.decode()


def test_the_criteria_page_and_its_forms(personas: Personas) -> None:
    leader = _client(personas.leader)
    assert "Install the recommended criteria" in leader.get("/launches/gates/").content.decode()
    assert (
        "Install the recommended"
        not in _client(personas.member).get("/launches/gates/").content.decode()
    )
    assert leader.post("/launches/gates/install-defaults/").status_code == 302
    page = leader.get("/launches/gates/").content.decode()
    assert "Support and sales briefed" in page
    bad = leader.post(
        "/launches/gates/new/", {"stage": "build", "applies_to": "feature", "kind": "required"}
    )
    assert bad.status_code == 400
    assert "requirement" in bad.content.decode().lower()
    new = {
        "stage": "build",
        "applies_to": "feature",
        "kind": "checklist",
        "label": "Legal OK",
        "active": "on",
    }
    assert leader.post("/launches/gates/new/", new).status_code == 302
    legal = GateCriterion.objects.get(label="Legal OK")
    assert leader.post(f"/launches/gates/{legal.pk}/move/", {"direction": "up"}).status_code == 302
    legal.refresh_from_db()
    assert (
        legal.position
        == GateCriterion.objects.filter(stage="build", applies_to="feature").count() - 2
    )
    assert _client(personas.manager).post("/launches/gates/new/", new).status_code == 403
