"""Reads of the strategy module and the one door per object: access_outcome, access_key_result
and access_pillar. Every active user reads the strategy; who changes an outcome follows the
portfolio item it is about (company level: leaders and admins).

``user`` None is the operator at the command line (the CLI acts as the system, like every
other operator command): it reads and changes everything.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound
from quarterdeck.people.models import Person
from quarterdeck.portfolio.models import Product, ProductLine
from quarterdeck.portfolio.selectors import may_change_item
from quarterdeck.strategy.models import (
    CheckIn,
    KeyResult,
    KeyResultCheckIn,
    KeyResultPoint,
    Level,
    Outcome,
    Pillar,
    SignOff,
    SignOffRole,
    Vision,
)

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
OUTCOME_RELATED = ("line", "product", "parent", "owner")


# Rules ----------------------------------------------------------------------------------------


def may_read_strategy(user: User | None) -> bool:
    return user is None or (user.is_authenticated and user.is_active)


def may_edit_strategy(user: User | None) -> bool:
    """The vision, its signers and the pillars: leaders and admins."""
    return user is None or rules.changes_everything(user)


def may_create_outcome(
    user: User | None, level: str, line: ProductLine | None, product: Product | None
) -> bool:
    if user is None:
        return True
    if not may_read_strategy(user):
        return False
    if level == Level.LINE:
        return line is not None and may_change_item(user, line)
    if level == Level.PRODUCT:
        return product is not None and may_change_item(user, product)
    return rules.changes_everything(user)


def may_change_outcome(user: User | None, outcome: Outcome) -> bool:
    return may_create_outcome(user, outcome.level, outcome.line, outcome.product)


def _check_read(user: User | None) -> None:
    if not may_read_strategy(user):
        raise NotAllowed("Sign in to see the strategy.")


# Doors ----------------------------------------------------------------------------------------


def access_outcome(user: User | None, outcome_id: int, *, for_write: bool = False) -> Outcome:
    _check_read(user)
    outcome = Outcome.objects.select_related(*OUTCOME_RELATED).filter(pk=outcome_id).first()
    if outcome is None:
        raise NotFound(f"There is no outcome with id {outcome_id}.")
    if for_write and not may_change_outcome(user, outcome):
        raise NotAllowed(f"You may not change the outcome “{outcome.title}”.")
    return outcome


def access_key_result(user: User | None, kr_id: int, *, for_write: bool = False) -> KeyResult:
    _check_read(user)
    related = ("outcome", *(f"outcome__{name}" for name in OUTCOME_RELATED))
    kr = KeyResult.objects.select_related(*related).filter(pk=kr_id).first()
    if kr is None:
        raise NotFound(f"There is no key result with id {kr_id}.")
    if for_write and not may_change_outcome(user, kr.outcome):
        raise NotAllowed(f"You may not change the key result “{kr.title}”.")
    return kr


def access_pillar(user: User | None, pillar_id: int, *, for_write: bool = False) -> Pillar:
    _check_read(user)
    pillar = Pillar.objects.filter(pk=pillar_id).first()
    if pillar is None:
        raise NotFound(f"There is no pillar with id {pillar_id}.")
    if for_write and not may_edit_strategy(user):
        raise NotAllowed("Only leaders and admins change the strategic pillars.")
    return pillar


# Vision ---------------------------------------------------------------------------------------


def vision(user: User | None) -> Vision:
    """The vision (row 1); an empty, unsaved one before anybody wrote it."""
    _check_read(user)
    found = Vision.objects.select_related("cpo", "cto").filter(pk=1).first()
    return found if found is not None else Vision(pk=1)


def current_sign_offs(user: User | None) -> dict[str, SignOff | None]:
    """Per role, the latest sign-off of the current vision version (None: not signed yet)."""
    current = vision(user)
    signed = SignOff.objects.filter(vision_version=current.version).select_related("signer")
    if current._state.adding:
        signed = signed.none()
    return {role: signed.filter(role=role).first() for role in SignOffRole.values}


def sign_off_history(user: User | None) -> QuerySet[SignOff]:
    _check_read(user)
    return SignOff.objects.select_related("signer")


# Lists ----------------------------------------------------------------------------------------


def list_pillars(user: User | None) -> QuerySet[Pillar]:
    _check_read(user)
    return Pillar.objects.prefetch_related("lines", "products")


def list_outcomes(
    user: User | None,
    *,
    level: str | None = None,
    line_id: int | None = None,
    product_id: int | None = None,
    period: str | None = None,
    status: str | None = None,
    active_on: dt.date | None = None,
) -> QuerySet[Outcome]:
    _check_read(user)
    # Each outcome's check-ins newest first, fetched once for the list (latest_check_in reads
    # them) instead of one query per outcome.
    check_ins = Prefetch(
        "check_ins",
        queryset=CheckIn.objects.select_related("author").order_by("-at", "-id"),
        to_attr="check_ins_newest_first",
    )
    qs = Outcome.objects.select_related(*OUTCOME_RELATED).prefetch_related("pillars", check_ins)
    filters = {
        "level": level,
        "line_id": line_id,
        "product_id": product_id,
        "period": period,
        "status": status,
    }
    qs = qs.filter(**{name: value for name, value in filters.items() if value is not None})
    if active_on is not None:
        qs = qs.filter(start__lte=active_on, end__gte=active_on)
    return qs


def latest_check_in(outcome: Outcome) -> CheckIn | None:
    prefetched: list[CheckIn] | None = getattr(outcome, "check_ins_newest_first", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return outcome.check_ins.select_related("author").first()


# Periods --------------------------------------------------------------------------------------


def quarter_bounds(period: str) -> tuple[dt.date, dt.date]:
    """ "2026-Q4" → (2026-10-01, 2026-12-31); InvalidInput for anything else."""
    match = QUARTER.match(period or "")
    if match is None:
        raise InvalidInput(
            f"Period {period!r} is not a quarter like 2026-Q4.",
            fields={"period": ["Write a quarter like 2026-Q4, or 'custom' with start and end."]},
        )
    year, quarter = int(match[1]), int(match[2])
    start = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, following - dt.timedelta(days=1)


def period_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def periods(today: dt.date) -> list[str]:
    """The current quarter first, then the next one and the four before it."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    index = year * 4 + quarter - 1
    order = [index, index + 1, index - 1, index - 2, index - 3, index - 4]
    return [f"{i // 4}-Q{i % 4 + 1}" for i in order]


# Tree and alignment ---------------------------------------------------------------------------


@dataclass
class OutcomeNode:
    outcome: Outcome
    key_results: list[KeyResult] = field(default_factory=list)
    children: list[OutcomeNode] = field(default_factory=list)


def outcome_tree(user: User | None, *, period: str | None = None) -> list[OutcomeNode]:
    """Outcomes nested under their parents, with their key results. An outcome whose parent is
    outside the period is a root, so nothing of the period is hidden."""
    krs = Prefetch("key_results", queryset=KeyResult.objects.order_by("position", "id"))
    outcomes = list(list_outcomes(user, period=period).prefetch_related(krs))
    nodes = {o.pk: OutcomeNode(o, list(o.key_results.all())) for o in outcomes}
    roots: list[OutcomeNode] = []
    for node in nodes.values():
        parent = nodes.get(node.outcome.parent_id or 0)
        (parent.children if parent is not None else roots).append(node)
    return roots


@dataclass
class PillarRow:
    """One pillar (None: the outcomes serving no pillar) and what serves it."""

    pillar: Pillar | None
    company: list[Outcome] = field(default_factory=list)
    aligned: list[Outcome] = field(default_factory=list)  # line and product outcomes below them
    lines: list[ProductLine] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.pillar.name if self.pillar is not None else "Unaligned"


def _pillars_served(outcome: Outcome, by_id: dict[int, Outcome]) -> set[int]:
    """The pillars an outcome serves: its own and those of every outcome above it."""
    found: set[int] = set()
    seen: set[int] = set()
    current: Outcome | None = outcome
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        found |= {p.pk for p in current.pillars.all()}
        current = by_id.get(current.parent_id or 0)
    return found


def alignment(user: User | None, *, period: str | None = None) -> list[PillarRow]:
    outcomes = list(list_outcomes(user, period=period))
    by_id = {o.pk: o for o in outcomes}
    rows = [
        PillarRow(p, lines=list(p.lines.all()), products=list(p.products.all()))
        for p in list_pillars(user)
    ]
    by_pillar = {row.pillar.pk: row for row in rows if row.pillar is not None}
    unaligned = PillarRow(None)
    for outcome in outcomes:
        served = _pillars_served(outcome, by_id) & set(by_pillar)
        for pillar_id in sorted(served):
            row = by_pillar[pillar_id]
            (row.company if outcome.level == Level.COMPANY else row.aligned).append(outcome)
        if not served:
            unaligned.aligned.append(outcome)
    return [*rows, unaligned]


def key_result_points(kr: KeyResult) -> QuerySet[KeyResultPoint]:
    """The key result's value history (pass it through access_key_result first)."""
    return kr.points.order_by("day")


def key_result_check_ins(kr: KeyResult) -> QuerySet[KeyResultCheckIn]:
    return kr.check_ins.select_related("author")


def outcome_check_ins(outcome: Outcome) -> QuerySet[CheckIn]:
    return outcome.check_ins.select_related("author")


def list_key_results(outcome: Outcome) -> QuerySet[KeyResult]:
    """An outcome's key results in order (pass it through access_outcome first)."""
    return outcome.key_results.select_related("outcome").order_by("position", "id")


def key_results_due(today: dt.date, grace_days: int) -> QuerySet[KeyResult]:
    """The key results a full refresh recomputes: of outcomes running today or ended within
    ``grace_days`` (late data still lands)."""
    since = today - dt.timedelta(days=grace_days)
    qs = KeyResult.objects.select_related("outcome")
    return qs.filter(outcome__start__lte=today, outcome__end__gte=since).order_by("pk")


# For the operator at the command line -------------------------------------------------------


def person_by_email(email: str) -> Person:
    person = Person.objects.filter(email__iexact=email.strip()).first()
    if person is None:
        raise NotFound(f"There is no person with the e-mail address {email!r}.")
    return person


def pillar_named(name: str) -> Pillar:
    """A pillar by its name or its id."""
    found = Pillar.objects.filter(name__iexact=name.strip()).first()
    if found is None and name.strip().isdigit():
        found = Pillar.objects.filter(pk=int(name)).first()
    if found is None:
        raise NotFound(f"There is no pillar named {name!r}.")
    return found
