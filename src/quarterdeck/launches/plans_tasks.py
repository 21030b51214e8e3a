"""Tasks of a launch plan: add, change, delete, reorder, set the status (also the task's owner
may do that), and the reads the pages show: who a task waits for, progress per phase and per
function, the next milestone. Audited as ``launch_task``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.launches import selectors
from quarterdeck.launches.launch_templates import find_cycle
from quarterdeck.launches.models import LaunchPlan, LaunchTask, TaskStatus
from quarterdeck.launches.plans import TASK_AUDIT_TYPE, check_plan_version
from quarterdeck.launches.plans_clean import clean_task_fields, fields_error
from quarterdeck.lib.errors import NotFound

FINISHED = frozenset({TaskStatus.DONE, TaskStatus.SKIPPED})


def _plan_for_write(actor: User | None, plan_id: int) -> LaunchPlan:
    if actor is not None:
        return selectors.access_launch_plan(actor, plan_id, for_write=True)
    plan = LaunchPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(f"There is no launch plan with id {plan_id}.")
    return plan


def _task(actor: User | None, task_id: int, *, status_only: bool = False) -> LaunchTask:
    if actor is not None:
        selectors.access_launch_task(
            actor, task_id, for_write=not status_only, for_status=status_only
        )
    task = LaunchTask.objects.select_for_update().filter(pk=task_id).first()
    if task is None:
        raise NotFound(f"There is no launch task with id {task_id}.")
    return task


def _depends_on(plan_id: int, task_id: int | None, value: Any) -> list[LaunchTask]:
    if not isinstance(value, list | tuple) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise fields_error("depends_on", "Expected a list of task ids of the same plan.")
    ids = set(value)
    if task_id is not None and task_id in ids:
        raise fields_error("depends_on", "A task cannot depend on itself.")
    found = list(LaunchTask.objects.filter(plan_id=plan_id, pk__in=ids))
    missing = sorted(ids - {t.pk for t in found})
    if missing:
        raise fields_error("depends_on", f"Task {missing[0]} is not a task of this plan.")
    return found


def _check_no_cycle(plan_id: int, task: LaunchTask, needs: list[LaunchTask]) -> None:
    edges: dict[str, list[str]] = {}
    links = LaunchTask.depends_on.through.objects.filter(from_launchtask__plan_id=plan_id)
    for source, target in links.values_list("from_launchtask_id", "to_launchtask_id"):
        edges.setdefault(str(source), []).append(str(target))
    edges[str(task.pk)] = [str(t.pk) for t in needs]
    cycle = find_cycle(edges)
    if cycle:
        titles = dict(LaunchTask.objects.filter(plan_id=plan_id).values_list("pk", "title"))
        path = " → ".join(titles.get(int(pk), pk) for pk in cycle)
        raise fields_error("depends_on", f"That would make a cycle: {path}.")


def _snap(task: LaunchTask) -> dict[str, Any]:
    return snapshot(task)


def _check_phase(plan: LaunchPlan, clean: Mapping[str, Any]) -> None:
    if "phase" in clean and clean["phase"] not in plan.phases:
        raise fields_error("phase", f"One of the plan's phases: {', '.join(plan.phases)}.")


def task_create(*, actor: User | None, plan_id: int, data: Mapping[str, Any]) -> LaunchTask:
    clean = clean_task_fields(data, creating=True)
    with transaction.atomic():
        plan = _plan_for_write(actor, plan_id)
        clean.setdefault("phase", plan.phases[-1] if plan.phases else "Launch")
        _check_phase(plan, clean)
        last = plan.tasks.aggregate(last=Max("position"))["last"]
        task = LaunchTask.objects.create(plan=plan, position=(last or 0) + 1, **clean)
        if "depends_on" in data:
            needs = _depends_on(plan.pk, task.pk, data["depends_on"])
            task.depends_on.set(needs)
        audit_record(actor=actor, action=Action.CREATE, obj=task, after=_snap(task),
                     object_type=TASK_AUDIT_TYPE)  # fmt: skip
    return task


def task_update(
    *,
    actor: User | None,
    task_id: int,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> LaunchTask:
    """Change a task's fields and ``depends_on`` (ids of tasks of the same plan, no cycles)."""
    clean = clean_task_fields(data, creating=False)
    with transaction.atomic():
        task = _task(actor, task_id)
        check_plan_version(task, expected_version)
        _check_phase(task.plan, clean)
        before = _snap(task)
        for name, value in clean.items():
            setattr(task, name, value)
        if "depends_on" in data:
            needs = _depends_on(task.plan_id, task.pk, data["depends_on"])
            _check_no_cycle(task.plan_id, task, needs)
            task.depends_on.set(needs)
        _save(actor, task, before)
    return task


def _save(actor: User | None, task: LaunchTask, before: dict[str, Any]) -> None:
    if _snap(task) == before:
        return
    task.version += 1
    task.updated_at = timezone.now()
    task.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=task, before=before, after=_snap(task),
                 object_type=TASK_AUDIT_TYPE)  # fmt: skip


def task_set_status(
    *, actor: User | None, task_id: int, status: str, expected_version: int | None = None
) -> LaunchTask:
    """The status alone: who may change the plan, or the task's owner."""
    clean = clean_task_fields({"status": status}, creating=False)
    with transaction.atomic():
        task = _task(actor, task_id, status_only=True)
        check_plan_version(task, expected_version)
        before = _snap(task)
        task.status = clean["status"]
        _save(actor, task, before)
    return task


def task_delete(*, actor: User | None, task_id: int, expected_version: int | None = None) -> None:
    with transaction.atomic():
        task = _task(actor, task_id)
        check_plan_version(task, expected_version)
        before, pk = _snap(task), task.pk
        task.delete()
        task.pk = pk
        audit_record(actor=actor, action=Action.DELETE, obj=task, before=before,
                     object_type=TASK_AUDIT_TYPE)  # fmt: skip


def tasks_reorder(*, actor: User | None, plan_id: int, order: Sequence[int]) -> list[LaunchTask]:
    """Put the plan's tasks in ``order`` (all of its task ids, each once)."""
    with transaction.atomic():
        plan = _plan_for_write(actor, plan_id)
        tasks = {t.pk: t for t in plan.tasks.select_for_update()}
        if sorted(order) != sorted(tasks):
            raise fields_error("order", "List every task id of the plan exactly once.")
        for position, pk in enumerate(order):
            task = tasks[pk]
            if task.position != position:
                before = _snap(task)
                task.position = position
                _save(actor, task, before)
    return [tasks[pk] for pk in order]


def task_move(*, actor: User | None, task_id: int, step: int) -> list[LaunchTask]:
    """Move a task one place up (step -1) or down (+1) in its plan."""
    task = LaunchTask.objects.filter(pk=task_id).first()
    if task is None:
        raise NotFound(f"There is no launch task with id {task_id}.")
    order = list(task.plan.tasks.order_by("position", "pk").values_list("pk", flat=True))
    at = order.index(task.pk)
    other = max(0, min(len(order) - 1, at + step))
    order[at], order[other] = order[other], order[at]
    return tasks_reorder(actor=actor, plan_id=task.plan_id, order=order)


# Reads for the pages --------------------------------------------------------------------------


def waiting_for(task: LaunchTask) -> list[str]:
    """Titles of the unfinished tasks this one depends on (prefetched depends_on)."""
    if task.status in FINISHED:
        return []
    return [t.title for t in task.depends_on.all() if t.status not in FINISHED]


def is_overdue(task: LaunchTask, today: dt.date) -> bool:
    return task.due_on is not None and task.due_on < today and task.status not in FINISHED


@dataclass(frozen=True)
class Progress:
    name: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress_by(
    tasks: Iterable[LaunchTask], attr: str, order: Sequence[str] = ()
) -> list[Progress]:
    """Finished / all tasks per phase (attr "phase") or per function (attr "function")."""
    counts: dict[str, list[int]] = {name: [0, 0] for name in order}
    for task in tasks:
        pair = counts.setdefault(getattr(task, attr), [0, 0])
        pair[0] += task.status in FINISHED
        pair[1] += 1
    return [Progress(name, done, total) for name, (done, total) in counts.items() if total]


def next_milestone(tasks: Iterable[LaunchTask]) -> LaunchTask | None:
    open_ = [t for t in tasks if t.milestone and t.status not in FINISHED and t.due_on]
    return min(open_, key=lambda t: (t.due_on, t.position), default=None)
