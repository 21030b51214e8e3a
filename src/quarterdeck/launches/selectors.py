"""Reads of launch plans, their tasks and the launch templates: the one door per object, the
filtered list and the launch calendar.

Rules: every active signed-in user reads launch plans, tasks, templates and the calendar. A plan
and its tasks are changed by whoever may change the plan's feature (or its product when the plan
is a product launch); a task's owner (Person.user) may also set that task's status. Templates are
changed by leaders and admins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import Role, User
from quarterdeck.launches.models import (
    LaunchPlan,
    LaunchStatus,
    LaunchTask,
    LaunchTemplate,
    TaskStatus,
)
from quarterdeck.lib.errors import NotAllowed, NotFound
from quarterdeck.portfolio.models import Feature, Product
from quarterdeck.portfolio.selectors import line_subtree_ids, may_change_item

Viewer = User | AnonymousUser | None


def signed_in(user: Viewer) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def may_read_launches(user: Viewer) -> bool:
    return signed_in(user) is not None


def plan_item(plan: LaunchPlan) -> Feature | Product:
    """The portfolio item a plan launches: its feature, else its product."""
    return plan.feature if plan.feature_id is not None and plan.feature else plan.product


def may_change_plan(user: Viewer, plan: LaunchPlan) -> bool:
    active = signed_in(user)
    return active is not None and may_change_item(active, plan_item(plan))


def may_set_task_status(user: Viewer, task: LaunchTask) -> bool:
    """Who may change the plan, and the task's owner (the person linked to the user)."""
    active = signed_in(user)
    if active is None:
        return False
    if may_change_plan(active, task.plan):
        return True
    owner = task.owner
    return owner is not None and owner.user_id == active.pk and active.role != Role.VIEWER


def may_change_templates(user: Viewer) -> bool:
    active = signed_in(user)
    return active is not None and rules.changes_everything(active)


# Doors ----------------------------------------------------------------------------------------


def _check_read(user: Viewer) -> None:
    if not may_read_launches(user):
        raise NotAllowed("Sign in to see launch plans.")


def _plans() -> QuerySet[LaunchPlan]:
    return LaunchPlan.objects.select_related(
        "feature", "feature__product", "feature__product__line", "product", "product__line", "owner"
    )


def access_launch_plan(user: Viewer, plan_id: int, *, for_write: bool = False) -> LaunchPlan:
    _check_read(user)
    plan = _plans().filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(f"There is no launch plan with id {plan_id}.")
    if for_write and not may_change_plan(user, plan):
        raise NotAllowed(f"You may not change the launch plan “{plan.name}”.")
    return plan


def access_launch_task(
    user: Viewer, task_id: int, *, for_write: bool = False, for_status: bool = False
) -> LaunchTask:
    """``for_write``: change the task (who may change its plan); ``for_status``: only set its
    status (its owner may too)."""
    _check_read(user)
    qs = LaunchTask.objects.select_related("owner", "plan").prefetch_related("depends_on")
    task = qs.filter(pk=task_id).first()
    if task is None:
        raise NotFound(f"There is no launch task with id {task_id}.")
    task.plan = _plans().get(pk=task.plan_id)
    if for_write and not may_change_plan(user, task.plan):
        raise NotAllowed(f"You may not change the tasks of “{task.plan.name}”.")
    if for_status and not may_set_task_status(user, task):
        raise NotAllowed(f"You may not change the status of “{task.title}”.")
    return task


def access_launch_template(
    user: Viewer, template_id: int, *, for_write: bool = False
) -> LaunchTemplate:
    _check_read(user)
    template = LaunchTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise NotFound(f"There is no launch template with id {template_id}.")
    if for_write and not may_change_templates(user):
        raise NotAllowed("Only leaders and admins change launch templates.")
    return template


def seed_templates() -> None:
    """The built-in templates appear on first use (when there is no template at all)."""
    if not LaunchTemplate.objects.exists():
        from quarterdeck.launches.launch_templates import ensure_builtin_templates

        ensure_builtin_templates()


def find_launch_template(user: Viewer, name: str) -> LaunchTemplate:
    _check_read(user)
    seed_templates()
    template = LaunchTemplate.objects.filter(name__iexact=name.strip()).first()
    if template is None:
        raise NotFound(f"There is no launch template named “{name}”.")
    return template


def list_launch_templates(user: Viewer) -> QuerySet[LaunchTemplate]:
    _check_read(user)
    seed_templates()
    return LaunchTemplate.objects.order_by("name")


# Lists ----------------------------------------------------------------------------------------


def _in_range(
    qs: QuerySet[LaunchPlan], start: dt.date | None, end: dt.date | None
) -> QuerySet[LaunchPlan]:
    """A plan is in a range when its launch day (the actual one once launched) is."""
    if start is not None:
        qs = qs.filter(
            Q(launched_on__isnull=True, launch_on__gte=start) | Q(launched_on__gte=start)
        )
    if end is not None:
        qs = qs.filter(Q(launched_on__isnull=True, launch_on__lte=end) | Q(launched_on__lte=end))
    return qs


def launch_plans(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    product_id: int | None = None,
    feature_id: int | None = None,
    line_id: int | None = None,
    status: str | None = None,
) -> QuerySet[LaunchPlan]:
    """The plans, unchecked: for the CLI and the system (people go through list_launch_plans)."""
    qs = _in_range(_plans(), start, end)
    if product_id is not None:
        qs = qs.filter(product_id=product_id)
    if feature_id is not None:
        qs = qs.filter(feature_id=feature_id)
    if line_id is not None:
        qs = qs.filter(product__line_id__in=line_subtree_ids(line_id))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("launch_on", "name", "pk")


def list_launch_plans(
    user: Viewer,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    product_id: int | None = None,
    feature_id: int | None = None,
    line_id: int | None = None,
    status: str | None = None,
) -> QuerySet[LaunchPlan]:
    _check_read(user)
    return launch_plans(
        start=start, end=end, product_id=product_id, feature_id=feature_id, line_id=line_id,
        status=status,
    )  # fmt: skip


def plans_of_item(user: Viewer, item: Feature | Product) -> QuerySet[LaunchPlan]:
    """Plans of a feature, or of a product (its own launches and its features')."""
    if isinstance(item, Feature):
        return list_launch_plans(user, feature_id=item.pk)
    return list_launch_plans(user, product_id=item.pk)


def plan_tasks(plan: LaunchPlan) -> list[LaunchTask]:
    """The plan's tasks in order, with owners and dependencies loaded (plan already accessed)."""
    qs = plan.tasks.select_related("owner").prefetch_related("depends_on")
    tasks = list(qs.order_by("position", "pk"))
    for task in tasks:
        task.plan = plan
    return tasks


def active_plan_exists(item: Feature | Product) -> bool:
    """For the "launch_plan" gate requirement: a plan that is not cancelled."""
    qs = LaunchPlan.objects.exclude(status=LaunchStatus.CANCELLED)
    if isinstance(item, Feature):
        return qs.filter(feature_id=item.pk).exists()
    return qs.filter(product_id=item.pk, feature__isnull=True).exists()


# The calendar ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    """One day on the launch calendar: a launch, or a milestone of a plan."""

    kind: str  # "launch" or "milestone"
    on: dt.date
    title: str
    plan_id: int
    plan_name: str
    status: str
    product: str
    feature: str
    function: str = ""
    task_id: int | None = None

    @property
    def status_label(self) -> str:
        labels = dict(TaskStatus.choices if self.kind == "milestone" else LaunchStatus.choices)
        return str(labels.get(self.status, self.status))

    @property
    def uid(self) -> str:
        if self.kind == "launch":
            return f"launch-{self.plan_id}@quarterdeck"
        return f"milestone-{self.task_id}@quarterdeck"


def _launch_event(plan: LaunchPlan) -> CalendarEvent:
    return CalendarEvent(
        kind="launch",
        on=plan.launched_on or plan.launch_on,
        title=f"Launch: {plan.name}",
        plan_id=plan.pk,
        plan_name=plan.name,
        status=plan.status,
        product=plan.product.name,
        feature=plan.feature.name if plan.feature else "",
    )


def _milestone_event(plan: LaunchPlan, task: LaunchTask) -> CalendarEvent:
    assert task.due_on is not None
    return CalendarEvent(
        kind="milestone",
        on=task.due_on,
        title=f"{task.title} ({plan.name})",
        plan_id=plan.pk,
        plan_name=plan.name,
        status=task.status,
        product=plan.product.name,
        feature=plan.feature.name if plan.feature else "",
        function=task.function,
        task_id=task.pk,
    )


def _milestones(
    plans: list[LaunchPlan], start: dt.date, end: dt.date, function: str | None
) -> list[CalendarEvent]:
    by_id = {plan.pk: plan for plan in plans}
    qs = LaunchTask.objects.filter(
        plan_id__in=by_id, milestone=True, due_on__gte=start, due_on__lte=end
    )
    if function:
        qs = qs.filter(function=function)
    # A milestone on its plan's launch day (the template's "Launch") is the launch event itself.
    return [
        _milestone_event(by_id[task.plan_id], task)
        for task in qs.order_by("due_on", "pk")
        if task.due_on != by_id[task.plan_id].launch_on
    ]


def events_between(
    start: dt.date,
    end: dt.date,
    *,
    line_id: int | None = None,
    product_id: int | None = None,
    function: str | None = None,
    status: str | None = None,
) -> list[CalendarEvent]:
    """Launches and milestones between ``start`` and ``end`` (inclusive), by day, unchecked.
    A function filter keeps the milestones of that function (launches have none: they stay)."""
    plans = list(launch_plans(line_id=line_id, product_id=product_id, status=status))
    launches = [
        _launch_event(plan)
        for plan in plans
        if start <= (plan.launched_on or plan.launch_on) <= end
    ]
    events = launches + _milestones(plans, start, end, function)
    return sorted(events, key=lambda e: (e.on, e.kind != "launch", e.title))


def calendar_events(
    user: Viewer,
    *,
    start: dt.date,
    end: dt.date,
    line_id: int | None = None,
    product_id: int | None = None,
    function: str | None = None,
    status: str | None = None,
) -> list[CalendarEvent]:
    """The calendar as every signed-in user reads it (see events_between)."""
    _check_read(user)
    return events_between(
        start, end, line_id=line_id, product_id=product_id, function=function, status=status
    )
