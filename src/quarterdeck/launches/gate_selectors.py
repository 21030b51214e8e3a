"""Reads of lifecycle gates: the doors of exit criteria and sunset plans, their lists, and the
item a gate or sunset plan belongs to.

Rules: every active signed-in user reads criteria, gate status and sunset plans. Criteria are
changed by leaders and admins; ticks and sunset plans by whoever may change the item.
"""

from __future__ import annotations

from django.db.models import QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.launches.models import GateCriterion, SunsetPlan
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound
from quarterdeck.portfolio import selectors as portfolio
from quarterdeck.portfolio.models import ItemType, PortfolioItem

GATED_TYPES = (ItemType.FEATURE, ItemType.PRODUCT)


def may_read_gates(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _signed_in(user: User) -> None:
    if not may_read_gates(user):
        raise NotAllowed("Sign in to see lifecycle gates.")


def access_item(
    user: User, item_type: str, item_id: int, *, for_write: bool = False
) -> PortfolioItem:
    """The feature or product a gate, tick or sunset plan is about, through its portfolio door."""
    if item_type == ItemType.FEATURE:
        return portfolio.access_feature(user, item_id, for_write=for_write)
    if item_type == ItemType.PRODUCT:
        return portfolio.access_product(user, item_id, for_write=for_write)
    raise InvalidInput(
        f"“{item_type}” is not a feature or a product.",
        fields={"item_type": ["Use “feature” or “product”."]},
    )


def access_gate_criterion(
    user: User, criterion_id: int, *, for_write: bool = False
) -> GateCriterion:
    _signed_in(user)
    criterion = GateCriterion.objects.filter(pk=criterion_id).first()
    if criterion is None:
        raise NotFound(f"There is no exit criterion with id {criterion_id}.")
    if for_write and not rules.changes_everything(user):
        raise NotAllowed("Only leaders and admins change exit criteria.")
    return criterion


def list_criteria(
    user: User,
    *,
    applies_to: str | None = None,
    stage: str | None = None,
    include_inactive: bool = True,
) -> QuerySet[GateCriterion]:
    _signed_in(user)
    qs = GateCriterion.objects.all()
    if applies_to:
        qs = qs.filter(applies_to=applies_to)
    if stage:
        qs = qs.filter(stage=stage)
    return qs if include_inactive else qs.filter(active=True)


def list_requirements(user: User) -> list[dict[str, str]]:
    """The data checks a "required" criterion may name (built in and registered by apps)."""
    from quarterdeck.launches.gates import REQUIREMENTS

    _signed_in(user)
    return [{"key": r.key, "label": r.label} for r in REQUIREMENTS.values()]


def sunset_item(plan: SunsetPlan) -> PortfolioItem:
    from quarterdeck.launches.gates import MODELS

    return MODELS[plan.item_type].objects.get(pk=plan.item_id)


def access_sunset_plan(user: User, plan_id: int, *, for_write: bool = False) -> SunsetPlan:
    _signed_in(user)
    plan = SunsetPlan.objects.select_related("successor").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(f"There is no sunset plan with id {plan_id}.")
    item = access_item(user, plan.item_type, plan.item_id)
    if for_write and not portfolio.may_change_item(user, item):
        raise NotAllowed(f"You may not change the sunset plan of “{item.name}”.")
    return plan


def sunset_plan_of(item_type: str, item_id: int) -> SunsetPlan | None:
    """The item's sunset plan (callers went through the item's door)."""
    qs = SunsetPlan.objects.select_related("successor")
    return qs.filter(item_type=item_type, item_id=item_id).first()


def list_sunset_plans(user: User) -> QuerySet[SunsetPlan]:
    _signed_in(user)
    return SunsetPlan.objects.select_related("successor").order_by("shutdown_on", "pk")
