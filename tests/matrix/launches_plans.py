"""Permission-matrix rows of launch plans, tasks, templates and the launch calendar.

Everyone signed in reads; plans and tasks of Mia's Atlas Search are changed by those who may
change the feature (ATLAS); templates by leaders and admins. A task owner's status change is
tested in tests/launches/test_plans_api.py and test_plans_pages.py.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.base import (
    ATLAS,
    LEADERS,
    PAGE_ATLAS,
    PAGE_LEADERS,
    PAGE_READ,
    READ,
    Page,
    Row,
)
from tests.personas import Personas


def _plan(p: Personas) -> int:
    from quarterdeck.launches import plans

    data = {"feature_id": p.search.pk, "template": "Beta programme", "launch_on": "2027-02-15"}
    return plans.plan_create(actor=None, data=data).pk


def _task(p: Personas) -> int:
    from quarterdeck.launches.models import LaunchTask

    return LaunchTask.objects.filter(plan_id=_plan(p)).order_by("position").first().pk  # type: ignore[union-attr]


def _order(p: Personas) -> dict[str, Any]:
    from quarterdeck.launches.models import LaunchTask

    ids = LaunchTask.objects.filter(plan__feature=p.search).values_list("pk", flat=True)
    return {"order": sorted(ids, reverse=True)}


def _template(p: Personas) -> int:
    from quarterdeck.launches.launch_templates import template_create

    data = {"name": "Matrix", "phases": ["Go"], "tasks": []}
    return template_create(actor=None, data=data).pk


TEMPLATE_BODY = {
    "name": "Tiny",
    "phases": ["Go"],
    "tasks": [
        {"key": "go", "phase": "Go", "title": "Go", "function": "product", "milestone": True}
    ],
}
PLAN_PATH = "/launch-plans/{plan_id}"
TASK_PATH = "/launch-tasks/{task_id}"
TEMPLATE_PATH = "/launch-templates/{template_id}"

API_ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/launch-templates"): Row(READ, lambda p: "/launch-templates"),
    ("POST", "/launch-templates"): Row(
        LEADERS, lambda p: "/launch-templates", lambda p: TEMPLATE_BODY
    ),
    ("GET", TEMPLATE_PATH): Row(READ, lambda p: f"/launch-templates/{_template(p)}"),
    ("PATCH", TEMPLATE_PATH): Row(
        LEADERS, lambda p: f"/launch-templates/{_template(p)}", lambda p: {"name": "M2"}, True
    ),
    ("DELETE", TEMPLATE_PATH): Row(
        LEADERS, lambda p: f"/launch-templates/{_template(p)}", versioned=True
    ),
    ("GET", "/launch-plans"): Row(READ, lambda p: "/launch-plans"),
    ("POST", "/launch-plans"): Row(
        ATLAS,
        lambda p: "/launch-plans",
        lambda p: {
            "feature_id": p.search.pk,
            "template": "Feature launch",
            "launch_on": "2027-03-01",
        },
    ),
    ("GET", PLAN_PATH): Row(READ, lambda p: f"/launch-plans/{_plan(p)}"),
    ("PATCH", PLAN_PATH): Row(
        ATLAS, lambda p: f"/launch-plans/{_plan(p)}", lambda p: {"name": "Renamed"}, True
    ),
    ("DELETE", PLAN_PATH): Row(ATLAS, lambda p: f"/launch-plans/{_plan(p)}", versioned=True),
    ("POST", PLAN_PATH + "/tasks"): Row(
        ATLAS,
        lambda p: f"/launch-plans/{_plan(p)}/tasks",
        lambda p: {"title": "Extra", "function": "support"},
    ),
    ("PUT", PLAN_PATH + "/task-order"): Row(
        ATLAS, lambda p: f"/launch-plans/{_plan(p)}/task-order", _order
    ),
    ("GET", TASK_PATH): Row(READ, lambda p: f"/launch-tasks/{_task(p)}"),
    ("PATCH", TASK_PATH): Row(
        ATLAS, lambda p: f"/launch-tasks/{_task(p)}", lambda p: {"title": "Renamed"}, True
    ),
    ("DELETE", TASK_PATH): Row(ATLAS, lambda p: f"/launch-tasks/{_task(p)}", versioned=True),
    ("GET", "/launch-calendar"): Row(READ, lambda p: "/launch-calendar"),
}

API_ELSEWHERE: dict[tuple[str, str], str] = {
    ("POST", PLAN_PATH + "/launched"): (
        "tests/launches/test_plans_api.py::test_mark_launched_by_role (If-Match of the plan)"
    ),
}

PAGES: dict[str, Page] = {
    "launches/": Page(PAGE_READ, lambda p: "/launches/"),
    "launches/calendar.ics": Page(PAGE_READ, lambda p: "/launches/calendar.ics"),
    "launches/plans/new/": Page(
        PAGE_ATLAS, lambda p: f"/launches/plans/new/?feature={p.search.pk}"
    ),
    "launches/plans/<int:pk>/": Page(PAGE_READ, lambda p: f"/launches/plans/{_plan(p)}/"),
    "launches/plans/<int:pk>/edit/": Page(
        PAGE_ATLAS, lambda p: f"/launches/plans/{_plan(p)}/edit/"
    ),
    "launches/plans/<int:pk>/delete/": Page(
        PAGE_ATLAS,
        lambda p: f"/launches/plans/{_plan(p)}/delete/",
        "POST",
        lambda p: {"version": 1},
    ),
    "launches/plans/<int:pk>/launched/": Page(
        PAGE_ATLAS,
        lambda p: f"/launches/plans/{_plan(p)}/launched/",
        "POST",
        lambda p: {"on": "2027-02-16", "version": 1},
    ),
    "launches/plans/<int:pk>/tasks/": Page(
        PAGE_ATLAS,
        lambda p: f"/launches/plans/{_plan(p)}/tasks/",
        "POST",
        lambda p: {"title": "Extra", "phase": "Run", "function": "support", "status": "todo"},
    ),
    "launches/tasks/<int:pk>/edit/": Page(
        PAGE_ATLAS, lambda p: f"/launches/tasks/{_task(p)}/edit/"
    ),
    "launches/tasks/<int:pk>/status/": Page(
        PAGE_ATLAS,
        lambda p: f"/launches/tasks/{_task(p)}/status/",
        "POST",
        lambda p: {"status": "done", "version": 1},
    ),
    "launches/tasks/<int:pk>/move/": Page(
        PAGE_ATLAS,
        lambda p: f"/launches/tasks/{_task(p)}/move/",
        "POST",
        lambda p: {"direction": "down"},
    ),
    "launches/tasks/<int:pk>/delete/": Page(
        PAGE_ATLAS,
        lambda p: f"/launches/tasks/{_task(p)}/delete/",
        "POST",
        lambda p: {"version": 1},
    ),
    "launches/templates/": Page(PAGE_READ, lambda p: "/launches/templates/"),
    "launches/templates/new/": Page(PAGE_LEADERS, lambda p: "/launches/templates/new/"),
    "launches/templates/<int:pk>/": Page(
        PAGE_READ, lambda p: f"/launches/templates/{_template(p)}/"
    ),
    "launches/templates/<int:pk>/edit/": Page(
        PAGE_LEADERS, lambda p: f"/launches/templates/{_template(p)}/edit/"
    ),
    "launches/templates/<int:pk>/delete/": Page(
        PAGE_LEADERS,
        lambda p: f"/launches/templates/{_template(p)}/delete/",
        "POST",
        lambda p: {"version": 1},
    ),
}
