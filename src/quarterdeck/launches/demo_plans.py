"""The demo's launch plans: the two story launches (demo_story.py) launched on the day their
stage history reached "launch", every task done; and upcoming launches of features in build —
dates in the next three months, the past tasks done (one left overdue), the next week's in
progress, owners from the demo people — so the launch calendar is full.

A feature that already has a plan is left alone: running this twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from django.db import transaction
from django.utils import timezone

from quarterdeck.launches import plans, plans_tasks
from quarterdeck.launches.demo_gates import READY
from quarterdeck.launches.demo_story import FLOPPED, WORKED
from quarterdeck.launches.models import LaunchPlan, LaunchTask, TaskStatus
from quarterdeck.lib.dates import workspace_today
from quarterdeck.people.models import Person
from quarterdeck.portfolio.models import Feature, StageChange

# (product, feature) → (template, days from today to launch, the task left overdue or None)
UPCOMING: Final[dict[tuple[str, str], tuple[str, int, str | None]]] = {
    READY: ("Feature launch", 24, None),
    ("RouteIQ", "Charging stop planner"): ("Feature launch", 30, "Pricing and packaging check"),
    ("RateDesk", "Instant spot quotes"): ("Beta programme", 12, None),
    ("Connect API", "Partner sandbox"): ("Feature launch", 80, None),
}
LAUNCHED_TEMPLATE: Final = "Feature launch"


def _feature(key: tuple[str, str]) -> Feature | None:
    return Feature.objects.filter(product__name=key[0], name=key[1]).first()


def _launch_day(feature: Feature) -> dt.date | None:
    """The day the feature's stage history last reached "launch"."""
    change = StageChange.objects.filter(
        item_type="feature", item_id=feature.pk, to_stage="launch"
    ).first()  # newest first
    return None if change is None else timezone.localdate(change.at)


def _fill_owners(plan: LaunchPlan) -> None:
    """Tasks nobody in the feature's teams covers go to a demo person of that function."""
    by_function: dict[str, int] = {}
    for person in Person.objects.order_by("name", "pk"):
        by_function.setdefault(person.function, person.pk)
    for task in plan.tasks.filter(owner__isnull=True):
        if task.function in by_function:
            plans_tasks.task_update(
                actor=None, task_id=task.pk, data={"owner_id": by_function[task.function]}
            )


def _set(task: LaunchTask, status: str) -> None:
    if task.status != status:
        plans_tasks.task_set_status(actor=None, task_id=task.pk, status=status)


def _progress(plan: LaunchPlan, today: dt.date, overdue: str | None) -> None:
    for task in plan.tasks.order_by("position"):
        if task.due_on is None or task.title == overdue:
            continue
        if task.due_on < today:
            _set(task, TaskStatus.DONE)
        elif task.due_on <= today + dt.timedelta(days=7):
            _set(task, TaskStatus.DOING)


def _launched(key: tuple[str, str]) -> str | None:
    feature = _feature(key)
    if feature is None or LaunchPlan.objects.filter(feature=feature).exists():
        return None
    day = _launch_day(feature)
    if day is None:
        return None
    data = {"feature_id": feature.pk, "template": LAUNCHED_TEMPLATE, "launch_on": day}
    plan = plans.plan_create(actor=None, data=data)
    _fill_owners(plan)
    for task in plan.tasks.all():
        _set(task, TaskStatus.DONE)
    plans.plan_mark_launched(actor=None, plan_id=plan.pk, on=day)
    return f"{feature.name} ({day})"


def _upcoming(key: tuple[str, str], today: dt.date) -> str | None:
    feature = _feature(key)
    if feature is None or LaunchPlan.objects.filter(feature=feature).exists():
        return None
    template, days, overdue = UPCOMING[key]
    day = today + dt.timedelta(days=days)
    data = {"feature_id": feature.pk, "template": template, "launch_on": day}
    plan = plans.plan_create(actor=None, data=data)
    _fill_owners(plan)
    _progress(plan, today, overdue)
    return f"{feature.name} ({day})"


def demo_plans_ensure() -> str:
    """Launch plans of the demo company; returns a one-line summary."""
    today = workspace_today()
    with transaction.atomic():
        launched = [name for key in (WORKED, FLOPPED) if (name := _launched(key))]
        upcoming = [name for key in UPCOMING if (name := _upcoming(key, today))]
    if not launched and not upcoming:
        return "Launch plans: already in place."
    return (
        f"Launch plans: {len(launched)} launched ({', '.join(launched) or '—'}), "
        f"{len(upcoming)} upcoming ({', '.join(upcoming) or '—'})."
    )
