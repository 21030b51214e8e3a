"""Lifecycle gates: the exit criteria of a stage, evaluated for one item, and the stage guard.

An item leaves stage S forwards only when the exit criteria of S — and of every stage it skips —
hold. A criterion is a checklist item (ticked per item by a person, ``GateTick``) or a required
field: a named data check from ``REQUIREMENTS`` (``check(item) -> why it is unmet, or None``).
Other apps add checks with ``register_requirement`` (PLANS: "launch_plan", CHECKS:
"success_metrics").

Moves by the system (actor None: CLI, demo, import) and backward moves are never gated. A leader
or admin may move past unmet criteria with a reason (``stage_move(..., override=True)``); the
move is then recorded with a ``GateOverride`` naming what was unmet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record
from quarterdeck.launches import gate_checks
from quarterdeck.launches.models import CriterionKind, GateCriterion, GateOverride, GateTick
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound
from quarterdeck.portfolio import services as portfolio_services
from quarterdeck.portfolio.models import (
    Feature,
    ItemType,
    PortfolioItem,
    Product,
    ProductLine,
    Stage,
    StageChange,
)

STAGES: tuple[str, ...] = tuple(Stage.values)
Item = PortfolioItem
Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    check: Check


REQUIREMENTS: dict[str, Requirement] = {}


def register_requirement(key: str, label: str, check: Check) -> None:
    """Add (or replace) a named data check usable as a "required" exit criterion."""
    REQUIREMENTS[key] = Requirement(key, label, check)


for _key, (_label, _check) in gate_checks.BUILT_IN.items():
    register_requirement(_key, _label, _check)


def item_type_of(item: Item) -> str:
    if isinstance(item, Feature):
        return ItemType.FEATURE
    if isinstance(item, Product):
        return ItemType.PRODUCT
    assert isinstance(item, ProductLine)
    return ItemType.LINE


def next_stage(stage: str) -> str | None:
    index = STAGES.index(stage) if stage in STAGES else len(STAGES)
    return STAGES[index + 1] if index + 1 < len(STAGES) else None


def stages_left(old: str, new: str) -> list[str]:
    """The stages whose exit criteria a move from ``old`` to ``new`` must meet: ``old`` and
    every stage skipped; none for a backward move (or a move from/to an unknown stage)."""
    if old not in STAGES or new not in STAGES:
        return []
    return list(STAGES[STAGES.index(old) : STAGES.index(new)])


# Status -----------------------------------------------------------------------------------------


@dataclass
class CriterionStatus:
    criterion: GateCriterion
    met: bool
    reason: str = ""  # why it is unmet (and how to meet it)
    tick: GateTick | None = None

    def as_unmet(self) -> dict[str, Any]:
        c = self.criterion
        return {"criterion_id": c.pk, "stage": c.stage, "label": label_of(c), "reason": self.reason}


@dataclass
class GateStatus:
    """The exit criteria of the item's current stage (towards ``next_stage``), met or not."""

    item_type: str
    item_id: int
    stage: str
    next_stage: str | None
    criteria: list[CriterionStatus] = field(default_factory=list)

    @property
    def unmet(self) -> list[CriterionStatus]:
        return [c for c in self.criteria if not c.met]

    @property
    def all_met(self) -> bool:
        return not self.unmet


def active_criteria(item_type: str, stages: list[str]) -> list[GateCriterion]:
    qs = GateCriterion.objects.filter(applies_to=item_type, stage__in=stages, active=True)
    order = {stage: n for n, stage in enumerate(STAGES)}
    return sorted(qs, key=lambda c: (order[c.stage], c.position, c.pk))


def _evaluate(
    item: Item, criterion: GateCriterion, ticks: Mapping[int, GateTick]
) -> CriterionStatus:
    if criterion.kind == CriterionKind.CHECKLIST:
        tick = ticks.get(criterion.pk)
        if tick is not None and tick.done:
            return CriterionStatus(criterion, True, tick=tick)
        return CriterionStatus(criterion, False, "Not ticked yet: tick it once it is done.", tick)
    requirement = REQUIREMENTS.get(criterion.requirement)
    if requirement is None:
        why = f"No data check named “{criterion.requirement}” is installed; ask an admin."
        return CriterionStatus(criterion, False, why)
    why_not = requirement.check(item)
    return CriterionStatus(criterion, why_not is None, why_not or "")


def evaluate(item: Item, stages: list[str]) -> list[CriterionStatus]:
    """Every active exit criterion of ``stages`` for the item, in stage order."""
    item_type = item_type_of(item)
    criteria = active_criteria(item_type, stages)
    ticks = {
        t.criterion_id: t
        for t in GateTick.objects.filter(item_type=item_type, item_id=item.pk).select_related(
            "actor"
        )
    }
    return [_evaluate(item, c, ticks) for c in criteria]


def gate_status(item: Item) -> GateStatus:
    """The exit criteria of the item's current stage, met ✓ or unmet ✗ with the reason."""
    upcoming = next_stage(item.stage)
    criteria = evaluate(item, [item.stage]) if upcoming else []
    return GateStatus(item_type_of(item), item.pk, item.stage, upcoming, criteria)


# The guard ------------------------------------------------------------------------------------

# Set by stage_move around the portfolio update: the override asked for, and (from the guard to
# the listener, same transaction) what it overrode.
_override: ContextVar[bool] = ContextVar("gate_override", default=False)
_overridden: ContextVar[list[dict[str, Any]] | None] = ContextVar("gate_overridden", default=None)


def label_of(criterion: GateCriterion) -> str:
    requirement = REQUIREMENTS.get(criterion.requirement)
    return criterion.label or (requirement.label if requirement else criterion.requirement)


def unmet_message(unmet: list[CriterionStatus]) -> list[str]:
    return [
        f"{Stage(s.criterion.stage).label}: {label_of(s.criterion)} — {s.reason}" for s in unmet
    ]


def stage_guard(actor: User | None, item: Item, old: str, new: str, reason: str) -> None:
    """Refuse a user's forward move past unmet exit criteria (``InvalidInput`` on "stage")."""
    if actor is None or not old:  # the system is not gated; a new item has nothing to leave
        return
    unmet = [s for s in evaluate(item, stages_left(old, new)) if not s.met]
    if not unmet:
        return
    if _override.get():
        _overridden.set([s.as_unmet() for s in unmet])
        return
    lines = unmet_message(unmet)
    hint = (
        " You may override them with a reason on the item's Lifecycle gate card."
        if rules.changes_everything(actor)
        else " Meet them first, or ask a leader to override."
    )
    raise InvalidInput(
        f"“{item.name}” cannot move to {Stage(new).label}: {len(unmet)} exit "
        f"{'criterion is' if len(unmet) == 1 else 'criteria are'} not met.{hint}",
        fields={"stage": lines},
    )


def stage_listener(actor: User | None, item: Item, change: StageChange) -> None:
    """Record the override the guard let through, on the move just written."""
    unmet = _overridden.get()
    if not unmet:
        return
    _overridden.set(None)
    override = GateOverride.objects.create(stage_change=change, unmet=unmet)
    after = {"stage_change": change.pk, "unmet": unmet, "reason": change.reason}
    audit_record(
        actor=actor, action=Action.CREATE, obj=override, after=after, object_type="gate_override"
    )


# Moves ----------------------------------------------------------------------------------------

UPDATES: dict[str, Callable[..., PortfolioItem]] = {
    ItemType.FEATURE: lambda pk, **kw: portfolio_services.feature_update(feature_id=pk, **kw),
    ItemType.PRODUCT: lambda pk, **kw: portfolio_services.product_update(product_id=pk, **kw),
    ItemType.LINE: lambda pk, **kw: portfolio_services.line_update(line_id=pk, **kw),
}
MODELS: dict[str, type[Feature] | type[Product] | type[ProductLine]] = {
    ItemType.FEATURE: Feature,
    ItemType.PRODUCT: Product,
    ItemType.LINE: ProductLine,
}


def _check_move(actor: User | None, to_stage: str, reason: str, override: bool) -> None:
    if to_stage not in STAGES:
        raise InvalidInput(
            f"“{to_stage}” is not a stage; use one of {', '.join(STAGES)}.",
            fields={"to_stage": [f"Not a stage: use one of {', '.join(STAGES)}."]},
        )
    if override and actor is not None and not rules.changes_everything(actor):
        raise NotAllowed("Only leaders and admins move an item past unmet exit criteria.")
    if override and not reason.strip():
        raise InvalidInput(
            "An override needs a reason: say why the move goes ahead without its criteria.",
            fields={"reason": ["Say why the criteria are overridden."]},
        )


def _system_move(
    item_type: str, item_id: int, to_stage: str, reason: str, version: int | None
) -> None:
    """The system's move (no user, so no access door): the portfolio's own update path, which
    records the StageChange, calls the listeners and audits."""
    item = MODELS[item_type].objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise NotFound(f"There is no {ItemType(item_type).label.lower()} with id {item_id}.")
    data = {"stage": to_stage}
    # One call per type, so the portfolio's typed update binds its type variable.
    if isinstance(item, Feature):  # noqa: SIM114
        portfolio_services._update(None, item, version, data, reason)
    elif isinstance(item, Product):
        portfolio_services._update(None, item, version, data, reason)
    else:
        portfolio_services._update(None, item, version, data, reason)


def stage_move(
    *,
    actor: User | None,
    item_type: str,
    item_id: int,
    to_stage: str,
    reason: str,
    override: bool = False,
    expected_version: int | None = None,
) -> StageChange:
    """Move an item to ``to_stage`` with a reason; the guard applies to users (see the module
    docstring). Answers the StageChange written."""
    if item_type not in UPDATES:
        raise InvalidInput(f"Unknown item type {item_type!r}.", fields={"item_type": ["Unknown."]})
    _check_move(actor, to_stage, reason, override)
    token, token_unmet = _override.set(override), _overridden.set(None)
    try:
        with transaction.atomic():
            before = StageChange.objects.filter(item_type=item_type, item_id=item_id).count()
            if actor is None:
                _system_move(item_type, item_id, to_stage, reason, expected_version)
            else:
                data = {"stage": to_stage}
                UPDATES[item_type](
                    item_id,
                    actor=actor,
                    data=data,
                    expected_version=expected_version,
                    stage_reason=reason,
                )
            changes = StageChange.objects.filter(item_type=item_type, item_id=item_id)
            if changes.count() == before:
                raise InvalidInput(
                    f"The item is already in {Stage(to_stage).label}.",
                    fields={"to_stage": ["Already in this stage."]},
                )
            change = changes.select_related("actor").first()
            assert change is not None
            return change
    finally:
        _override.reset(token)
        _overridden.reset(token_unmet)
