"""Task pages of a launch plan: add (from the plan page), edit, the inline status select
(htmx: answers the task's row), move up / down, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from quarterdeck.launches import plans_pages, plans_tasks, selectors
from quarterdeck.launches.plans_forms import StatusForm, TaskForm
from quarterdeck.launches.plans_views import _plan_context
from quarterdeck.lib.errors import InvalidInput, VersionConflict
from quarterdeck.web.htmx import is_htmx
from quarterdeck.web.views.common import user_of


@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    plan = selectors.access_launch_plan(user, pk, for_write=True)
    form = TaskForm(request.POST, user=user, plan=plan, tasks=selectors.plan_tasks(plan))
    if form.is_valid():
        try:
            plans_tasks.task_create(actor=user, plan_id=pk, data=form.service_data())
        except InvalidInput as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Task added.")
            return redirect("launches:plan", pk)
    context = _plan_context(request, plan, task_form=form, task_form_open=True)
    return render(request, "launches/plans/plan.html", context, status=400)


@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    task = selectors.access_launch_task(user, pk, for_write=True)
    tasks = selectors.plan_tasks(task.plan)
    initial = TaskForm.initial_from(task)
    data = request.POST if request.method == "POST" else None
    form = TaskForm(data, user=user, plan=task.plan, tasks=tasks, task=task, initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            plans_tasks.task_update(
                actor=user, task_id=pk, data=form.service_data(),
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except VersionConflict as exc:
            conflict = True
            moved = request.POST.copy()
            moved["version"] = str(exc.current_version)
            form = TaskForm(moved, user=user, plan=task.plan, tasks=tasks, task=task)
            form.is_valid()
        except InvalidInput as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Task saved.")
            return redirect("launches:plan", task.plan_id)
    status = 409 if conflict else (400 if form.errors else 200)
    context = {"form": form, "task": task, "plan": task.plan, "conflict": conflict}
    return render(request, "launches/plans/task_edit.html", context, status=status)


@require_POST
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The inline status select: the plan's writers and the task's owner."""
    user = user_of(request)
    selectors.access_launch_task(user, pk, for_status=True)
    form = StatusForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            plans_tasks.task_set_status(
                actor=user, task_id=pk, status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except (InvalidInput, VersionConflict) as exc:
            error = exc.message
    else:
        error = "Choose a status."
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        task = selectors.access_launch_task(user, pk)
        return redirect("launches:plan", task.plan_id)
    return _row(request, pk, error)


def _row(request: HttpRequest, pk: int, error: str) -> HttpResponse:
    user = user_of(request)
    task = selectors.access_launch_task(user, pk)
    page = plans_pages.plan_page(user, task.plan)
    row = next(r for s in page["sections"] for r in s.rows if r.task.pk == pk)
    context = {**page, "row": row, "error": error}
    return render(request, "launches/plans/_task_row.html", context, status=409 if error else 200)


@require_POST
def task_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    task = selectors.access_launch_task(user, pk, for_write=True)
    step = -1 if request.POST.get("direction") == "up" else 1
    plans_tasks.task_move(actor=user, task_id=pk, step=step)
    return redirect(f"/launches/plans/{task.plan_id}/#task-{pk}")


@require_POST
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    task = selectors.access_launch_task(user, pk, for_write=True)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise InvalidInput("The form lost its version; reload the plan and try again.") from None
    plans_tasks.task_delete(actor=user, task_id=pk, expected_version=version)
    messages.success(request, f"Deleted the task “{task.title}”.")
    return redirect("launches:plan", task.plan_id)
