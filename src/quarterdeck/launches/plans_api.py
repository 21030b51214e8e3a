"""REST API of launch templates, launch plans, their tasks and the launch calendar.

Everyone signed in reads. Plans and tasks are changed by whoever may change the plan's feature
(or product); a task's owner may also change that task's status (a PATCH with only ``status``).
Templates are changed by leaders and admins.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import PatchDict, Query, Router, Status
from ninja.pagination import paginate

from quarterdeck.launches import launch_templates, plans, plans_tasks, selectors
from quarterdeck.launches.models import LaunchPlan, LaunchTask, LaunchTemplate
from quarterdeck.launches.plans_calendar import month_bounds
from quarterdeck.launches.plans_schemas import (
    CalendarQuery,
    EventOut,
    LaunchedIn,
    OrderIn,
    PlanDetailOut,
    PlanIn,
    PlanOut,
    PlanPatch,
    PlanQuery,
    TaskIn,
    TaskOut,
    TaskPatch,
    TemplateIn,
    TemplateOut,
)
from quarterdeck.lib.api_edge import (
    Id,
    api_user,
    as_data,
    errors,
    etag_doc,
    if_match_doc,
    no_content,
    tagged,
)
from quarterdeck.lib.http import etag, if_match_version
from quarterdeck.lib.pagination import Pagination

router = Router(tags=["launches"])


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def task_out(task: LaunchTask) -> dict[str, Any]:
    today = timezone.localdate()
    plain = ("id", "plan_id", "phase", "title", "function", "due_on", "status", "milestone")
    return {
        **{name: getattr(task, name) for name in plain},
        "owner": _ref(task.owner),
        "depends_on": sorted(t.pk for t in task.depends_on.all()),
        "waiting_for": plans_tasks.waiting_for(task),
        "overdue": plans_tasks.is_overdue(task, today),
        "position": task.position,
        "notes": task.notes,
        "version": task.version,
    }


def _progress(tasks: list[LaunchTask]) -> dict[str, Any]:
    done = sum(t.status in plans_tasks.FINISHED for t in tasks)
    return {"name": "all", "done": done, "total": len(tasks)}


def _progress_list(tasks: list[LaunchTask], attr: str, order: list[str]) -> list[dict[str, Any]]:
    rows = plans_tasks.progress_by(tasks, attr, order)
    return [{"name": r.name, "done": r.done, "total": r.total} for r in rows]


def plan_out(plan: LaunchPlan, *, detail: bool = False) -> dict[str, Any]:
    tasks = selectors.plan_tasks(plan)
    milestone = plans_tasks.next_milestone(tasks)
    plain = ("id", "name", "phases", "launch_on", "launched_on", "status", "notes", "version")
    out = {
        **{name: getattr(plan, name) for name in plain},
        **{name: _ref(getattr(plan, name)) for name in ("feature", "product", "template")},
        "owner": _ref(plan.owner),
        "progress": _progress(tasks),
        "next_milestone": task_out(milestone) if milestone else None,
    }
    if detail:
        out["tasks"] = [task_out(t) for t in tasks]
        out["by_phase"] = _progress_list(tasks, "phase", plan.phases)
        out["by_function"] = _progress_list(tasks, "function", [])
    return out


def _detail(response: HttpResponse, plan: LaunchPlan) -> dict[str, Any]:
    response["ETag"] = etag(plan.version)
    return plan_out(plan, detail=True)


# Templates ------------------------------------------------------------------------------------


@router.get("/launch-templates", response={200: list[TemplateOut], **errors(403)})
def templates_list(request: HttpRequest) -> list[LaunchTemplate]:
    """Every launch template (the built-ins appear on first use)."""
    return list(selectors.list_launch_templates(api_user(request)))


@router.post(
    "/launch-templates",
    response={201: TemplateOut, **errors(400, 403)},
    openapi_extra=etag_doc(201),
)
def templates_create(
    request: HttpRequest, payload: TemplateIn, response: HttpResponse
) -> Status[LaunchTemplate]:
    """Leaders and admins. Errors name the JSON path, e.g. ``tasks[3].depends_on``."""
    template = launch_templates.template_create(actor=api_user(request), data=as_data(payload))
    return Status(201, tagged(response, template))


@router.get(
    "/launch-templates/{template_id}",
    response={200: TemplateOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def templates_get(request: HttpRequest, template_id: Id, response: HttpResponse) -> LaunchTemplate:
    return tagged(response, selectors.access_launch_template(api_user(request), template_id))


@router.patch(
    "/launch-templates/{template_id}",
    response={200: TemplateOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def templates_patch(
    request: HttpRequest, template_id: Id, payload: PatchDict[TemplateIn], response: HttpResponse
) -> LaunchTemplate:
    user = api_user(request)
    selectors.access_launch_template(user, template_id, for_write=True)
    template = launch_templates.template_update(
        actor=user, template_id=template_id, data=as_data(payload),
        expected_version=if_match_version(request),
    )  # fmt: skip
    return tagged(response, template)


@router.delete(
    "/launch-templates/{template_id}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def templates_delete(request: HttpRequest, template_id: Id) -> Status[None]:
    """Plans made from it keep their tasks."""
    user = api_user(request)
    selectors.access_launch_template(user, template_id, for_write=True)
    launch_templates.template_delete(
        actor=user, template_id=template_id, expected_version=if_match_version(request)
    )
    return no_content()


# Plans ----------------------------------------------------------------------------------------


@router.get("/launch-plans", response={200: list[PlanOut], **errors(403)})
@paginate(Pagination)
def plans_list(request: HttpRequest, query: Query[PlanQuery]) -> list[dict[str, Any]]:
    """Launch plans by launch day (the actual day once launched), filtered."""
    given = {name: value for name, value in query.model_dump().items() if value is not None}
    return [plan_out(p) for p in selectors.list_launch_plans(api_user(request), **given)]


@router.post(
    "/launch-plans", response={201: PlanDetailOut, **errors(400, 403)}, openapi_extra=etag_doc(201)
)
def plans_create(
    request: HttpRequest, payload: PlanIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """A plan for a feature (or product) from a template: tasks due on launch day + offset,
    dependencies kept, owners defaulted by function from the item's teams."""
    data = {k: v for k, v in as_data(payload).items() if v is not None}
    plan = plans.plan_create(actor=api_user(request), data=data)
    return Status(201, _detail(response, plan))


@router.get(
    "/launch-plans/{plan_id}",
    response={200: PlanDetailOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def plans_get(request: HttpRequest, plan_id: Id, response: HttpResponse) -> dict[str, Any]:
    return _detail(response, selectors.access_launch_plan(api_user(request), plan_id))


@router.patch(
    "/launch-plans/{plan_id}",
    response={200: PlanDetailOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def plans_patch(
    request: HttpRequest,
    plan_id: Id,
    payload: PatchDict[PlanPatch],
    response: HttpResponse,
    shift_tasks: bool = True,
) -> dict[str, Any]:
    """A new ``launch_on`` moves the open tasks' due dates by as many days (``shift_tasks``)."""
    user = api_user(request)
    selectors.access_launch_plan(user, plan_id, for_write=True)
    plan = plans.plan_update(
        actor=user, plan_id=plan_id, data=as_data(payload),
        expected_version=if_match_version(request), shift_tasks=shift_tasks,
    )  # fmt: skip
    return _detail(response, selectors.access_launch_plan(user, plan.pk))


@router.delete(
    "/launch-plans/{plan_id}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def plans_delete(request: HttpRequest, plan_id: Id) -> Status[None]:
    user = api_user(request)
    selectors.access_launch_plan(user, plan_id, for_write=True)
    plans.plan_delete(actor=user, plan_id=plan_id, expected_version=if_match_version(request))
    return no_content()


@router.post(
    "/launch-plans/{plan_id}/launched",
    response={200: PlanDetailOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def plans_launched(
    request: HttpRequest, plan_id: Id, payload: LaunchedIn, response: HttpResponse
) -> dict[str, Any]:
    """Mark the plan launched on a day; its success metrics are bound (baselines, checks)."""
    user = api_user(request)
    selectors.access_launch_plan(user, plan_id, for_write=True)
    plans.plan_mark_launched(
        actor=user, plan_id=plan_id, on=payload.on, expected_version=if_match_version(request)
    )
    return _detail(response, selectors.access_launch_plan(user, plan_id))


# Tasks ----------------------------------------------------------------------------------------


@router.post(
    "/launch-plans/{plan_id}/tasks",
    response={201: TaskOut, **errors(400, 403, 404)},
    openapi_extra=etag_doc(201),
)
def tasks_create(
    request: HttpRequest, plan_id: Id, payload: TaskIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    data = {k: v for k, v in as_data(payload).items() if v is not None or k != "phase"}
    task = plans_tasks.task_create(actor=api_user(request), plan_id=plan_id, data=data)
    response["ETag"] = etag(task.version)
    return Status(201, task_out(task))


@router.put(
    "/launch-plans/{plan_id}/task-order", response={200: list[TaskOut], **errors(400, 403, 404)}
)
def tasks_reorder(request: HttpRequest, plan_id: Id, payload: OrderIn) -> list[dict[str, Any]]:
    """Put the tasks in a new order: every task id of the plan, each once."""
    tasks = plans_tasks.tasks_reorder(actor=api_user(request), plan_id=plan_id, order=payload.order)
    return [task_out(t) for t in tasks]


@router.get(
    "/launch-tasks/{task_id}",
    response={200: TaskOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def tasks_get(request: HttpRequest, task_id: Id, response: HttpResponse) -> dict[str, Any]:
    task = selectors.access_launch_task(api_user(request), task_id)
    response["ETag"] = etag(task.version)
    return task_out(task)


@router.patch(
    "/launch-tasks/{task_id}",
    response={200: TaskOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def tasks_patch(
    request: HttpRequest, task_id: Id, payload: PatchDict[TaskPatch], response: HttpResponse
) -> dict[str, Any]:
    """A body with only ``status`` is allowed to the task's owner too."""
    user, data = api_user(request), as_data(payload)
    status_only = set(data) == {"status"}
    selectors.access_launch_task(user, task_id, for_write=not status_only, for_status=status_only)
    version = if_match_version(request)
    if status_only:
        plans_tasks.task_set_status(
            actor=user, task_id=task_id, status=data["status"], expected_version=version
        )
    else:
        plans_tasks.task_update(actor=user, task_id=task_id, data=data, expected_version=version)
    return tasks_get(request, task_id, response)


@router.delete(
    "/launch-tasks/{task_id}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def tasks_delete(request: HttpRequest, task_id: Id) -> Status[None]:
    user = api_user(request)
    selectors.access_launch_task(user, task_id, for_write=True)
    plans_tasks.task_delete(actor=user, task_id=task_id, expected_version=if_match_version(request))
    return no_content()


# Calendar -------------------------------------------------------------------------------------


@router.get("/launch-calendar", response={200: list[EventOut], **errors(400, 403)})
def calendar(request: HttpRequest, query: Query[CalendarQuery]) -> list[Any]:
    """Launches and milestones across the portfolio in a date range (default: this month)."""
    first, last = month_bounds(query.start or timezone.localdate())
    start, end = query.start or first, query.end or last
    if end < start:
        from quarterdeck.launches.plans_clean import fields_error

        raise fields_error("end", "The end comes before the start.")
    return selectors.calendar_events(
        api_user(request), start=start, end=end, line_id=query.line_id,
        product_id=query.product_id, function=query.function, status=query.status,
    )  # fmt: skip
