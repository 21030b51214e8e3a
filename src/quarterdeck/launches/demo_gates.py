"""The demo's lifecycle gates: the recommended exit criteria, checklist ticks consistent with
where each item is, one feature in build ready for launch but for one tick, and the sunset plan
of RouteIQ's classic route editor with its affected accounts.

Every item that has left a stage has that stage's checklist ticked (by its owner when they
sign in, else by the system). ``READY`` is the "done when" path: its build criteria are met —
effort (PLANNING's demo), a planned launch plan (PLANS's demo) and success metrics with a target
(CHECKS's demo) — except the checklist item "Support and sales briefed": a leader ticks it and
moves the feature to launch.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from django.db import transaction

from quarterdeck.launches import gate_criteria, gates, sunset
from quarterdeck.launches.gate_selectors import sunset_plan_of
from quarterdeck.launches.models import CriterionKind, GateCriterion, GateTick, SunsetPlan
from quarterdeck.lib.dates import workspace_today
from quarterdeck.portfolio.models import Feature, ItemType, PortfolioItem, Product

READY: Final = ("DockFlow", "Door assignment optimiser")
READY_OPEN: Final = "Support and sales briefed"  # the one tick left for the leader
RETIRED: Final = ("RouteIQ", "Classic route editor")
SUCCESSOR: Final = ("RouteIQ", "Drag-and-drop route planner")
MIGRATION: Final = (
    "Routes, stops and time windows move automatically to the drag-and-drop planner; saved "
    "table layouts become planner views. Customer Success walks every account with more than "
    "five planners through the new screen before the editor turns read-only."
)


def _feature(key: tuple[str, str]) -> Feature | None:
    return Feature.objects.filter(product__name=key[0], name=key[1]).first()


def _tick_left_stages(item: PortfolioItem, checklist: list[GateCriterion]) -> int:
    """Tick the checklist of every stage the item has left (it went through them)."""
    item_type = gates.item_type_of(item)
    done = set(
        GateTick.objects.filter(item_type=item_type, item_id=item.pk).values_list(
            "criterion_id", flat=True
        )
    )
    left = gates.stages_left(gates.STAGES[0], item.stage)
    added = 0
    for criterion in checklist:
        if (
            criterion.applies_to == item_type
            and criterion.stage in left
            and criterion.pk not in done
        ):
            GateTick.objects.create(
                criterion=criterion, item_type=item_type, item_id=item.pk, note="Demo history"
            )
            added += 1
    return added


def _ticks() -> int:
    checklist = list(GateCriterion.objects.filter(kind=CriterionKind.CHECKLIST, active=True))
    added = 0
    for model in (Product, Feature):
        for item in model.objects.all():
            added += _tick_left_stages(item, checklist)
    return added


def _sunset_plan() -> SunsetPlan | None:
    retired, successor = _feature(RETIRED), _feature(SUCCESSOR)
    if retired is None:
        return None
    plan = sunset_plan_of(ItemType.FEATURE, retired.pk)
    if plan is not None:
        return plan
    today = workspace_today()
    data = {
        "successor_id": successor.pk if successor else None,
        "migration_path": MIGRATION,
        "announce_on": today - dt.timedelta(days=45),
        "read_only_on": today + dt.timedelta(days=30),
        "shutdown_on": today + dt.timedelta(days=90),
        "usage_days": 90,
    }
    plan = sunset.sunset_create(actor=None, item=retired, data=data)
    return sunset.sunset_recompute(actor=None, plan_id=plan.pk)


def demo_gates_ensure() -> str:
    """Install the criteria, tick what the stage histories imply, write the sunset plan."""
    with transaction.atomic():
        criteria = gate_criteria.criteria_install_defaults(actor=None)
        ticks = _ticks()
        plan = _sunset_plan()
    affected = len(plan.affected) if plan else 0
    return (
        f"Lifecycle gates: {criteria} exit criteria and {ticks} checklist ticks added; the "
        f"classic route editor's sunset plan affects {affected} accounts."
    )
