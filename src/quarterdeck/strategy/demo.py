"""Harborline's strategy for the demo: the vision (the CPO signed the current version; the CTO
signed the first draft and has not signed the revision yet), four pillars linked to the lines
and products, company outcomes for the current quarter with line and product outcomes aligned
below them, and key results bound to the demo's own data: product analytics (MAU), surveys
(NPS), revenue (MRR of a line) and one manual key result with check-ins.

Targets are chosen FROM the data, never the statuses: each bound key result's series is read
first (strategy.bindings.evaluate, the refresh's own reader), its end-of-quarter forecast
computed with strategy.progress, and the target set so that the forecast reaches a planned share
of the way there (ambitious for some). The refresh then computes every status the usual way:
most outcomes on track, some at risk, exactly one off track (DriverHub's, after its outage).

Everything is written through the strategy services, as the demo's Head of Product (company and
line outcomes) and admin (naming the signers); loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import transaction

from quarterdeck.accounts.models import User
from quarterdeck.demo.company import DOMAIN
from quarterdeck.lib.dates import workspace_today
from quarterdeck.lib.errors import DomainError
from quarterdeck.people.models import Person
from quarterdeck.portfolio.models import Product, ProductLine
from quarterdeck.strategy import bindings, progress, services
from quarterdeck.strategy.demo_plan import (
    CHECK_INS,
    MANUAL_CHECK_INS,
    OUTCOMES,
    PILLARS,
    VISION_DRAFT,
    VISION_REVISED,
    KrPlan,
    OutcomePlan,
)
from quarterdeck.strategy.models import KeyResult, Outcome, Vision
from quarterdeck.strategy.refresh import RefreshReport, refresh_outcomes
from quarterdeck.strategy.selectors import period_of, quarter_bounds
from quarterdeck.surveys.models import Survey

COUNTS: Final = ("users", "customers")
SIGNERS: Final = {"cpo": "adaeze.okonkwo", "cto": "marcus.lindqvist"}


@dataclass
class Loaded:
    outcomes: int = 0
    key_results: int = 0
    skipped: list[str] = field(default_factory=list)  # key results without data to aim from
    report: RefreshReport | None = None


def _user(name: str) -> User:
    return User.objects.get(email=f"{name}@{DOMAIN}")


def _person(name: str) -> Person:
    return Person.objects.get(email=f"{name}@{DOMAIN}")


def _signer(name: str, role: str) -> User:
    """The signer's account, linked to their person, without a password (nobody signs in as
    them in the demo, which has one sign-in per role): the CPO is a leader, the CTO a
    contributor (technology leadership reads and aligns on the product strategy)."""
    from quarterdeck.accounts.services import user_create
    from quarterdeck.people.services import person_update

    person = _person(name)
    if person.user_id is not None:
        return User.objects.get(pk=person.user_id)
    user = user_create(actor=None, data={"email": person.email, "name": person.name, "role": role})
    admin = _user("sam.okafor")
    person_update(
        actor=admin, person_id=person.pk, data={"user_id": user.pk}, expected_version=person.version
    )
    return user


def _vision(leader: User) -> None:
    cpo, cto = _signer(SIGNERS["cpo"], "leader"), _signer(SIGNERS["cto"], "contributor")
    people = {"cpo_id": _person(SIGNERS["cpo"]).pk, "cto_id": _person(SIGNERS["cto"]).pk}
    found = services.vision_update(
        actor=leader, data={**VISION_DRAFT, **people}, expected_version=None
    )
    services.vision_sign(actor=cto, role="cto", note="Platform investments are covered; go.")
    services.vision_update(actor=leader, data=VISION_REVISED, expected_version=found.version)
    services.vision_sign(
        actor=cpo, role="cpo", note="Signed the revision with the warehouse focus."
    )


def _pillars(leader: User) -> dict[str, int]:
    found = {}
    for position, (name, description, lines, products) in enumerate(PILLARS):
        pillar = services.pillar_create(
            actor=leader, data={"name": name, "description": description, "position": position}
        )
        line_ids = list(ProductLine.objects.filter(name__in=lines).values_list("pk", flat=True))
        product_ids = list(Product.objects.filter(name__in=products).values_list("pk", flat=True))
        services.pillar_links_set(
            actor=leader, pillar_id=pillar.pk, line_ids=line_ids, product_ids=product_ids,
            expected_version=pillar.version,
        )  # fmt: skip
        found[name] = pillar.pk
    return found


def _metric(plan: KrPlan) -> dict[str, Any]:
    if plan.source == "survey":
        return {"survey_id": Survey.objects.get(name=plan.subject).pk, "window_days": 90}
    if plan.source == "revenue":
        return {"metric": "mrr", "line_id": ProductLine.objects.get(name=plan.subject).pk}
    if plan.source == "analytics":
        product = Product.objects.get(name=plan.subject).pk
        query = {"kind": "active-users", "product_id": product, "measure": "mau", "last_days": 90}
        return {"query": query, "series": "mau"}
    return {}


def nice(value: float, unit: str) -> float:
    """A figure people would write down: three significant digits, whole NPS points and
    whole counts."""
    if unit == "NPS" or value == 0:
        return float(round(value))
    digits = 2 - math.floor(math.log10(abs(value)))
    if unit in COUNTS:
        digits = min(digits, 0)
    return float(round(value, digits))


def aim(
    points: list[tuple[dt.date, float]],
    plan: KrPlan,
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> tuple[float, float] | None:
    """(baseline, target) so that the forecast at ``end`` covers ``share`` of the way from the
    baseline (the value on the first day) to the target; None without data or movement."""
    if not points:
        return None
    baseline = nice(points[0][1], plan.unit)
    found = progress.forecast(points, end=end, today=today, start=start, baseline=baseline)
    if found is None or abs(found.value - baseline) < 1e-6:
        return None
    return baseline, nice(baseline + (found.value - baseline) / plan.share, plan.unit)


def _key_result(
    leader: User, outcome: Outcome, plan: KrPlan, today: dt.date, loaded: Loaded
) -> None:
    data: dict[str, Any] = {"title": plan.title, "source": plan.source, "unit": plan.unit}
    metric = _metric(plan)
    if plan.source == "manual":
        data |= {"metric": {}, "baseline": plan.baseline, "target": plan.target}
    else:
        draft = KeyResult(outcome=outcome, source=plan.source, start=outcome.start, end=outcome.end)
        try:
            draft.metric = bindings.check_binding(plan.source, metric)
            points = bindings.evaluate(draft, today=today)
        except DomainError:  # `quarterdeck demo --no-events`: no tracking, no events to read
            points = []
        aimed = aim(points, plan, start=outcome.start, end=outcome.end, today=today)
        if aimed is None:
            loaded.skipped.append(plan.title)
            return
        data |= {"metric": metric, "baseline": aimed[0], "target": aimed[1]}
    kr = services.key_result_create(actor=leader, outcome_id=outcome.pk, data=data)
    loaded.key_results += 1
    for day_offset, value, note in MANUAL_CHECK_INS if plan.source == "manual" else ():
        day = outcome.start + dt.timedelta(days=day_offset)
        if day <= today:
            services.key_result_check_in(
                actor=leader,
                kr_id=kr.pk,
                data={"day": day.isoformat(), "value": value, "note": note},
            )


def _scope(plan: OutcomePlan) -> dict[str, Any]:
    if plan.level == "line":
        return {"line_id": ProductLine.objects.get(name=plan.subject).pk}
    if plan.level == "product":
        return {"product_id": Product.objects.get(name=plan.subject).pk}
    return {}


def _outcome(
    leader: User,
    plan: OutcomePlan,
    parent: Outcome | None,
    pillars: Mapping[str, int],
    period: str,
    today: dt.date,
    loaded: Loaded,
) -> None:
    data = {
        "title": plan.title, "description": plan.description, "level": plan.level,
        "owner_id": _person(plan.owner).pk, "period": period,
        "parent_id": parent.pk if parent else None,
        "pillar_ids": [pillars[name] for name in plan.pillars], **_scope(plan),
    }  # fmt: skip
    outcome = services.outcome_create(actor=leader, data=data)
    loaded.outcomes += 1
    for kr in plan.key_results:
        _key_result(leader, outcome, kr, today, loaded)
    for child in plan.children:
        _outcome(leader, child, outcome, pillars, period, today, loaded)


def _check_ins(today: dt.date) -> None:
    """Owners' words on their outcomes (after the refresh: they quote its progress)."""
    for title, author, health, note in CHECK_INS:
        outcome = Outcome.objects.filter(title=title).first()
        if outcome is not None:
            services.check_in_create(
                actor=_user(author), outcome_id=outcome.pk, data={"health": health, "note": note}
            )


def demo_strategy_ensure(*, today: dt.date | None = None) -> Loaded | None:
    """Create the demo strategy unless there already is one (None then), refresh it."""
    if Outcome.objects.exists() or Vision.objects.exclude(statement="").exists():
        return None
    day = today or workspace_today()
    period = period_of(day)
    quarter_bounds(period)  # a quarter, as the outcomes use
    leader = _user("dana.reyes")
    loaded = Loaded()
    with transaction.atomic():
        _vision(leader)
        pillars = _pillars(leader)
        for plan in OUTCOMES:
            _outcome(leader, plan, None, pillars, period, day, loaded)
    loaded.report = refresh_outcomes(today=day)
    _check_ins(day)
    return loaded
