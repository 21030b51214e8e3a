"""Demo survey answers for Harborline, over the last six months, telling the demo's story:

- RouteIQ NPS rises after the Drag-and-drop route planner launches (the day its stage history
  says it reached ``launch``; three months ago when the demo portfolio has no such history);
- DriverHub NPS dips in the month of an app outage (four months ago), then recovers;
- LoadBoard NPS holds steady; the support team's CSAT (1-5, no product) improves slowly.

Accounts are synthetic ids in the demo events' format (``acct_`` + 10 hex digits). Deterministic:
the same day gives the same answers, and running it again adds nothing (external ids ``demo:…``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from quarterdeck.portfolio.models import Feature, Product, StageChange
from quarterdeck.surveys.models import Kind, Source, Survey
from quarterdeck.surveys.responses import responses_store

SEED: Final = 1729
DAYS: Final = 182
STAGES: Final = ("Onboarding", "Adoption", "Renewal")
SEGMENTS: Final = ("SMB", "Mid-market", "Enterprise")
COMMENTS: Final = {
    "promoter": ("Saves my team hours every week.", "Reliable and easy to use.", "Great support."),
    "passive": ("Does the job.", "Good, but reports could be faster.", "Fine overall."),
    "detractor": ("Too slow at peak times.", "Hard to set up.", "Missing integrations we need."),
}
STORY_COMMENTS: Final = {
    "RouteIQ": "The new drag-and-drop planner is a huge improvement.",
    "DriverHub": "The app went down during deliveries; drivers were stuck.",
}


@dataclass(frozen=True)
class DemoSurvey:
    name: str
    kind: str
    product: str | None
    per_day: float
    target: Callable[[int, int], float]  # (day index, story day) -> NPS or CSAT top-2 share


def _routeiq(day: int, launch: int) -> float:
    return 5.0 if day < launch else min(40.0, 15.0 + (day - launch) * 0.4)


def _driverhub(day: int, outage: int) -> float:
    return -25.0 if outage <= day < outage + 30 else 25.0


SURVEYS: Final = (
    DemoSurvey("RouteIQ NPS", Kind.NPS, "RouteIQ", 2.5, _routeiq),
    DemoSurvey("DriverHub NPS", Kind.NPS, "DriverHub", 3.0, _driverhub),
    DemoSurvey("LoadBoard NPS", Kind.NPS, "LoadBoard", 1.5, lambda day, _: 15.0),
    DemoSurvey("Support CSAT", Kind.CSAT, None, 4.0, lambda day, _: 0.72 + day / DAYS * 0.12),
)


def _nps_score(rng: random.Random, target: float) -> int:
    promoters = max(0.0, min(1.0, (0.7 + target / 100) / 2))
    detractors = max(0.0, min(1.0 - promoters, (0.7 - target / 100) / 2))
    draw = rng.random()
    if draw < promoters:
        return rng.choice((9, 10, 10))
    if draw < promoters + detractors:
        return rng.choice((0, 2, 3, 4, 5, 5, 6, 6, 6))
    return rng.choice((7, 8, 8))


def _csat_score(rng: random.Random, target: float) -> int:
    if rng.random() < target:
        return rng.choice((4, 4, 5))
    return rng.choice((1, 2, 3, 3))


def _group(kind: str, score: int) -> str:
    if kind == Kind.NPS:
        return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
    return "promoter" if score >= 4 else "passive" if score == 3 else "detractor"


def _comment(rng: random.Random, spec: DemoSurvey, score: int, story: bool) -> str:
    """The story's own comment for the answers it explains (RouteIQ's promoters after the
    launch, DriverHub's unhappy answers in the outage month), else a common one or none."""
    group = _group(spec.kind, score)
    explains = group == "promoter" if spec.product == "RouteIQ" else group != "promoter"
    if story and explains and spec.product in STORY_COMMENTS and rng.random() < 0.5:
        return STORY_COMMENTS[spec.product]
    return rng.choice(COMMENTS[group]) if rng.random() < 0.6 else ""


def _in_story(spec: DemoSurvey, day: int, turn: int) -> bool:
    if spec.product == "RouteIQ":
        return day >= turn
    return spec.product == "DriverHub" and turn <= day < turn + 30


def _story_day(spec: DemoSurvey, start: dt.date) -> int:
    """The day index of the survey's turning point (launch, outage)."""
    if spec.product == "RouteIQ":
        return _launch_day(start)
    return DAYS - 120


def _launch_day(start: dt.date) -> int:
    feature = Feature.objects.filter(name="Drag-and-drop route planner").first()
    change = None
    if feature is not None:
        change = (
            StageChange.objects.filter(item_type="feature", item_id=feature.pk, to_stage="launch")
            .order_by("at")
            .first()
        )
    if change is None:
        return DAYS - 90
    return max(0, min(DAYS - 1, (change.at.date() - start).days))


@dataclass(frozen=True)
class _Plan:
    spec: DemoSurvey
    product_id: int | None
    start: dt.date
    turn: int
    accounts: tuple[str, ...]


def _answer(rng: random.Random, plan: _Plan, day: int, n: int) -> dict[str, Any]:
    spec = plan.spec
    target = spec.target(day, plan.turn)
    score = _nps_score(rng, target) if spec.kind == Kind.NPS else _csat_score(rng, target)
    moment = dt.datetime.combine(plan.start + dt.timedelta(days=day), dt.time(8), dt.UTC)
    account = rng.choice(plan.accounts)
    return {
        "score": score,
        "comment": _comment(rng, spec, score, _in_story(spec, day, plan.turn)),
        "answered_at": moment + dt.timedelta(minutes=rng.randrange(600)),
        "respondent": f"user{rng.randrange(400):03d}@{account}.example",
        "account": account,
        "product_id": plan.product_id,
        "segment": rng.choice(SEGMENTS),
        "stage": rng.choice(STAGES),
        "external_id": f"demo:{day}:{n}",
    }


def _answers(spec: DemoSurvey, product_id: int | None, start: dt.date) -> list[dict[str, Any]]:
    rng = random.Random(f"{SEED}:{spec.name}")  # noqa: S311 - demo data, not secrets
    accounts = tuple(f"acct_{rng.getrandbits(40):010x}" for _ in range(60))
    plan = _Plan(spec, product_id, start, _story_day(spec, start), accounts)
    return [
        _answer(rng, plan, day, n)
        for day in range(DAYS)
        for n in range(int(spec.per_day + rng.random()))
    ]


def _survey(spec: DemoSurvey, product: Product | None) -> Survey:
    low, high = (0, 10) if spec.kind == Kind.NPS else (1, 5)
    question = (
        "How likely are you to recommend us to a colleague?"
        if spec.kind == Kind.NPS
        else "How satisfied are you with the help you got?"
    )
    survey, _ = Survey.objects.get_or_create(
        name=spec.name,
        defaults={
            "kind": spec.kind, "scale_min": low, "scale_max": high, "product": product,
            "question": question,
        },
    )  # fmt: skip
    return survey


def demo_surveys_ensure(*, today: dt.date | None = None) -> int:
    """Create the demo surveys and their answers (those missing); the number of answers added."""
    end = today or timezone.localdate()
    start = end - dt.timedelta(days=DAYS)
    added = 0
    for spec in SURVEYS:
        product = Product.objects.filter(name=spec.product).first() if spec.product else None
        if spec.product and product is None:
            continue  # the demo portfolio is not loaded
        with transaction.atomic():
            survey = _survey(spec, product)
            created, _ = responses_store(
                survey, _answers(spec, survey.product_id, start), Source.IMPORT
            )
        added += created
    return added
