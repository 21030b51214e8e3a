"""Permission-matrix rows of scoring: models, scores, line defaults, rounds and the matrix.

Everyone signed in reads scores, models, rounds and the matrix; Mia's Atlas Search is scored by
those who may change it (ATLAS); scoring models are changed by leaders and admins; Max's
Platform line's default by Max, leaders and admins. A round on Atlas Search is opened by Mia:
its ballots come from the invited (Max, Mia, Carl, Otto: not the viewer, not admins and leaders
who were not invited), and Mia, leaders and admins reveal, finalise and cancel it (If-Match
optional on those moves: tests/roadmap/test_rounds.py sends it and checks 412).
"""

from __future__ import annotations

from typing import Any

from tests.matrix.base import (
    ATLAS,
    LEADERS,
    PAGE_ATLAS,
    PAGE_LEADERS,
    PAGE_READ,
    PLATFORM,
    READ,
    Page,
    Row,
    expect,
)
from tests.personas import Personas

OPENER = expect({"admin", "leader", "member"})
PAGE_OPENER = expect({"admin", "leader", "member"}, anonymous=302)
VOTERS = {"manager", "member", "contributor", "outsider"}
RICE = {"reach": 100, "impact": 1, "confidence": 80, "effort": 2}


def _rice() -> int:
    from quarterdeck.roadmap.models import ScoringModel

    return ScoringModel.objects.get(name="RICE").pk


def _custom(p: Personas) -> int:
    from quarterdeck.roadmap import scoring

    data = {"name": "Custom", "criteria": [{"key": "a"}], "formula": "a * 2"}
    return scoring.model_create(actor=None, data=data).pk


def _score(p: Personas) -> int:
    from quarterdeck.roadmap import scoring

    return scoring.score_set(actor=None, feature_id=p.search.pk, scoring_model_id=_rice(),
                             inputs=RICE, reason="").pk  # fmt: skip


def _round(p: Personas, stage: str = "open") -> int:
    from quarterdeck.roadmap import rounds

    invited = [p.manager.pk, p.member.pk, p.contributor.pk, p.outsider.pk]
    made = rounds.round_open(actor=p.member, feature_id=p.search.pk, scoring_model_id=_rice(),
                             invited=invited)  # fmt: skip
    if stage in ("voted", "revealed"):
        rounds.ballot_submit(actor=p.manager, round_id=made.pk, inputs=RICE)
    if stage == "revealed":
        rounds.round_reveal(actor=p.member, round_id=made.pk)
    return made.pk


def _model_body(p: Personas) -> dict[str, Any]:
    return {"name": "Renamed", "criteria": [{"key": "a"}], "formula": "a * 3"}


def _round_body(p: Personas) -> dict[str, Any]:
    return {"feature_id": p.search.pk, "scoring_model_id": _rice(), "invited": [p.manager.pk]}


MODEL = "/scoring/models/{model_id}"
ROUND = "/scoring/rounds/{round_id}"

API_ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/scoring/models"): Row(READ, lambda p: "/scoring/models"),
    ("POST", "/scoring/models"): Row(
        LEADERS, lambda p: "/scoring/models",
        lambda p: {"name": "New", "criteria": [{"key": "a"}], "formula": "a"},
    ),
    ("GET", MODEL): Row(READ, lambda p: f"/scoring/models/{_rice()}"),
    ("PUT", MODEL): Row(LEADERS, lambda p: f"/scoring/models/{_custom(p)}", _model_body, True),
    ("DELETE", MODEL): Row(LEADERS, lambda p: f"/scoring/models/{_custom(p)}", versioned=True),
    ("POST", "/scoring/formula/check"): Row(
        READ, lambda p: "/scoring/formula/check", lambda p: {"formula": "1 + 2"}
    ),
    ("GET", "/scoring/scores"): Row(READ, lambda p: "/scoring/scores"),
    ("GET", "/scoring/scores/{score_id}"): Row(READ, lambda p: f"/scoring/scores/{_score(p)}"),
    ("GET", "/scoring/scores/{score_id}/history"): Row(
        READ, lambda p: f"/scoring/scores/{_score(p)}/history"
    ),
    ("PUT", "/scoring/features/{feature_id}/scores/{model_id}"): Row(
        ATLAS, lambda p: f"/scoring/features/{p.search.pk}/scores/{_rice()}",
        lambda p: {"inputs": RICE},
    ),
    ("GET", "/scoring/lines/{line_id}/default"): Row(
        READ, lambda p: f"/scoring/lines/{p.platform.pk}/default"
    ),
    ("PUT", "/scoring/lines/{line_id}/default"): Row(
        PLATFORM, lambda p: f"/scoring/lines/{p.platform.pk}/default",
        lambda p: {"scoring_model_id": _rice()},
    ),
    ("GET", "/scoring/rounds"): Row(READ, lambda p: "/scoring/rounds"),
    ("POST", "/scoring/rounds"): Row(ATLAS, lambda p: "/scoring/rounds", _round_body),
    ("GET", ROUND): Row(READ, lambda p: f"/scoring/rounds/{_round(p)}"),
    ("PUT", ROUND + "/ballot"): Row(
        expect(VOTERS), lambda p: f"/scoring/rounds/{_round(p)}/ballot", lambda p: {"inputs": RICE}
    ),
    ("POST", ROUND + "/reveal"): Row(
        OPENER, lambda p: f"/scoring/rounds/{_round(p, 'voted')}/reveal", lambda p: {}
    ),
    ("POST", ROUND + "/finalise"): Row(
        OPENER, lambda p: f"/scoring/rounds/{_round(p, 'revealed')}/finalise", lambda p: {}
    ),
    ("POST", ROUND + "/cancel"): Row(
        OPENER, lambda p: f"/scoring/rounds/{_round(p)}/cancel", lambda p: {}
    ),
    ("GET", "/scoring/matrix"): Row(READ, lambda p: "/scoring/matrix"),
}  # fmt: skip

API_ELSEWHERE: dict[tuple[str, str], str] = {}


def _version(p: Personas) -> dict[str, Any]:
    return {"version": "1"}


PAGES: dict[str, Page] = {
    "roadmap/scores/": Page(PAGE_READ, lambda p: "/roadmap/scores/"),
    "roadmap/scores/<int:feature_id>/": Page(
        PAGE_READ, lambda p: f"/roadmap/scores/{p.search.pk}/"
    ),
    "roadmap/scores/<int:feature_id>/<int:model_id>/": Page(
        PAGE_ATLAS, lambda p: f"/roadmap/scores/{p.search.pk}/{_rice()}/", "POST",
        lambda p: {"c_reach": "100", "c_impact": "1", "c_confidence": "80", "c_effort": "2"},
    ),
    "roadmap/scores/<int:feature_id>/rounds/": Page(
        PAGE_ATLAS, lambda p: f"/roadmap/scores/{p.search.pk}/rounds/", "POST",
        lambda p: {"scoring_model_id": str(_rice()), "invited": [str(p.manager.pk)]},
    ),
    "roadmap/matrix/": Page(PAGE_READ, lambda p: "/roadmap/matrix/"),
    "roadmap/models/": Page(PAGE_READ, lambda p: "/roadmap/models/"),
    "roadmap/models/new/": Page(PAGE_LEADERS, lambda p: "/roadmap/models/new/"),
    "roadmap/models/<int:model_id>/": Page(PAGE_LEADERS, lambda p: f"/roadmap/models/{_rice()}/"),
    "roadmap/models/check/": Page(
        PAGE_READ, lambda p: "/roadmap/models/check/", "POST", lambda p: {"formula": "a + 1"}
    ),
    "roadmap/rounds/": Page(PAGE_READ, lambda p: "/roadmap/rounds/"),
    "roadmap/rounds/<int:round_id>/": Page(PAGE_READ, lambda p: f"/roadmap/rounds/{_round(p)}/"),
    "roadmap/rounds/<int:round_id>/ballot/": Page(
        expect(VOTERS, anonymous=302), lambda p: f"/roadmap/rounds/{_round(p)}/ballot/", "POST",
        lambda p: {"c_reach": "10"},
    ),
    "roadmap/rounds/<int:round_id>/reveal/": Page(
        PAGE_OPENER, lambda p: f"/roadmap/rounds/{_round(p, 'voted')}/reveal/", "POST", _version
    ),
    "roadmap/rounds/<int:round_id>/finalise/": Page(
        PAGE_OPENER, lambda p: f"/roadmap/rounds/{_round(p, 'revealed')}/finalise/", "POST",
        lambda p: {"version": "2"},
    ),
    "roadmap/rounds/<int:round_id>/cancel/": Page(
        PAGE_OPENER, lambda p: f"/roadmap/rounds/{_round(p)}/cancel/", "POST", _version
    ),
}  # fmt: skip
