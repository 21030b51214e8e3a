"""What the launch pages show, computed once: a plan's phases with their task rows (waiting
for…, overdue), progress per phase and per function, and the calendar's month and agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.launches import plans_tasks, selectors
from quarterdeck.launches.models import LaunchPlan, LaunchTask, TaskStatus
from quarterdeck.launches.plans_calendar import month_bounds, month_grid, shift_month
from quarterdeck.launches.plans_timeline import timeline


def today() -> dt.date:
    return timezone.localdate()


@dataclass
class TaskRow:
    task: LaunchTask
    waiting_for: list[str]
    overdue: bool
    may_status: bool


@dataclass
class PhaseSection:
    name: str
    rows: list[TaskRow]
    progress: plans_tasks.Progress


def _row(user: User, task: LaunchTask, on: dt.date, may_change: bool) -> TaskRow:
    may_status = may_change or selectors.may_set_task_status(user, task)
    return TaskRow(
        task, plans_tasks.waiting_for(task), plans_tasks.is_overdue(task, on), may_status
    )


def plan_page(user: User, plan: LaunchPlan) -> dict[str, Any]:
    on = today()
    tasks = selectors.plan_tasks(plan)
    may_change = selectors.may_change_plan(user, plan)
    progress = {p.name: p for p in plans_tasks.progress_by(tasks, "phase", plan.phases)}
    phases = list(dict.fromkeys([*plan.phases, *(t.phase for t in tasks)]))
    sections = [
        PhaseSection(
            name,
            [_row(user, t, on, may_change) for t in tasks if t.phase == name],
            progress.get(name, plans_tasks.Progress(name, 0, 0)),
        )
        for name in phases
    ]
    done = sum(t.status in plans_tasks.FINISHED for t in tasks)
    return {
        "plan": plan,
        "item": selectors.plan_item(plan),
        "tasks": tasks,
        "sections": sections,
        "by_function": plans_tasks.progress_by(tasks, "function"),
        "total": plans_tasks.Progress("all", done, len(tasks)),
        "next_milestone": plans_tasks.next_milestone(tasks),
        "overdue": sum(plans_tasks.is_overdue(t, on) for t in tasks),
        "may_change": may_change,
        "statuses": TaskStatus.choices,
        "today": on,
        "timeline": timeline(tasks, plan.launch_on, on),
    }


def calendar_page(user: User, first: dt.date, filters: dict[str, Any]) -> dict[str, Any]:
    """The month grid and, below it, the agenda: the month's events and the next 90 days'."""
    on = today()
    start, end = month_bounds(first)
    events = selectors.calendar_events(user, start=start, end=end, **filters)
    upcoming_end = max(end, on + dt.timedelta(days=90))
    upcoming = selectors.calendar_events(user, start=max(start, on), end=upcoming_end, **filters)
    return {
        "first": first,
        "weeks": month_grid(first, events, on),
        "events": events,
        "upcoming": upcoming,
        "previous": shift_month(first, -1),
        "next": shift_month(first, 1),
        "today": on,
    }


def item_card(user: User, item: Any) -> dict[str, Any]:
    """The launch plans card of a feature or product page."""
    on = today()
    rows = []
    for plan in selectors.plans_of_item(user, item):
        tasks = selectors.plan_tasks(plan)
        done = sum(t.status in plans_tasks.FINISHED for t in tasks)
        rows.append({
            "plan": plan,
            "progress": plans_tasks.Progress("all", done, len(tasks)),
            "next_milestone": plans_tasks.next_milestone(tasks),
            "overdue": sum(plans_tasks.is_overdue(t, on) for t in tasks),
        })  # fmt: skip
    return {"rows": rows, "item": item}
