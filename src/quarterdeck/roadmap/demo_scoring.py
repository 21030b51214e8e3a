"""The demo's scoring: line defaults (Transport RICE, Warehouse WSJF, Platform value / effort),
a score for every initiative in idea, discovery and build, a custom "Demand-weighted RICE"
reading customer-voice demand, re-scores with reasons by the demo's people, one revealed round
with three ballots and one open round. Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.demo.company import DOMAIN
from quarterdeck.portfolio.models import Feature, ProductLine
from quarterdeck.portfolio.selectors import may_change_item
from quarterdeck.roadmap import rounds, scoring
from quarterdeck.roadmap.frameworks import BUILT_IN, ensure_built_in
from quarterdeck.roadmap.models import Score, ScoreChange, ScoringModel, ScoringRound

DEFAULTS = {"Transport": "RICE", "Warehouse": "WSJF", "Platform": "Value / effort"}
DEMAND_RICE = "Demand-weighted RICE"
# reach per quarter, impact, confidence %, effort person-months
RICE = {
    "EV range-aware routing": (1800, 2, 80, 6),
    "Charging stop planner": (1500, 1, 80, 3),
    "Battery health from telematics": (900, 1, 50, 4),
    "Driver chat with dispatch": (4200, 1, 100, 2),
    "Damage photo tagging": (3000, 0.5, 80, 2),
    "Motive connector": (700, 2, 100, 1.5),
    "Cold-chain temperature monitoring": (400, 3, 50, 5),
    "Carrier onboarding and compliance": (1200, 2, 80, 4),
    "Insurance certificate verification": (1100, 1, 80, 2),
    "Saved lane alerts": (2500, 0.5, 80, 1),
    "Load tendering via API": (600, 2, 50, 5),
    "Instant spot quotes": (2000, 2, 100, 3),
    "Contract rate benchmarking": (800, 1, 50, 3),
    "Quote-to-book conversion": (1500, 1, 50, 2),
    "Margin guardrails": (300, 0.5, 80, 1),
    "Route cost simulator": (1000, 1, 50, 4),
    "Driver scorecards": (3500, 0.5, 50, 2),
}
# business value, time criticality, risk reduction, job size (Fibonacci)
WSJF = {
    "Batch and cluster picking": (13, 8, 5, 8),
    "Voice picking": (8, 3, 2, 13),
    "Slotting recommendations": (8, 5, 3, 5),
    "Low-stock alerts": (5, 8, 3, 2),
    "Cycle count scheduler": (3, 2, 5, 3),
    "Door assignment optimiser": (8, 8, 3, 5),
    "Multi-site inventory view": (13, 5, 3, 13),
    "ERP inventory sync": (8, 3, 8, 8),
}
VALUE_EFFORT = {"Partner sandbox": (8, 4)}
# (feature, model, new inputs, reason, who)
RESCORES = [
    ("EV range-aware routing", "RICE", {"confidence": 100}, "Pilot with two carriers confirmed "
     "the range model", "dana.reyes"),
    ("Driver chat with dispatch", "RICE", {"effort": 3}, "Push notifications need a new "
     "service", "jonah.whitfield"),
    ("Low-stock alerts", "WSJF", {"time_criticality": 13}, "Peak season starts in six weeks",
     "dana.reyes"),
    ("Cold-chain temperature monitoring", "RICE", {"reach": 650}, "Pharma prospects added to "
     "the pipeline", "dana.reyes"),
]  # fmt: skip
ROUND_BALLOTS = {  # revealed round on Instant spot quotes (RICE)
    "jonah.whitfield": {"reach": 2000, "impact": 2, "confidence": 80, "effort": 3},
    "arjun.mehta": {"reach": 1600, "impact": 2, "confidence": 80, "effort": 4},
    "rachel.goldberg": {"reach": 2600, "impact": 3, "confidence": 100, "effort": 3},
}


def _user(handle: str) -> User | None:
    return User.objects.filter(email=f"{handle}@{DOMAIN}").first()


def _feature(name: str) -> Feature | None:
    return Feature.objects.filter(name=name).first()


def _model(name: str) -> ScoringModel:
    return ScoringModel.objects.get(name=name)


def _defaults() -> int:
    done = 0
    for line_name, model_name in DEFAULTS.items():
        line = ProductLine.objects.filter(name=line_name, parent__isnull=True).first()
        if line is not None and not hasattr(line, "scoring"):
            scoring.line_default_set(actor=None, line_id=line.pk,
                                     scoring_model_id=_model(model_name).pk)  # fmt: skip
            done += 1
    return done


def _demand_model() -> ScoringModel:
    found = ScoringModel.objects.filter(name=DEMAND_RICE).first()
    if found is not None:
        return found
    rice = next(spec for spec in BUILT_IN if spec["name"] == "RICE")
    data: dict[str, Any] = {
        **rice, "name": DEMAND_RICE, "framework": "custom",
        "description": "RICE weighted by customer-voice demand: x (1 + log10(1 + demand)).",
        "formula": "reach * impact * (confidence / 100) * (1 + log10(1 + demand)) / effort",
        "value_key": "reach * impact * confidence / 100 * (1 + log10(1 + demand))",
        "size_key": "demand",
    }  # fmt: skip
    return scoring.model_create(actor=None, data=data)


def _inputs(model: ScoringModel, values: tuple[float, ...]) -> dict[str, float]:
    return dict(zip((c["key"] for c in model.criteria), values, strict=True))


def _score(name: str, model: ScoringModel, values: tuple[float, ...]) -> int:
    feature = _feature(name)
    if feature is None or Score.objects.filter(feature=feature, scoring_model=model).exists():
        return 0
    scoring.score_set(actor=None, feature_id=feature.pk, scoring_model_id=model.pk,
                      inputs=_inputs(model, values), reason="", source="demo")  # fmt: skip
    return 1


def _scores() -> int:
    rice, demand = _model("RICE"), _demand_model()
    made = sum(_score(n, rice, v) + _score(n, demand, v) for n, v in RICE.items())
    made += sum(_score(n, _model("WSJF"), v) for n, v in WSJF.items())
    made += sum(_score(n, _model("Value / effort"), v) for n, v in VALUE_EFFORT.items())
    # The first scores date from the last planning cycle, so the re-scores read as later.
    fresh = timezone.now() - dt.timedelta(days=1)
    ScoreChange.objects.filter(source="demo", at__gt=fresh).update(at=fresh - dt.timedelta(days=44))
    return made


def _rescores() -> int:
    done = 0
    for name, model_name, inputs, reason, who in RESCORES:
        score = Score.objects.filter(feature__name=name, scoring_model__name=model_name).first()
        if score is None or score.changes.filter(reason=reason).exists():
            continue
        actor = _user(who)
        if actor is None or not may_change_item(actor, score.feature):
            actor = _user("dana.reyes")  # the Head of Product may change every score
        scoring.score_set(actor=actor, feature_id=score.feature_id,
                          scoring_model_id=score.scoring_model_id, inputs=inputs,
                          reason=reason, expected_version=score.version)  # fmt: skip
        done += 1
    return done


def _round(name: str, model_name: str, opener: User) -> ScoringRound | None:
    feature = _feature(name)
    if feature is None or ScoringRound.objects.filter(feature=feature).exists():
        return None
    voters = [u for h in ROUND_BALLOTS if (u := _user(h)) is not None]
    return rounds.round_open(actor=opener, feature_id=feature.pk,
                             scoring_model_id=_model(model_name).pk,
                             invited=[u.pk for u in voters],
                             note="Score alone first; we compare on Thursday.")  # fmt: skip


def _rounds() -> int:
    opener = _user("dana.reyes")
    if opener is None:
        return 0
    made = 0
    if (revealed := _round("Instant spot quotes", "RICE", opener)) is not None:
        for handle, inputs in ROUND_BALLOTS.items():
            if (voter := _user(handle)) is not None:
                rounds.ballot_submit(actor=voter, round_id=revealed.pk, inputs=inputs)
        rounds.round_reveal(actor=opener, round_id=revealed.pk)
        made += 1
    if (still_open := _round("Voice picking", "WSJF", opener)) is not None:
        voter = _user("jonah.whitfield")
        if voter is not None:
            inputs = {"business_value": 8, "time_criticality": 3, "risk_reduction": 3,
                      "job_size": 13}  # fmt: skip
            rounds.ballot_submit(actor=voter, round_id=still_open.pk, inputs=inputs)
        made += 1
    return made


@transaction.atomic
def demo_scoring_ensure() -> str:
    ensure_built_in()
    defaults, scores, rescores, made_rounds = _defaults(), _scores(), _rescores(), _rounds()
    return (
        f"Scoring: {defaults} line defaults, {scores} scores, {rescores} re-scores with reasons, "
        f"{made_rounds} scoring rounds."
    )
