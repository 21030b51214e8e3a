"""Launch plans: create one from a template, change it (moving the launch day shifts the open
tasks), delete it, mark it launched (which binds its success metrics), and the stage listener
that marks a planned launch as launched when its feature or product reaches "launch".

Writes are audited as ``launch_plan`` (tasks: ``launch_task``, see plans_tasks.py). A plan is
changed by whoever may change its feature (or its product, for a product launch); the system
(actor None: CLI, demo) may do everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.launches import selectors
from quarterdeck.launches.models import (
    LaunchPlan,
    LaunchStatus,
    LaunchTask,
    LaunchTemplate,
    TaskStatus,
)
from quarterdeck.launches.plans_clean import clean_date, clean_plan_fields, fields_error
from quarterdeck.lib.errors import (
    InvalidInput,
    NotAllowed,
    NotFound,
    check_version,
)
from quarterdeck.people.models import Person
from quarterdeck.portfolio.models import Feature, PortfolioItem, Product, Stage, StageChange
from quarterdeck.portfolio.selectors import may_change_item

AUDIT_TYPE: Final = "launch_plan"
TASK_AUDIT_TYPE: Final = "launch_task"
OPEN: Final = frozenset({TaskStatus.TODO, TaskStatus.DOING, TaskStatus.BLOCKED})
DEFAULT_PHASES: Final = ["Prepare", "Launch", "Follow-up"]


def plan_snapshot(plan: LaunchPlan) -> dict[str, Any]:
    return snapshot(plan)


def check_plan_version(obj: LaunchPlan | LaunchTask, expected_version: int | None) -> None:
    label = "launch plan" if isinstance(obj, LaunchPlan) else "task"
    check_version(obj.version, expected_version, f"The {label} “{obj}”")


# Creating from a template ---------------------------------------------------------------------


def _item(data: Mapping[str, Any]) -> Feature | Product:
    feature_id, product_id = data.get("feature_id"), data.get("product_id")
    if feature_id:
        feature = Feature.objects.select_related("product", "owner").filter(pk=feature_id).first()
        if feature is None:
            raise fields_error("feature_id", f"There is no feature with id {feature_id}.")
        return feature
    if product_id:
        product = Product.objects.select_related("owner").filter(pk=product_id).first()
        if product is None:
            raise fields_error("product_id", f"There is no product with id {product_id}.")
        return product
    raise fields_error("feature_id", "Say which feature (or product) launches.")


def _template(data: Mapping[str, Any]) -> LaunchTemplate | None:
    selectors.seed_templates()
    if data.get("template_id"):
        template = LaunchTemplate.objects.filter(pk=data["template_id"]).first()
        if template is None:
            raise fields_error(
                "template_id", f"There is no template with id {data['template_id']}."
            )
        return template
    if data.get("template"):
        template = LaunchTemplate.objects.filter(name__iexact=str(data["template"]).strip()).first()
        if template is None:
            raise fields_error("template", f"There is no template named “{data['template']}”.")
        return template
    return None


def _item_teams(item: Feature | Product) -> set[int]:
    """The teams working on the item: its owner's, and (for a feature) those with effort on it."""
    teams: set[int] = set()
    if item.owner_id is not None:
        teams |= set(Person.teams.through.objects.filter(person_id=item.owner_id)
                     .values_list("team_id", flat=True))  # fmt: skip
    if isinstance(item, Feature):
        from quarterdeck.roadmap.models import Effort

        teams |= set(Effort.objects.filter(feature=item).values_list("team_id", flat=True))
    return teams


def default_owners(item: Feature | Product) -> dict[str, int | None]:
    """Function → a person of that function in the item's teams (product: the item's owner)."""
    people = Person.objects.filter(teams__in=_item_teams(item)).distinct().order_by("name", "pk")
    owners: dict[str, int | None] = {}
    for person in people:
        owners.setdefault(person.function, person.pk)
    if item.owner_id is not None:
        owners["product"] = item.owner_id
    return owners


def _instantiate(plan: LaunchPlan, template: LaunchTemplate, item: Feature | Product) -> None:
    owners = default_owners(item)
    by_key: dict[str, LaunchTask] = {}
    for position, spec in enumerate(template.tasks):
        by_key[spec["key"]] = LaunchTask.objects.create(
            plan=plan, phase=spec["phase"], title=spec["title"], function=spec["function"],
            owner_id=owners.get(spec["function"]), milestone=spec.get("milestone", False),
            due_on=plan.launch_on + dt.timedelta(days=spec.get("offset_days", 0)),
            position=position,
        )  # fmt: skip
    for spec in template.tasks:
        needs = [by_key[key] for key in spec.get("depends_on", []) if key in by_key]
        if needs:
            by_key[spec["key"]].depends_on.set(needs)


def _new_plan(actor: User | None, item: Feature | Product, data: Mapping[str, Any]) -> LaunchPlan:
    template = _template(data)
    clean = clean_plan_fields(data, creating=True)
    product = item.product if isinstance(item, Feature) else item
    return LaunchPlan(
        feature=item if isinstance(item, Feature) else None,
        product=product,
        template=template,
        phases=list(template.phases) if template else list(DEFAULT_PHASES),
        name=clean.pop("name", "") or f"{item.name} launch",
        owner_id=clean.pop("owner_id", None) or item.owner_id,
        created_by=actor,
        **clean,
    )


def plan_create(*, actor: User | None, data: Mapping[str, Any]) -> LaunchPlan:
    """A plan for ``feature_id`` (or ``product_id``) launching on ``launch_on``, its tasks copied
    from ``template_id`` / ``template`` (a name): due = launch day + offset, dependencies mapped,
    owners defaulted by function."""
    item = _item(data)
    if actor is not None and not (
        selectors.may_read_launches(actor) and may_change_item(actor, item)
    ):
        raise NotAllowed(f"You may not plan the launch of “{item.name}”.")
    plan = _new_plan(actor, item, data)
    with transaction.atomic():
        plan.save()
        if plan.template is not None:
            _instantiate(plan, plan.template, item)
        audit_record(actor=actor, action=Action.CREATE, obj=plan, after=plan_snapshot(plan),
                     object_type=AUDIT_TYPE)  # fmt: skip
    return plan


# Changing -------------------------------------------------------------------------------------


def _locked(actor: User | None, plan_id: int) -> LaunchPlan:
    if actor is not None:
        selectors.access_launch_plan(actor, plan_id, for_write=True)
    plan = LaunchPlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(f"There is no launch plan with id {plan_id}.")
    return plan


def shift_open_tasks(plan: LaunchPlan, days: int) -> int:
    """Move the due dates of the plan's open tasks by ``days``; returns how many moved."""
    moved = 0
    for task in plan.tasks.filter(status__in=OPEN, due_on__isnull=False):
        assert task.due_on is not None
        task.due_on += dt.timedelta(days=days)
        task.version += 1
        task.updated_at = timezone.now()
        task.save(update_fields=["due_on", "version", "updated_at"])
        moved += 1
    return moved


def plan_update(
    *,
    actor: User | None,
    plan_id: int,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    shift_tasks: bool = True,
) -> LaunchPlan:
    """Change name, launch_on, owner_id, notes, phases or status (planned/cancelled; "launched"
    goes through plan_mark_launched). A new launch day moves the open tasks' due dates by the
    same number of days unless ``shift_tasks`` is false."""
    clean = clean_plan_fields(data, creating=False)
    if clean.get("status") == LaunchStatus.LAUNCHED:
        raise fields_error("status", "Mark the plan launched (with its day) instead.")
    with transaction.atomic():
        plan = _locked(actor, plan_id)
        check_plan_version(plan, expected_version)
        before, old_day = plan_snapshot(plan), plan.launch_on
        for name, value in clean.items():
            setattr(plan, name, value)
        if plan.status != LaunchStatus.LAUNCHED:  # back to planned (or cancelled): not launched
            plan.launched_on = None
        if plan_snapshot(plan) == before:
            return plan
        if shift_tasks and plan.launch_on != old_day:
            shift_open_tasks(plan, (plan.launch_on - old_day).days)
        _save_change(actor, plan, before)
    return plan


def _save_change(actor: User | None, plan: LaunchPlan, before: dict[str, Any]) -> None:
    plan.version += 1
    plan.updated_at = timezone.now()
    plan.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=plan, before=before,
                 after=plan_snapshot(plan), object_type=AUDIT_TYPE)  # fmt: skip


def plan_delete(*, actor: User | None, plan_id: int, expected_version: int | None = None) -> None:
    with transaction.atomic():
        plan = _locked(actor, plan_id)
        check_plan_version(plan, expected_version)
        before, pk = plan_snapshot(plan), plan.pk
        plan.delete()
        plan.pk = pk
        audit_record(actor=actor, action=Action.DELETE, obj=plan, before=before,
                     object_type=AUDIT_TYPE)  # fmt: skip


# Launching ------------------------------------------------------------------------------------


def _bind_metrics(plan: LaunchPlan) -> None:
    """CHECKS binds the plan's success metrics (baselines, +30/+60/+90 checks)."""
    from quarterdeck.launches import checks  # lazily: checks imports the plans' models

    checks.metrics_bind(plan)


def plan_mark_launched(
    *, actor: User | None, plan_id: int, on: dt.date | str, expected_version: int | None = None
) -> LaunchPlan:
    day = clean_date(on, "on")
    with transaction.atomic():
        plan = _locked(actor, plan_id)
        check_plan_version(plan, expected_version)
        if plan.status == LaunchStatus.CANCELLED:
            raise InvalidInput(f"The plan “{plan.name}” is cancelled: plan it again first.")
        before = plan_snapshot(plan)
        plan.status, plan.launched_on = LaunchStatus.LAUNCHED, day
        if plan_snapshot(plan) != before:
            _save_change(actor, plan, before)
        _bind_metrics(plan)
    return plan


def planned_plans_of(item: PortfolioItem) -> list[LaunchPlan]:
    qs = LaunchPlan.objects.filter(status=LaunchStatus.PLANNED)
    if isinstance(item, Feature):
        return list(qs.filter(feature_id=item.pk))
    if isinstance(item, Product):
        return list(qs.filter(product_id=item.pk, feature__isnull=True))
    return []


def on_stage_change(actor: User | None, item: PortfolioItem, change: StageChange) -> None:
    """Stage listener: reaching "launch" marks the item's planned launches launched that day.
    Whoever may move the item may change its plans, so this runs as the mover."""
    if change.to_stage != Stage.LAUNCH:
        return
    day = timezone.localdate(change.at)
    for plan in planned_plans_of(item):
        plan_mark_launched(actor=actor, plan_id=plan.pk, on=day)


def launch_plan_requirement(item: PortfolioItem) -> str | None:
    """Gate data check "launch_plan": a launch plan exists that is not cancelled."""
    if not isinstance(item, Feature | Product):
        return "Only features and products have launch plans."
    if selectors.active_plan_exists(item):
        return None
    return f"“{item.name}” has no launch plan yet (cancelled plans do not count)."


def register_hooks() -> None:
    """Called from LaunchesConfig.ready(): the stage listener and the gate requirement."""
    from quarterdeck.launches import gates
    from quarterdeck.portfolio.services import register_stage_listener

    register_stage_listener(on_stage_change)
    gates.register_requirement("launch_plan", "A launch plan exists", launch_plan_requirement)
