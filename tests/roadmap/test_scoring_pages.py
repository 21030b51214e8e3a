"""The scoring pages: ranked scores with inline (htmx) editing, a feature's history, the matrix
with its chart spec, the models editor with the formula caret, and rounds."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from quarterdeck.roadmap import rounds, scoring
from quarterdeck.roadmap.models import Score, ScoringModel
from tests.personas import Personas

pytestmark = pytest.mark.django_db
RICE_INPUTS = {"reach": 500, "impact": 2, "confidence": 80, "effort": 4}


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def rice() -> ScoringModel:
    return ScoringModel.objects.get(name="RICE")


def score_search(personas: Personas) -> Score:
    return scoring.score_set(actor=None, feature_id=personas.search.pk,
                             scoring_model_id=rice().pk, inputs=RICE_INPUTS, reason="")  # fmt: skip


def test_scores_page_lists_initiatives_with_inputs_for_who_may_change(personas: Personas) -> None:
    score_search(personas)
    mine = signed_in(personas.member).get("/roadmap/scores/", {"model": rice().pk})
    assert mine.status_code == 200
    html = mine.content.decode()
    assert "Atlas Search" in html
    assert "200" in html
    assert 'name="c_reach"' in html
    assert 'name="reason"' in html
    theirs = signed_in(personas.viewer).get("/roadmap/scores/").content.decode()
    assert "Atlas Search" in theirs
    assert 'name="c_reach"' not in theirs


def test_inline_edit_by_htmx_returns_the_row_with_errors_or_the_new_value(
    personas: Personas,
) -> None:
    score = score_search(personas)
    client = signed_in(personas.member)
    url = f"/roadmap/scores/{personas.search.pk}/{rice().pk}/"
    body = {**{f"c_{k}": v for k, v in RICE_INPUTS.items()}, "c_reach": "1000", "version": "1"}
    missing_reason = client.post(url, body, headers={"HX-Request": "true"})
    assert missing_reason.status_code == 400
    assert "Required when changing an existing score" in missing_reason.content.decode()
    assert missing_reason.content.decode().lstrip().startswith("<tr")
    bad = client.post(url, {**body, "c_effort": "lots", "reason": "x"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400
    assert "is not a number" in bad.content.decode()
    saved = client.post(url, {**body, "reason": "bigger market"}, headers={"HX-Request": "true"})
    assert saved.status_code == 200, saved.content.decode()
    assert "400" in saved.content.decode()
    score.refresh_from_db()
    assert score.value == 400
    last = score.changes.first()
    assert last is not None
    assert last.reason == "bigger market"
    stale = client.post(url, {**body, "reason": "again", "c_reach": "5"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 400
    assert "someone else" in stale.content.decode()
    forbidden = signed_in(personas.outsider).post(url, {**body, "reason": "x", "version": "2"})
    assert forbidden.status_code == 403


def test_feature_scores_page_and_item_card_show_history(personas: Personas) -> None:
    score_search(personas)
    scoring.score_set(actor=personas.member, feature_id=personas.search.pk,
                      scoring_model_id=rice().pk, inputs={"reach": 1000}, reason="new data",
                      expected_version=1)  # fmt: skip
    page = signed_in(personas.viewer).get(f"/roadmap/scores/{personas.search.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "new data" in html
    assert "Mia Member" in html
    assert "200 → <strong>400" in html
    item = signed_in(personas.viewer).get(f"/portfolio/features/{personas.search.pk}/")
    assert item.status_code == 200
    assert 'id="scores-heading"' in item.content.decode()


def test_matrix_page_carries_a_vega_lite_spec(personas: Personas) -> None:
    score_search(personas)
    page = signed_in(personas.contributor).get("/roadmap/matrix/", {"model": rice().pk})
    assert page.status_code == 200
    html = page.content.decode()
    found = re.search(
        r'<script id="score-matrix" type="application/json">(.*?)</script>', html, re.S
    )
    assert found is not None
    spec = json.loads(found.group(1))
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert "Quick wins" in json.dumps(spec)
    assert "Atlas Search" in html


def test_models_editor_shows_the_caret_and_is_for_leaders(personas: Personas) -> None:
    assert signed_in(personas.manager).get("/roadmap/models/new/").status_code == 403
    assert signed_in(personas.viewer).get("/roadmap/models/").status_code == 200
    client = signed_in(personas.leader)
    body = {"name": "Mine", "framework": "custom", "criteria": '[{"key": "a"}]',
            "formula": "a * (2 +", "version": ""}  # fmt: skip
    bad = client.post("/roadmap/models/new/", body)
    assert bad.status_code == 400
    assert "a * (2 +\n        ^" in bad.content.decode()
    made = client.post("/roadmap/models/new/", {**body, "formula": "a * 2"})
    assert made.status_code == 302
    check = client.post("/roadmap/models/check/", {"formula": "a ** 2"})
    assert "use ^ for powers" in check.content.decode()
    assert "  ^" in check.content.decode()


def test_round_pages_hide_ballots_until_revealed(personas: Personas) -> None:
    ice = ScoringModel.objects.get(name="ICE")
    round_ = rounds.round_open(actor=personas.member, feature_id=personas.search.pk,
                               scoring_model_id=ice.pk,
                               invited=[personas.manager.pk, personas.contributor.pk])  # fmt: skip
    voter = signed_in(personas.manager)
    ballot = {"c_impact": "8", "c_confidence": "6", "c_ease": "4", "comment": "secret"}
    sent = voter.post(f"/roadmap/rounds/{round_.pk}/ballot/", ballot)
    assert sent.status_code == 302
    bad = signed_in(personas.contributor).post(f"/roadmap/rounds/{round_.pk}/ballot/",
                                               {"c_impact": "11"})  # fmt: skip
    assert bad.status_code == 400
    assert "at most 10" in bad.content.decode()
    opener_view = signed_in(personas.member).get(f"/roadmap/rounds/{round_.pk}/").content.decode()
    assert "secret" not in opener_view
    assert "Reveal the ballots" in opener_view
    assert "secret" in voter.get(f"/roadmap/rounds/{round_.pk}/").content.decode()
    listing = voter.get("/roadmap/rounds/").content.decode()
    assert "Atlas Search" in listing
    signed_in(personas.member).post(f"/roadmap/rounds/{round_.pk}/reveal/", {"version": "1"})
    revealed = signed_in(personas.leader).get(f"/roadmap/rounds/{round_.pk}/").content.decode()
    assert "secret" in revealed
    assert "Finalise the score" in revealed
    done = signed_in(personas.leader).post(f"/roadmap/rounds/{round_.pk}/finalise/",
                                           {"version": "2", "reason": "agreed"})  # fmt: skip
    assert done.status_code == 302
    assert Score.objects.get(feature=personas.search, scoring_model=ice).value == 8 * 6 * 4


def test_without_javascript_a_save_goes_back_to_the_filtered_list(personas: Personas) -> None:
    client = signed_in(personas.member)
    url = f"/roadmap/scores/{personas.search.pk}/{rice().pk}/"
    body = {f"c_{k}": v for k, v in RICE_INPUTS.items()}
    back = f"/roadmap/scores/?model={rice().pk}"
    saved = client.post(url, {**body, "next": back})
    assert saved.status_code == 302
    assert saved["Location"] == back
    elsewhere = client.post(url, {**body, "c_reach": "7", "next": "https://evil.example/"})
    assert elsewhere["Location"] == "/roadmap/scores/"
    page = client.get(elsewhere["Location"]).content.decode()
    assert "Required when changing an existing score" in page
