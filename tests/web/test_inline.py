"""Inline edits of stage and owner on an item page (htmx fragments)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from quarterdeck.portfolio.models import Product
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ClientFor = Callable[..., Client]
HX = {"HX-Request": "true"}


def test_inline_stage_edit_swaps_fragments_and_signals_a_change(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.member)
    url = f"/portfolio/products/{personas.atlas.pk}/inline/stage/"
    editor = client.get(url, headers=HX).content.decode()
    assert editor.lstrip().startswith('<form id="stage-field"')
    assert 'name="stage_reason"' in editor
    missing_reason = client.post(
        url, {"stage": "growth", "stage_was": "build", "version": 1}, headers=HX
    )
    assert missing_reason.status_code == 400
    assert "Say why the stage changes" in missing_reason.content.decode()
    saved = client.post(
        url,
        {"stage": "growth", "stage_was": "build", "stage_reason": "Adoption", "version": 1},
        headers=HX,
    )
    html = saved.content.decode()
    assert saved.status_code == 200
    assert html.lstrip().startswith('<div id="stage-field"')
    assert "stage-growth" in html
    assert saved["HX-Trigger"] == "item-changed"
    assert Product.objects.get(pk=personas.atlas.pk).stage == "growth"
    history = client.get(
        f"/portfolio/products/{personas.atlas.pk}/history/", headers=HX
    ).content.decode()
    assert "Adoption" in history
    assert "<html" not in history


def test_inline_owner_edit_and_cancel(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.leader)
    url = f"/portfolio/products/{personas.beacon.pk}/inline/owner/"
    saved = client.post(url, {"owner_id": personas.people["gus"].pk, "version": 1}, headers=HX)
    assert saved.status_code == 200
    assert "Gus Group" in saved.content.decode()
    shown = client.get(url + "?show=1", headers=HX).content.decode()
    assert shown.lstrip().startswith('<div id="owner-field"')
    assert "Gus Group" in shown
    bad = client.post(url, {"owner_id": "abc", "version": 2}, headers=HX)
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()


def test_inline_conflict_keeps_the_other_value(personas: Personas, client_for: ClientFor) -> None:
    base = f"/portfolio/products/{personas.atlas.pk}/inline/"
    stage = {"stage": "launch", "stage_was": "build", "stage_reason": "Ready", "version": 1}
    assert client_for(personas.leader).post(base + "stage/", stage, headers=HX).status_code == 200
    stale = client_for(personas.member).post(
        base + "owner/", {"owner_id": "", "version": 1}, headers=HX
    )
    html = stale.content.decode()
    assert stale.status_code == 409
    assert "Someone else changed this while you were editing" in html
    assert 'name="version" value="2"' in html  # the editor moved onto the new version
    assert Product.objects.get(pk=personas.atlas.pk).owner == personas.people["mia"]


def test_inline_edit_refused_with_an_error_fragment(
    personas: Personas, client_for: ClientFor
) -> None:
    response = client_for(personas.viewer).post(
        f"/portfolio/products/{personas.atlas.pk}/inline/stage/",
        {"stage": "sunset", "stage_was": "build", "stage_reason": "x", "version": 1},
        headers=HX,
    )
    assert response.status_code == 403
    assert response.content.decode().startswith('<div class="notice notice-error" role="alert">')
    assert Product.objects.get(pk=personas.atlas.pk).stage == "build"


def test_unknown_inline_field_is_404(personas: Personas, client_for: ClientFor) -> None:
    assert (
        client_for(personas.leader)
        .get(f"/portfolio/products/{personas.atlas.pk}/inline/name/")
        .status_code
        == 404
    )
