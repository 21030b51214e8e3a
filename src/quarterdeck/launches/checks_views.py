"""Post-launch check pages: every recent launch and its verdicts (/launches/checks/), one
plan's success metrics and checks with their windows and tests (/launches/checks/<plan>/),
and the forms to add a metric, change its target, remove it (before launch) and recompute."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from quarterdeck.launches import checks_metrics, checks_pages, checks_selectors
from quarterdeck.launches.checks_forms import MetricForm, TargetForm
from quarterdeck.launches.models import LaunchStatus
from quarterdeck.lib.errors import InvalidInput, VersionConflict
from quarterdeck.web.views.common import user_of


@require_GET
def checks_list(request: HttpRequest) -> HttpResponse:
    found = checks_selectors.recent_launches(user_of(request))
    groups = checks_pages.plan_groups([p.plan for p in found], chart=False)
    return render(request, "launches/checks/list.html", {"groups": groups})


def _plan_context(request: HttpRequest, plan_id: int, **extra: Any) -> dict[str, Any]:
    found = checks_selectors.plan_checks(user_of(request), plan_id)
    plan = found.plan
    views = [checks_pages.metric_view(flag) for flag in found.flags]
    may_add = found.may_change and plan.status != LaunchStatus.CANCELLED
    context: dict[str, Any] = {
        "plan": plan,
        "views": views,
        "charts": any(v.spec for v in views),
        "may_change": found.may_change,
        "may_add": may_add,
        "form": MetricForm(plan=plan) if may_add else None,
    }
    return {**context, **extra}


@require_GET
def plan_checks(request: HttpRequest, plan_id: int) -> HttpResponse:
    return render(request, "launches/checks/plan.html", _plan_context(request, plan_id))


@require_POST
def metric_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = user_of(request)
    plan = checks_selectors.plan_checks(user, plan_id).plan
    form = MetricForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            checks_metrics.metric_add(actor=user, plan_id=plan_id, data=form.service_data())
        except InvalidInput as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Success metric added.")
            return redirect("launches:plan_checks", plan_id)
    context = _plan_context(request, plan_id, form=form)
    return render(request, "launches/checks/plan.html", context, status=400)


@require_POST
def metric_target(request: HttpRequest, metric_id: int) -> HttpResponse:
    user = user_of(request)
    metric = checks_metrics.access_success_metric(user, metric_id, for_write=True)
    form = TargetForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("target: expected a number.", fields={"target": ["Expected a number."]})
    data = {"target": form.cleaned_data["target"]}
    try:
        checks_metrics.metric_update(
            actor=user, metric_id=metric_id, data=data, expected_version=_version(request)
        )
    except VersionConflict as conflict:
        messages.error(request, f"{conflict} Your target was {data['target']}.")
        return redirect("launches:plan_checks", metric.plan_id)
    messages.success(request, "Target changed; the checks were computed again.")
    return redirect("launches:plan_checks", metric.plan_id)


def _version(request: HttpRequest) -> int | None:
    """The version the form was rendered with (absent from older pages: no check)."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@require_POST
def metric_delete(request: HttpRequest, metric_id: int) -> HttpResponse:
    user = user_of(request)
    metric = checks_metrics.access_success_metric(user, metric_id, for_write=True)
    try:
        checks_metrics.metric_delete(
            actor=user, metric_id=metric_id, expected_version=_version(request)
        )
    except VersionConflict as conflict:
        messages.error(request, str(conflict))
        return redirect("launches:plan_checks", metric.plan_id)
    messages.success(request, f"Removed the success metric “{metric}”.")
    return redirect("launches:plan_checks", metric.plan_id)


@require_POST
def recompute(request: HttpRequest, plan_id: int) -> HttpResponse:
    computed = checks_metrics.plan_recompute(actor=user_of(request), plan_id=plan_id)
    messages.success(request, f"Computed {computed} check{'s' if computed != 1 else ''} again.")
    return redirect("launches:plan_checks", plan_id)
