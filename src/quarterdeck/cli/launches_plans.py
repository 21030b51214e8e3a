"""`quarterdeck launches plans | plan create / show / launched | task done / status | calendar`:
launch plans at the terminal. The operator acts as the system (changes audited as "system")."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from quarterdeck.cli.base import django_command, fail, out_console
from quarterdeck.cli.launches import launches_group

if TYPE_CHECKING:
    from quarterdeck.launches.models import LaunchPlan, LaunchTask
    from quarterdeck.launches.selectors import CalendarEvent

FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)


def _day(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date (YYYY-MM-DD).", code=2)


def _plan_row(plan: LaunchPlan) -> dict[str, Any]:
    from quarterdeck.launches import plans_tasks, selectors

    tasks = selectors.plan_tasks(plan)
    milestone = plans_tasks.next_milestone(tasks)
    return {
        "id": plan.pk,
        "name": plan.name,
        "product": plan.product.name,
        "feature": plan.feature.name if plan.feature else None,
        "launch_on": str(plan.launch_on),
        "launched_on": str(plan.launched_on) if plan.launched_on else None,
        "status": plan.status,
        "done": sum(t.status in plans_tasks.FINISHED for t in tasks),
        "tasks": len(tasks),
        "next_milestone": milestone.title if milestone else None,
    }


@launches_group.command("plans")
@click.option("--from", "start", default=None, help="Launch day on or after (YYYY-MM-DD).")
@click.option("--to", "end", default=None, help="Launch day on or before (YYYY-MM-DD).")
@click.option("--status", type=click.Choice(["planned", "launched", "cancelled"]), default=None)
@FORMAT
@django_command
def plans_list(start: str | None, end: str | None, status: str | None, fmt: str) -> None:
    """Launch plans across the portfolio, by launch day."""
    from quarterdeck.launches.selectors import launch_plans

    found = launch_plans(start=_day(start, "--from"), end=_day(end, "--to"), status=status)
    rows = [_plan_row(plan) for plan in found]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("id", "launch", "status", "plan", "product · feature", "done", "next milestone")
    for r in rows:
        where = f"{r['product']} · {r['feature']}" if r["feature"] else r["product"]
        day = r["launched_on"] or r["launch_on"]
        done = f"{r['done']}/{r['tasks']}"
        table.add_row(
            str(r["id"]), day, r["status"], r["name"], where, done, r["next_milestone"] or "—"
        )
    out_console().print(table)


@launches_group.group("plan")
def plan_group() -> None:
    """One launch plan: create it from a template, show it, mark it launched."""


@plan_group.command("create")
@click.argument("feature")
@click.option("--template", default="Feature launch", show_default=True, help="A template's name.")
@click.option("--date", "launch_on", required=True, help="The launch day (YYYY-MM-DD).")
@click.option("--name", default="", help="Default: “<feature> launch”.")
@django_command
def plan_create(feature: str, template: str, launch_on: str, name: str) -> None:
    """Plan the launch of FEATURE (its id, name, or 'Product/Feature') from a template."""
    from quarterdeck.cli.feedback_insight import _feature
    from quarterdeck.launches import plans

    found = _feature(feature)
    data = {"feature_id": found.pk, "template": template, "launch_on": launch_on, "name": name}
    plan = plans.plan_create(actor=None, data=data)
    out_console().print(
        f"Created launch plan {plan.pk} “{plan.name}” for {plan.launch_on} with "
        f"{plan.tasks.count()} tasks."
    )


def _task_table(tasks: list[LaunchTask]) -> Table:
    from django.utils import timezone

    from quarterdeck.launches import plans_tasks

    today = timezone.localdate()
    table = Table("id", "phase", "task", "function", "owner", "due", "status", "waiting for")
    for t in tasks:
        title = f"◆ {t.title}" if t.milestone else t.title
        due = str(t.due_on or "—") + (" (overdue)" if plans_tasks.is_overdue(t, today) else "")
        owner = t.owner.name if t.owner else "—"
        waiting = ", ".join(plans_tasks.waiting_for(t)) or "—"
        table.add_row(str(t.pk), t.phase, title, t.function, owner, due, t.status, waiting)
    return table


@plan_group.command("show")
@click.argument("plan_id", type=int)
@FORMAT
@django_command
def plan_show(plan_id: int, fmt: str) -> None:
    """A plan with its tasks, phase by phase."""
    from quarterdeck.launches import selectors
    from quarterdeck.launches.models import LaunchPlan
    from quarterdeck.launches.plans_api import task_out

    plan = LaunchPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        fail(f"There is no launch plan with id {plan_id}.")
    tasks = selectors.plan_tasks(plan)
    if fmt == "json":
        out = {**_plan_row(plan), "tasks": [task_out(t) for t in tasks]}
        click.echo(json.dumps(out, indent=2, ensure_ascii=False, default=str))
        return
    row = _plan_row(plan)
    console = out_console()
    console.print(f"[bold]{plan.name}[/bold] — {row['status']}, launch {row['launch_on']}")
    console.print(_task_table(tasks))


@plan_group.command("launched")
@click.argument("plan_id", type=int)
@click.option("--on", "day", default=None, help="The launch day (default: today).")
@django_command
def plan_launched(plan_id: int, day: str | None) -> None:
    """Mark a plan launched; its success metrics are bound."""
    from django.utils import timezone

    from quarterdeck.launches import plans

    on = _day(day, "--on") or timezone.localdate()
    plan = plans.plan_mark_launched(actor=None, plan_id=plan_id, on=on)
    out_console().print(f"Marked “{plan.name}” launched on {plan.launched_on}.")


@launches_group.group("task")
def task_group() -> None:
    """One task of a launch plan."""


def _set_status(task_id: int, status: str) -> None:
    from quarterdeck.launches import plans_tasks

    task = plans_tasks.task_set_status(actor=None, task_id=task_id, status=status)
    out_console().print(f"Task {task.pk} “{task.title}”: {task.get_status_display()}.")


@task_group.command("done")
@click.argument("task_id", type=int)
@django_command
def task_done(task_id: int) -> None:
    """Mark a task done."""
    _set_status(task_id, "done")


@task_group.command("status")
@click.argument("task_id", type=int)
@click.argument("status", type=click.Choice(["todo", "doing", "done", "blocked", "skipped"]))
@django_command
def task_status(task_id: int, status: str) -> None:
    """Set a task's status."""
    _set_status(task_id, status)


def _event_row(event: CalendarEvent) -> dict[str, Any]:
    return {
        "kind": event.kind, "on": str(event.on), "title": event.title, "plan_id": event.plan_id,
        "status": event.status, "product": event.product, "feature": event.feature,
        "function": event.function,
    }  # fmt: skip


@launches_group.command("calendar")
@click.option("--month", default=None, help="YYYY-MM (default: this month).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "ics"]), default="table")
@django_command
def calendar(month: str | None, fmt: str) -> None:
    """Launches and milestones of a month (ics: an iCalendar file on standard output)."""
    from django.utils import timezone

    from quarterdeck.launches.plans_calendar import ical, month_bounds, parse_month
    from quarterdeck.launches.selectors import events_between

    try:
        first = parse_month(month, timezone.localdate())
    except ValueError as exc:
        fail(f"--month: {exc}", code=2)
    events = events_between(*month_bounds(first))
    if fmt == "json":
        click.echo(json.dumps([_event_row(e) for e in events], indent=2, ensure_ascii=False))
    elif fmt == "ics":
        click.echo(ical(events, now=timezone.now(), base_url=""), nl=False)
    else:
        table = Table("day", "kind", "what", "product · feature", "status", title=f"{first:%B %Y}")
        for e in events:
            where = f"{e.product} · {e.feature}" if e.feature else e.product
            table.add_row(str(e.on), e.kind, e.title, where, e.status)
        out_console().print(table)
