"""Pages of scenarios: the list, the run form, one scenario (plan, capacity use, left out,
shadow values, apply), rename/delete, and the side-by-side comparison. Members and up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.people.models import Team
from quarterdeck.roadmap import planning_charts, scenario_selectors
from quarterdeck.roadmap import planning_selectors as selectors
from quarterdeck.roadmap import scenarios as services
from quarterdeck.roadmap.planning_forms import RunForm, run_initial
from quarterdeck.web.views.common import int_param, user_of


@require_GET
def scenarios(request: HttpRequest) -> HttpResponse:
    found = selectors.list_scenarios(user_of(request))
    return render(request, "roadmap/planning/scenarios.html", {"scenarios": found})


def _run_form(request: HttpRequest, data: Any = None, initial: Any = None) -> RunForm:
    features = list(selectors.features_in_scope())
    teams = list(Team.objects.filter(capacities__isnull=False).distinct()) or list(
        Team.objects.all()
    )
    return RunForm(data, initial=initial, features=features, teams=teams)


@require_http_methods(["GET", "POST"])
def scenario_new(request: HttpRequest) -> HttpResponse:
    """The run form; ``?from=ID`` fills it from an earlier scenario (run again with changes)."""
    user = user_of(request)
    selectors.list_scenarios(user)  # members and up
    if request.method == "GET":
        source = int_param(request, "from")
        initial = run_initial(selectors.access_scenario(user, source)) if source else None
        form = _run_form(request, initial=initial)
        return render(request, "roadmap/planning/run.html", {"form": form})
    form = _run_form(request, data=request.POST)
    if form.is_valid():
        try:
            options = form.options()
            scenario = services.scenario_run(actor=user, name=form.cleaned_data["name"],
                                             options=options)  # fmt: skip
        except InvalidInput as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Saved the scenario “{scenario.name}”.")
            return redirect("roadmap:scenario", scenario.pk)
    return render(request, "roadmap/planning/run.html", {"form": form}, status=400)


@require_GET
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    scenario = selectors.access_scenario(user, pk)
    result = scenario.result
    periods = scenario.options.get("periods", [])
    plan = {p: [row for row in result.get("plan") or [] if row["period"] == p] for p in periods}
    greedy = result.get("greedy_value")
    context = {
        "scenario": scenario, "result": result, "plan": plan,
        "gain": (scenario.value - greedy) if scenario.value is not None and greedy is not None
        else None,
        "use_rows": planning_charts.use_rows(result),
        "use_spec": planning_charts.capacity_use_chart(result),
        "shadow_rows": planning_charts.shadow_rows(result),
        "shadow_spec": planning_charts.shadow_chart(result),
        "left_out": scenario_selectors.left_out_rows(scenario),
        "may_change": selectors.may_change_scenario(user, scenario),
        "others": selectors.list_scenarios(user).exclude(pk=pk)[:20],
    }  # fmt: skip
    return render(request, "roadmap/planning/scenario.html", context)


@require_POST
def scenario_apply(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    selectors.access_scenario(user, pk)  # 403 / 404 as a page; a feature refused → a message
    try:
        placed = services.scenario_apply(actor=user, scenario_id=pk)
    except (InvalidInput, NotAllowed) as exc:
        messages.error(request, exc.message)
        return redirect("roadmap:scenario", pk)
    messages.success(request, f"Placed {placed} initiatives on the roadmap.")
    return redirect("roadmap:board")


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@require_POST
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a scenario or change its notes (its creator, leaders, admins)."""
    user = user_of(request)
    data = {key: request.POST[key] for key in ("name", "notes") if key in request.POST}
    try:
        services.scenario_update(actor=user, scenario_id=pk, data=data,
                                 expected_version=_version(request))  # fmt: skip
    except (InvalidInput, VersionConflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Saved.")
    return redirect("roadmap:scenario", pk)


@require_POST
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    try:
        services.scenario_delete(actor=user, scenario_id=pk, expected_version=_version(request))
    except VersionConflict as exc:
        messages.error(request, exc.message)
        return redirect("roadmap:scenario", pk)
    messages.success(request, "Scenario deleted.")
    return redirect("roadmap:scenarios")


def _ids(request: HttpRequest) -> list[int]:
    raw = request.GET.getlist("ids") or [request.GET.get("ids", "")]
    parts = [p for chunk in raw for p in chunk.split(",")]
    return [int(p) for p in parts if p.strip().isdigit() and len(p.strip()) < 19][:5]


@require_GET
def scenario_compare(request: HttpRequest) -> HttpResponse:
    """Two to five scenarios side by side (``?ids=3,4``)."""
    user = user_of(request)
    ids = _ids(request)
    choices = selectors.list_scenarios(user)[:50]
    found = scenario_selectors.scenario_compare(user, ids) if len(ids) >= 2 else None
    context = {"comparison": found, "choices": choices, "ids": ids}
    return render(request, "roadmap/planning/compare.html", context, status=200)
