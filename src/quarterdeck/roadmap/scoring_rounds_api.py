"""REST API of collaborative scoring rounds (mounted by scoring_api.py): ballots stay hidden
from everyone but their author until the round is revealed."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from quarterdeck.accounts.models import User
from quarterdeck.lib.api_edge import Id, api_user, errors, etag_doc
from quarterdeck.lib.http import etag, if_match_version
from quarterdeck.roadmap import rounds
from quarterdeck.roadmap import scoring_selectors as sel
from quarterdeck.roadmap.models import RoundState, ScoringRound
from quarterdeck.roadmap.scoring_schemas import BallotIn, FinaliseIn, RoundIn, RoundOut, ScoreOut

router = Router(tags=["roadmap scoring"])
MOVE_ERRORS = errors(400, 403, 404, 412)
OPTIONAL_IF_MATCH: dict[str, Any] = {
    "parameters": [{"in": "header", "name": "If-Match", "required": False,
                    "description": "The round's ETag; when sent and no longer current: 412.",
                    "schema": {"type": "string"}}]
}  # fmt: skip


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.name}


# Rounds ---------------------------------------------------------------------------------------


def _optional_version(request: HttpRequest) -> int | None:
    """A round's moves (reveal, finalise, cancel) check If-Match when it is sent; without it the
    round's state guards them (each move is allowed from one state only)."""
    return if_match_version(request) if "If-Match" in request.headers else None


def round_out(
    user: User, round_: ScoringRound, response: HttpResponse | None = None
) -> dict[str, Any]:
    if response is not None:
        response["ETag"] = etag(round_.version)
    ballots = sel.visible_ballots(user, round_)
    shown = round_.state in (RoundState.REVEALED, RoundState.FINALISED) or (
        round_.revealed_at is not None
    )
    summary = rounds.summarise(round_.scoring_model, ballots) if shown else None
    plain = ("id", "state", "note", "final_inputs", "created_at", "revealed_at", "finalised_at")
    return {
        **{name: getattr(round_, name) for name in (*plain, "version")},
        "feature": _ref(round_.feature), "scoring_model": _ref(round_.scoring_model),
        "invited": [{"id": u.pk, "name": u.email} for u in round_.invited.all()],
        "submitted": round_.ballots.count(),
        "ballots": [{"voter": b.voter.email, "voter_id": b.voter_id, "inputs": b.inputs,
                     "comment": b.comment, "submitted_at": b.submitted_at} for b in ballots],
        "spread": [s.__dict__ for s in summary.criteria] if summary else None,
        "agreement": summary.agreement if summary else None,
        "agreement_label": summary.label if summary else "",
        "created_by": round_.created_by.email if round_.created_by else None,
    }  # fmt: skip


@router.get("/scoring/rounds", response={200: list[RoundOut], **errors(403)})
def rounds_list(
    request: HttpRequest, state: str | None = None, feature_id: Id | None = None, mine: bool = False
) -> list[dict[str, Any]]:
    """Rounds (``mine``: those I am invited to or opened)."""
    user = api_user(request)
    found = sel.list_rounds(user, state=state, feature_id=feature_id, mine=mine)
    return [round_out(user, r) for r in found]


@router.post("/scoring/rounds", response={201: RoundOut, **errors(400, 403, 404)},
             openapi_extra=etag_doc(201))  # fmt: skip
def rounds_create(request: HttpRequest, payload: RoundIn, response: HttpResponse) -> Status[Any]:
    """Open a round on a feature (who may change it) and invite users (not viewers)."""
    user = api_user(request)
    round_ = rounds.round_open(actor=user, feature_id=payload.feature_id,
                               scoring_model_id=payload.scoring_model_id,
                               invited=payload.invited, note=payload.note)  # fmt: skip
    return Status(201, round_out(user, round_, response))


@router.get("/scoring/rounds/{round_id}", response={200: RoundOut, **errors(403, 404)},
            openapi_extra=etag_doc(200))  # fmt: skip
def rounds_get(request: HttpRequest, round_id: Id, response: HttpResponse) -> dict[str, Any]:
    """A round; before the reveal only your own ballot is in ``ballots``."""
    user = api_user(request)
    return round_out(user, sel.access_round(user, round_id), response)


@router.put("/scoring/rounds/{round_id}/ballot", response={200: RoundOut, **errors(400, 403, 404)})
def rounds_ballot(request: HttpRequest, round_id: Id, payload: BallotIn) -> dict[str, Any]:
    """Submit or replace your ballot while the round is open (invited users)."""
    user = api_user(request)
    rounds.ballot_submit(actor=user, round_id=round_id, inputs=payload.inputs,
                         comment=payload.comment)  # fmt: skip
    return round_out(user, sel.access_round(user, round_id))


@router.post("/scoring/rounds/{round_id}/reveal",
             response={200: RoundOut, **MOVE_ERRORS},
             openapi_extra=OPTIONAL_IF_MATCH)  # fmt: skip
def rounds_reveal(request: HttpRequest, round_id: Id, response: HttpResponse) -> dict[str, Any]:
    """Show every ballot, the spread per criterion and the agreement (opener, leaders, admins)."""
    user = api_user(request)
    sel.access_round(user, round_id, for_write=True)  # 403 before a version check
    round_ = rounds.round_reveal(actor=user, round_id=round_id,
                                 expected_version=_optional_version(request))  # fmt: skip
    return round_out(user, round_, response)


@router.post("/scoring/rounds/{round_id}/finalise",
             response={200: ScoreOut, **MOVE_ERRORS},
             openapi_extra=OPTIONAL_IF_MATCH)  # fmt: skip
def rounds_finalise(request: HttpRequest, round_id: Id, payload: FinaliseIn) -> dict[str, Any]:
    """Write the result into the feature's score (default: each criterion's median)."""
    user = api_user(request)
    sel.access_round(user, round_id, for_write=True)  # 403 before a version check
    score = rounds.round_finalise(actor=user, round_id=round_id,
                                  inputs=payload.inputs, reason=payload.reason,
                                  expected_version=_optional_version(request))  # fmt: skip
    from quarterdeck.roadmap.scoring_api import score_out

    return score_out(score)


@router.post("/scoring/rounds/{round_id}/cancel",
             response={200: RoundOut, **MOVE_ERRORS},
             openapi_extra=OPTIONAL_IF_MATCH)  # fmt: skip
def rounds_cancel(request: HttpRequest, round_id: Id, response: HttpResponse) -> dict[str, Any]:
    user = api_user(request)
    sel.access_round(user, round_id, for_write=True)  # 403 before a version check
    round_ = rounds.round_cancel(actor=user, round_id=round_id,
                                 expected_version=_optional_version(request))  # fmt: skip
    return round_out(user, round_, response)
