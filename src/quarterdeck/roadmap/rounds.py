"""Collaborative scoring: invited stakeholders score a feature's criteria independently; the
ballots stay hidden (from everyone but their author) until the round is revealed; the opener,
a leader or an admin then finalises the score (by default each criterion's median).

Agreement per criterion is 1 - the ballots' standard deviation over the largest deviation the
criterion allows (half its range; for an unbounded criterion, its mean: the coefficient of
variation), capped to 0..1; the round's agreement is the mean over its criteria: high >= 0.8,
medium >= 0.6, low below.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts.models import Role, User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotAllowed, check_version
from quarterdeck.portfolio.selectors import access_feature
from quarterdeck.roadmap import scoring_selectors as sel
from quarterdeck.roadmap.frameworks import clean_inputs
from quarterdeck.roadmap.models import Ballot, RoundState, Score, ScoringModel, ScoringRound
from quarterdeck.roadmap.scoring import score_set

HIGH, MEDIUM = 0.8, 0.6


@dataclass
class Spread:
    key: str
    label: str
    values: list[float] = field(default_factory=list)
    median: float | None = None
    low: float | None = None
    high: float | None = None
    std: float | None = None
    agreement: float | None = None


@dataclass
class Summary:
    criteria: list[Spread]
    agreement: float | None
    label: str  # "high" | "medium" | "low" | "" (fewer than two ballots)


def _room(criterion: Mapping[str, Any], mean: float) -> float:
    """The largest standard deviation the criterion allows (0: cannot judge)."""
    choices = criterion.get("choices") or []
    low = criterion.get("min", min(choices) if choices else None)
    high = criterion.get("max", max(choices) if choices else None)
    if low is not None and high is not None and high > low:
        return float(high - low) / 2.0
    return abs(mean)


def spread(criterion: Mapping[str, Any], values: Sequence[float]) -> Spread:
    found = Spread(criterion["key"], criterion.get("label", criterion["key"]), list(values))
    if not values:
        return found
    found.median, found.low, found.high = statistics.median(values), min(values), max(values)
    found.std = statistics.pstdev(values)
    room = _room(criterion, statistics.fmean(values))
    if len(values) > 1:
        found.agreement = (
            1.0 if found.std == 0 else max(0.0, 1.0 - found.std / room) if room else 0.0
        )
    return found


def agreement_label(value: float | None) -> str:
    if value is None:
        return ""
    return "high" if value >= HIGH else "medium" if value >= MEDIUM else "low"


def summarise(model: ScoringModel, ballots: Iterable[Ballot]) -> Summary:
    ballots = list(ballots)
    spreads = [
        spread(c, [float(b.inputs[c["key"]]) for b in ballots if c["key"] in b.inputs])
        for c in model.criteria
    ]
    known = [s.agreement for s in spreads if s.agreement is not None]
    overall = statistics.fmean(known) if known else None
    return Summary(spreads, overall, agreement_label(overall))


def default_inputs(model: ScoringModel, summary: Summary) -> dict[str, float]:
    """Each criterion's median; for a choice criterion, the nearest choice (lower on a tie)."""
    by_key = {c["key"]: c for c in model.criteria}
    chosen: dict[str, float] = {}
    for item in summary.criteria:
        if item.median is None:
            continue
        choices = by_key[item.key].get("choices")
        median = item.median
        chosen[item.key] = min(choices, key=lambda c: (abs(c - median), c)) if choices else median
    return chosen


# Services ---------------------------------------------------------------------------------------


def invitable_users() -> list[User]:
    """Who may be invited to a round: active users who are not viewers."""
    return list(User.objects.filter(is_active=True).exclude(role=Role.VIEWER).order_by("name"))


def _invitees(ids: Iterable[int]) -> list[User]:
    wanted = set(ids)
    users = list(User.objects.filter(pk__in=wanted, is_active=True).exclude(role=Role.VIEWER))
    missing = wanted - {u.pk for u in users}
    if missing:
        raise InvalidInput(
            f"These users cannot be invited (unknown, inactive or viewers): {sorted(missing)}.",
            fields={"invited": ["Invite active users who are not viewers."]},
        )
    if not users:
        raise InvalidInput("Invite at least one user.", fields={"invited": ["Required."]})
    return users


@transaction.atomic
def round_open(
    *, actor: User, feature_id: int, scoring_model_id: int, invited: Iterable[int], note: str = ""
) -> ScoringRound:
    feature = access_feature(actor, feature_id, for_write=True)
    model = ScoringModel.objects.filter(pk=scoring_model_id).first()
    if model is None:
        raise InvalidInput("No such scoring model.", fields={"scoring_model_id": ["Unknown."]})
    users = _invitees(invited)
    round_ = ScoringRound.objects.create(
        feature=feature, scoring_model=model, note=note.strip(), created_by=actor
    )
    round_.invited.set(users)
    audit_record(actor=actor, action=Action.CREATE, obj=round_, after=snapshot(round_),
                 object_type="scoring_round")  # fmt: skip
    return round_


def _open_round(round_: ScoringRound) -> None:
    if round_.state != RoundState.OPEN:
        raise InvalidInput(f"The round is {round_.get_state_display().lower()}, no longer open.")


def _versioned(round_: ScoringRound, expected_version: int | None) -> None:
    check_version(round_.version, expected_version, "The scoring round")


@transaction.atomic
def ballot_submit(
    *, actor: User, round_id: int, inputs: Mapping[str, Any], comment: str = ""
) -> Ballot:
    """Submit or replace the actor's ballot while the round is open (invited users only)."""
    round_ = sel.access_round(actor, round_id)
    if not round_.invited.filter(pk=actor.pk).exists():
        raise NotAllowed("You are not invited to this scoring round.")
    _open_round(round_)
    cleaned = clean_inputs(round_.scoring_model, inputs)
    ballot, created = Ballot.objects.update_or_create(
        round=round_, voter=actor,
        defaults={"inputs": cleaned, "comment": comment.strip(), "submitted_at": timezone.now()},
    )  # fmt: skip
    # The audit trail says that a ballot came in, not what it says, so it stays hidden there too.
    audit_record(actor=actor, action=Action.CREATE if created else Action.UPDATE, obj=ballot,
                 after={"round": round_.pk, "submitted_at": str(ballot.submitted_at)},
                 object_type="ballot")  # fmt: skip
    return ballot


def _move(round_: ScoringRound, actor: User, state: str, **stamps: Any) -> ScoringRound:
    before = snapshot(round_)
    round_.state = state
    for name, value in stamps.items():
        setattr(round_, name, value)
    round_.version += 1
    round_.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=round_, before=before,
                 after=snapshot(round_), object_type="scoring_round")  # fmt: skip
    return round_


@transaction.atomic
def round_reveal(*, actor: User, round_id: int, expected_version: int | None = None
                 ) -> ScoringRound:  # fmt: skip
    round_ = sel.access_round(actor, round_id, for_write=True)
    _versioned(round_, expected_version)
    _open_round(round_)
    if not round_.ballots.exists():
        raise InvalidInput("No ballot has come in yet; there is nothing to reveal.")
    return _move(round_, actor, RoundState.REVEALED, revealed_at=timezone.now())


@transaction.atomic
def round_finalise(
    *,
    actor: User,
    round_id: int,
    inputs: Mapping[str, Any] | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Score:
    """Write the round's result into the feature's score (source "round")."""
    round_ = sel.access_round(actor, round_id, for_write=True)
    _versioned(round_, expected_version)
    if round_.state != RoundState.REVEALED:
        raise InvalidInput("Reveal the ballots before finalising the round.")
    model = round_.scoring_model
    chosen = clean_inputs(model, inputs) if inputs else None
    final = chosen or default_inputs(model, summarise(model, round_.ballots.all()))
    why = reason.strip() or f"Finalised scoring round {round_.pk}."
    score = score_set(actor=actor, feature_id=round_.feature_id, scoring_model_id=model.pk,
                      inputs=final, reason=why, source="round")  # fmt: skip
    _move(round_, actor, RoundState.FINALISED, final_inputs=final, finalised_at=timezone.now())
    return score


@transaction.atomic
def round_cancel(*, actor: User, round_id: int, expected_version: int | None = None
                 ) -> ScoringRound:  # fmt: skip
    round_ = sel.access_round(actor, round_id, for_write=True)
    _versioned(round_, expected_version)
    if round_.state in (RoundState.FINALISED, RoundState.CANCELLED):
        raise InvalidInput(f"The round is already {round_.state}.")
    return _move(round_, actor, RoundState.CANCELLED)
