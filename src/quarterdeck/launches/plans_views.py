"""Launch pages: the calendar (month grid and agenda), its iCalendar feed, a plan with its
phases and tasks, and a plan's new / edit / delete / mark-launched forms. Task pages live in
plans_task_views.py, template pages in plans_template_views.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.launches import plans, plans_pages, selectors
from quarterdeck.launches.models import LaunchPlan, LaunchStatus
from quarterdeck.launches.plans_calendar import ical, month_bounds, parse_month, shift_month
from quarterdeck.launches.plans_forms import CalendarFilter, LaunchedForm, PlanEditForm, PlanForm
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.portfolio.models import Feature, Product
from quarterdeck.portfolio.selectors import access_feature, access_product, may_change_item
from quarterdeck.web.htmx import template_for, vary_on_htmx
from quarterdeck.web.views.common import int_param, user_of

ICS_MONTHS_BACK = 3
ICS_MONTHS_AHEAD = 12


# The calendar ---------------------------------------------------------------------------------


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = CalendarFilter(request.GET, user=user)
    filters = form.values()
    problems: dict[str, list[str]] = {k: [str(m) for m in v] for k, v in form.errors.items()}
    try:
        first = parse_month(request.GET.get("month"), plans_pages.today())
    except ValueError as exc:
        problems["month"] = [str(exc)]
        first = plans_pages.today().replace(day=1)
    context = {
        **plans_pages.calendar_page(user, first, filters),
        "form": form,
        "problems": problems,
        "query": _query_without_month(request),
    }
    template = template_for(request, "launches/plans/calendar.html", "month")
    return vary_on_htmx(render(request, template, context, status=400 if problems else 200))


def _query_without_month(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("month", None)
    return query.urlencode()


@require_GET
def calendar_ics(request: HttpRequest) -> HttpResponse:
    """Launches and milestones from 3 months back to 12 ahead, for calendar apps."""
    user = user_of(request)
    form = CalendarFilter(request.GET, user=user)
    this_month = plans_pages.today().replace(day=1)
    start = shift_month(this_month, -ICS_MONTHS_BACK)
    _, end = month_bounds(shift_month(this_month, ICS_MONTHS_AHEAD))
    events = selectors.calendar_events(user, start=start, end=end, **form.values())
    body = ical(events, now=timezone.now(), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="quarterdeck-launches.ics"'
    return response


# A plan ---------------------------------------------------------------------------------------


@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_launch_plan(user, pk)
    return render(request, "launches/plans/plan.html", _plan_context(request, found))


def _plan_context(request: HttpRequest, found: LaunchPlan, **extra: Any) -> dict[str, Any]:
    from quarterdeck.launches.plans_forms import TaskForm

    user = user_of(request)
    context = plans_pages.plan_page(user, found)
    if context["may_change"]:
        context.setdefault("task_form", TaskForm(user=user, plan=found, tasks=context["tasks"]))
        launched = LaunchedForm(initial={"on": plans_pages.today(), "version": found.version})
        context.setdefault("launched_form", launched)
    return {**context, **extra}


def _item_for_new(request: HttpRequest) -> Feature | Product:
    user = user_of(request)
    feature_id, product_id = int_param(request, "feature"), int_param(request, "product")
    if feature_id is not None:
        item: Feature | Product = access_feature(user, feature_id)
    elif product_id is not None:
        item = access_product(user, product_id)
    else:
        raise InvalidInput("Open this page from a feature or a product (“New launch plan”).")
    if not may_change_item(user, item):
        raise NotAllowed(f"You may not plan the launch of “{item.name}”.")
    return item


@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    item = _item_for_new(request)
    templates = list(selectors.list_launch_templates(user))
    default = next((t.pk for t in templates if t.name == "Feature launch"), None)
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, user=user, templates=templates, initial={"template_id": default})
    if request.method == "POST" and form.is_valid():
        key = "feature_id" if isinstance(item, Feature) else "product_id"
        try:
            made = plans.plan_create(actor=user, data={key: item.pk, **form.service_data()})
        except InvalidInput as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Launch plan created with {made.tasks.count()} tasks.")
            return redirect("launches:plan", made.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "item": item}
    return render(request, "launches/plans/plan_new.html", context, status=status)


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_launch_plan(user, pk, for_write=True)
    launched = found.status == LaunchStatus.LAUNCHED
    data = request.POST if request.method == "POST" else None
    initial = PlanEditForm.initial_from(found)
    form = PlanEditForm(data, user=user, launched=launched, initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            plans.plan_update(
                actor=user, plan_id=pk, data=form.service_data(),
                expected_version=form.cleaned_data["version"],
                shift_tasks=form.cleaned_data["shift_tasks"],
            )  # fmt: skip
        except VersionConflict as exc:
            conflict = True
            form = PlanEditForm(
                _moved_on(request, exc.current_version), user=user, launched=launched
            )
            form.is_valid()
        except InvalidInput as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Saved.")
            return redirect("launches:plan", pk)
    status = 409 if conflict else (400 if form.errors else 200)
    context = {"form": form, "plan": found, "conflict": conflict}
    return render(request, "launches/plans/plan_edit.html", context, status=status)


def _moved_on(request: HttpRequest, version: int) -> Any:
    """The user's values on the current version: saving again applies them knowingly."""
    data = request.POST.copy()
    data["version"] = str(version)
    return data


@require_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_launch_plan(user, pk, for_write=True)
    item = selectors.plan_item(found)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise InvalidInput("The form lost its version; reload the plan and try again.") from None
    plans.plan_delete(actor=user, plan_id=pk, expected_version=version)
    messages.success(request, f"Deleted the launch plan “{found.name}”.")
    kind = "feature" if isinstance(item, Feature) else "product"
    return redirect(reverse(f"{kind}_detail", args=[item.pk]))


@require_POST
def plan_launched(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_launch_plan(user, pk, for_write=True)
    form = LaunchedForm(request.POST)
    if form.is_valid():
        try:
            plans.plan_mark_launched(
                actor=user, plan_id=pk, on=form.cleaned_data["on"],
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except (InvalidInput, VersionConflict) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Marked launched; its success metrics are bound.")
            return redirect("launches:plan", pk)
    context = _plan_context(request, found, launched_form=form)
    return render(request, "launches/plans/plan.html", context, status=400)
