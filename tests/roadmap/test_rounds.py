"""Collaborative scoring rounds through the API: hidden ballots, reveal, agreement, finalise."""

from __future__ import annotations

import pytest

from quarterdeck.roadmap.models import ScoringModel
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def ice_id() -> int:
    return ScoringModel.objects.get(name="ICE").pk


def open_round(personas: Personas, opener_role: str = "member") -> int:
    invited = [personas.manager.pk, personas.contributor.pk, personas.outsider.pk]
    body = {"feature_id": personas.search.pk, "scoring_model_id": ice_id(), "invited": invited}
    got = Api(getattr(personas, opener_role)).post("/scoring/rounds", body)
    assert got.status_code == 201, got.json()
    return int(got.json()["id"])


def vote(api: Api, round_id: int, impact: int, confidence: int, ease: int) -> int:
    body = {"inputs": {"impact": impact, "confidence": confidence, "ease": ease}}
    return api.put(f"/scoring/rounds/{round_id}/ballot", body).status_code


def test_ballots_are_hidden_from_everyone_but_their_author_until_revealed(
    personas: Personas,
) -> None:
    round_id = open_round(personas)
    assert vote(Api(personas.manager), round_id, 8, 6, 4) == 200
    assert vote(Api(personas.contributor), round_id, 6, 6, 5) == 200
    for role in ("member", "leader", "admin", "outsider", "viewer"):  # opener and leader too
        seen = Api(getattr(personas, role)).get(f"/scoring/rounds/{round_id}").json()
        assert seen["ballots"] == [], role
        assert seen["spread"] is None
        assert seen["submitted"] == 2
    own = Api(personas.manager).get(f"/scoring/rounds/{round_id}").json()
    assert [b["voter"] for b in own["ballots"]] == [personas.manager.email]
    listed = Api(personas.leader).get("/scoring/rounds").json()
    assert all(r["ballots"] == [] for r in listed)


def test_only_invited_non_viewers_vote_and_only_while_open(personas: Personas) -> None:
    round_id = open_round(personas)
    assert vote(Api(personas.leader), round_id, 5, 5, 5) == 403  # not invited
    assert vote(Api(personas.manager), round_id, 11, 5, 5) == 400  # out of range
    body = {"feature_id": personas.search.pk, "scoring_model_id": ice_id(),
            "invited": [personas.viewer.pk]}  # fmt: skip
    assert Api(personas.member).post("/scoring/rounds", body).status_code == 400
    body["invited"] = [personas.manager.pk]
    assert Api(personas.contributor).post("/scoring/rounds", body).status_code == 403
    assert Api(personas.outsider).post("/scoring/rounds", body).status_code == 403


def test_reveal_shows_spread_and_agreement_then_finalise_writes_the_score(
    personas: Personas,
) -> None:
    round_id = open_round(personas)
    vote(Api(personas.manager), round_id, 8, 6, 4)
    vote(Api(personas.contributor), round_id, 6, 6, 5)
    vote(Api(personas.outsider), round_id, 7, 6, 6)
    path = f"/scoring/rounds/{round_id}"
    assert Api(personas.outsider).post(f"{path}/reveal", {}).status_code == 403
    stale = Api(personas.member).send("POST", f"{path}/reveal", if_match=9)
    assert stale.status_code == 412
    revealed = Api(personas.member).send("POST", f"{path}/reveal", if_match=1)
    assert revealed.status_code == 200, revealed.json()
    body = revealed.json()
    assert len(body["ballots"]) == 3
    impact = next(s for s in body["spread"] if s["key"] == "impact")
    assert impact["median"] == 7
    assert impact["low"] == 6
    assert impact["high"] == 8
    confidence = next(s for s in body["spread"] if s["key"] == "confidence")
    assert confidence["agreement"] == 1.0
    assert body["agreement_label"] == "high"
    assert 0.8 <= body["agreement"] < 1.0
    assert vote(Api(personas.manager), round_id, 1, 1, 1) == 400  # closed
    final = Api(personas.leader).send("POST", f"{path}/finalise", {}, if_match=2)
    assert final.status_code == 200, final.json()
    assert final.json()["inputs"] == {"impact": 7, "confidence": 6, "ease": 5}
    assert final.json()["value"] == 210
    history = Api(personas.viewer).get(f"/scoring/scores/{final.json()['id']}/history").json()
    assert history[0]["source"] == "round"


def test_low_agreement_and_cancel(personas: Personas) -> None:
    round_id = open_round(personas)
    vote(Api(personas.manager), round_id, 1, 1, 1)
    vote(Api(personas.contributor), round_id, 10, 10, 10)
    path = f"/scoring/rounds/{round_id}"
    body = Api(personas.admin).send("POST", f"{path}/reveal", if_match=1).json()
    assert body["agreement_label"] == "low"
    assert body["agreement"] == 0.0
    cancelled = Api(personas.member).send("POST", f"{path}/cancel", if_match=2)
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == "cancelled"
    again = Api(personas.member).send("POST", f"{path}/finalise", {}, if_match=3)
    assert again.status_code == 400
