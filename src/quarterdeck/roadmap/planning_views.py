"""Pages of planning: the capacity grid, the planning table (effort per team, what each
initiative needs). Scenario pages are in scenario_views.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.people.models import Team
from quarterdeck.portfolio.models import ProductLine
from quarterdeck.portfolio.selectors import access_feature
from quarterdeck.roadmap import planning
from quarterdeck.roadmap import planning_selectors as selectors
from quarterdeck.roadmap.models import ScoringModel
from quarterdeck.roadmap.planning_forms import NeedsForm, capacity_cells, effort_values
from quarterdeck.roadmap.planning_periods import clean_periods, next_periods
from quarterdeck.web.views.common import int_param, user_of


def _periods(request: HttpRequest) -> list[str]:
    try:
        return clean_periods(request.GET.get("periods", "")) if request.GET.get("periods") else []
    except ValueError:
        return []


@require_http_methods(["GET", "POST"])
def capacity(request: HttpRequest) -> HttpResponse:
    """Teams by quarters; leaders and admins type capacities in place."""
    user = user_of(request)
    periods = _periods(request) or next_periods(4)
    errors: dict[str, list[str]] = {}
    typed: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not selectors.may_change_capacity(user):
            raise NotAllowed("Only leaders and admins set team capacities.")
        try:
            changed = planning.capacities_set(actor=user, cells=capacity_cells(request.POST))
        except InvalidInput as exc:
            errors, typed, status = exc.fields, request.POST.dict(), 400
            messages.error(request, exc.message)
        except VersionConflict as exc:
            messages.error(request, exc.message)
            status = 412
        else:
            messages.success(request, f"Saved {changed} capacit{'y' if changed == 1 else 'ies'}.")
            return redirect(request.get_full_path())
    rows = selectors.capacity_grid(user, periods)
    for row in rows:
        for cell in row.cells:
            key = f"cap-{row.team.pk}-{cell['period']}"
            cell |= {"key": key, "errors": errors.get(key, []), "typed": typed.get(key)}
    latest = selectors.latest_applied() if selectors.may_read_scenarios(user) else None
    context = {"periods": periods, "rows": rows, "may_change": selectors.may_change_capacity(user),
               "latest": latest, "following": next_periods(4, start=periods[-1])[1:]}  # fmt: skip
    return render(request, "roadmap/planning/capacity.html", context, status=status)


def _teams(rows: list[selectors.PlanRow]) -> list[Team]:
    """The teams the table shows: those with a capacity or an effort, else every team."""
    used = {team for row in rows for team in row.efforts}
    with_capacity = set(selectors.list_capacities(None).values_list("team_id", flat=True))
    teams = list(Team.objects.filter(pk__in=used | with_capacity))
    return teams or list(Team.objects.all())


def plan_context(request: HttpRequest) -> dict[str, Any]:
    user = user_of(request)
    line_id, model_id = int_param(request, "line"), int_param(request, "model")
    rows = selectors.planning_table(user, line_id=line_id, scoring_model_id=model_id)
    teams = _teams(rows)
    features = [row.feature for row in rows]
    shown = [
        {"row": row, "cells": [(team, row.efforts.get(team.pk)) for team in teams],
         "needs_form": NeedsForm(features=[f for f in features if f.pk != row.feature.pk],
                                 auto_id=f"needs-{row.feature.pk}-%s") if row.may_change else None}
        for row in rows
    ]  # fmt: skip
    return {"rows": shown, "teams": teams, "line_id": line_id, "model_id": model_id,
            "models": ScoringModel.objects.all(),
            "lines": ProductLine.objects.order_by("name")}  # fmt: skip


@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    """Initiatives in idea, discovery or build: value, effort per team, what they need."""
    return render(request, "roadmap/planning/plan.html", plan_context(request))


def _back(request: HttpRequest, feature_id: int) -> HttpResponse:
    line = request.POST.get("line", "")
    query = f"?line={line}" if line.isdigit() else ""
    return redirect(f"{reverse('roadmap:plan')}{query}#f-{feature_id}")


@require_POST
def plan_effort(request: HttpRequest, feature_id: int) -> HttpResponse:
    user = user_of(request)
    feature = access_feature(user, feature_id, for_write=True)
    teams = Team.objects.all()
    try:
        planning.effort_set(actor=user, feature_id=feature.pk,
                            efforts=effort_values(request.POST, teams))  # fmt: skip
    except InvalidInput as exc:
        messages.error(request, f"{feature.name}: {exc.message}")
    else:
        messages.success(request, f"Saved the effort of “{feature.name}”.")
    return _back(request, feature.pk)


@require_POST
def plan_needs(request: HttpRequest, feature_id: int) -> HttpResponse:
    user = user_of(request)
    feature = access_feature(user, feature_id, for_write=True)
    needs = request.POST.get("needs_id", "")
    try:
        if not needs.isdigit():
            raise InvalidInput("Choose the initiative it needs.")
        dep = planning.dependency_add(actor=user, feature_id=feature.pk, needs_id=int(needs))
    except InvalidInput as exc:
        messages.error(request, f"{feature.name}: {exc.message}")
    else:
        messages.success(request, f"“{feature.name}” needs “{dep.needs.name}”.")
    return _back(request, feature.pk)


@require_POST
def dependency_remove(request: HttpRequest, dependency_id: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.list_dependencies(user).filter(pk=dependency_id).first()
    feature_id = found.feature_id if found else 0
    planning.dependency_remove(actor=user, dependency_id=dependency_id)
    messages.success(request, "Dependency removed.")
    return _back(request, feature_id)
