"""Reads of planning: capacities (the door ``access_capacity``), efforts and dependencies, the
planning table, and scenarios (the door ``access_scenario``; comparing them).

Capacities, efforts and dependencies are read by every signed-in user; scenarios only by the
write roles (they are working drafts of a plan), changed by their creator, leaders and admins.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound
from quarterdeck.people.models import Team
from quarterdeck.portfolio.models import Feature, ProductLine, Stage
from quarterdeck.portfolio.selectors import line_subtree_ids, may_change_item, may_read_portfolio
from quarterdeck.roadmap.models import (
    Dependency,
    Effort,
    Scenario,
    ScoringModel,
    TeamCapacity,
)
from quarterdeck.roadmap.scoring_selectors import current_scores, default_scores

PLANNABLE = (Stage.IDEA, Stage.DISCOVERY, Stage.BUILD)
DELIVERED = (Stage.LAUNCH, Stage.GROWTH, Stage.MATURE, Stage.SUNSET)


def _signed_in(user: User | None) -> None:
    if user is not None and not may_read_portfolio(user):
        raise NotAllowed("Sign in to see the plan.")


# Capacity -------------------------------------------------------------------------------------


def may_change_capacity(user: User) -> bool:
    return rules.changes_everything(user)


def access_capacity(
    user: User, team_id: int, period: str, *, for_write: bool = False
) -> TeamCapacity:
    _signed_in(user)
    if for_write and not may_change_capacity(user):
        raise NotAllowed("Only leaders and admins set team capacities.")
    found = TeamCapacity.objects.select_related("team").filter(team_id=team_id, period=period)
    capacity = found.first()
    if capacity is None:
        raise NotFound(f"Team {team_id} has no capacity set for {period}.")
    return capacity


def list_capacities(
    user: User | None, *, periods: list[str] | None = None
) -> QuerySet[TeamCapacity]:
    _signed_in(user)
    qs = TeamCapacity.objects.select_related("team")
    return qs.filter(period__in=periods) if periods else qs


@dataclass
class CapacityRow:
    team: Team
    cells: list[dict[str, Any]]  # per period: {"period", "capacity", "version", "used"}


def capacity_grid(user: User | None, periods: list[str]) -> list[CapacityRow]:
    """Teams by periods: capacity (None when unset) and what the latest applied scenario uses."""
    found = {(c.team_id, c.period): c for c in list_capacities(user, periods=periods)}
    used = used_by_latest_applied()
    rows = []
    for team in Team.objects.order_by("name"):
        cells = []
        for period in periods:
            cap = found.get((team.pk, period))
            cells.append(
                {
                    "period": period,
                    "capacity": cap.capacity if cap else None,
                    "unit": cap.unit if cap else "engineer-weeks",
                    "version": cap.version if cap else None,
                    "used": used.get((team.pk, period)),
                }
            )
        rows.append(CapacityRow(team, cells))
    return rows


# Scenarios ------------------------------------------------------------------------------------


def may_read_scenarios(user: User) -> bool:
    return rules.may_write_portfolio(user)


def may_change_scenario(user: User, scenario: Scenario) -> bool:
    if rules.changes_everything(user):
        return True
    return rules.may_write_portfolio(user) and scenario.created_by_id == user.pk


def access_scenario(user: User | None, scenario_id: int, *, for_write: bool = False) -> Scenario:
    """The one door to a scenario; ``user`` None is the system (CLI)."""
    if user is not None and not may_read_scenarios(user):
        raise NotAllowed("Scenarios are for members, managers, leaders and admins.")
    scenario = Scenario.objects.select_related("line", "created_by").filter(pk=scenario_id).first()
    if scenario is None:
        raise NotFound(f"There is no scenario with id {scenario_id}.")
    if for_write and user is not None and not may_change_scenario(user, scenario):
        raise NotAllowed(f"Only its creator, leaders and admins change “{scenario.name}”.")
    return scenario


def list_scenarios(user: User | None) -> QuerySet[Scenario]:
    if user is not None and not may_read_scenarios(user):
        raise NotAllowed("Scenarios are for members, managers, leaders and admins.")
    return Scenario.objects.select_related("line", "created_by").defer("instance")


def assignments(scenario: Scenario) -> dict[str, str]:
    """Initiative id → period of the scenario's plan."""
    plan = scenario.result.get("plan") or []
    return {str(row["initiative"]): str(row["period"]) for row in plan if row.get("period")}


def team_use(scenario: Scenario) -> dict[tuple[int, str], float]:
    """(team id, period) → effort the plan puts there (each plan row carries its effort)."""
    used: dict[tuple[int, str], float] = defaultdict(float)
    for row in scenario.result.get("plan") or []:
        for team, amount in (row.get("effort") or {}).items():
            used[(int(team), str(row["period"]))] += float(amount)
    return dict(used)


def latest_applied() -> Scenario | None:
    """The scenario most recently put on the roadmap (its ``result["applied"]["at"]``)."""
    applied = list(Scenario.objects.filter(result__has_key="applied").defer("instance"))
    applied.sort(key=lambda s: str(s.result["applied"].get("at", "")))
    return applied[-1] if applied else None


def used_by_latest_applied() -> dict[tuple[int, str], float]:
    scenario = latest_applied()
    return team_use(scenario) if scenario else {}


# Efforts, dependencies, the planning table ----------------------------------------------------


def efforts_of(feature: Feature) -> list[Effort]:
    return list(Effort.objects.filter(feature=feature).select_related("team"))


def dependencies_of(feature: Feature) -> tuple[list[Dependency], list[Dependency]]:
    """(what it needs, what needs it)."""
    needs = Dependency.objects.filter(feature=feature).select_related("needs")
    needed_by = Dependency.objects.filter(needs=feature).select_related("feature")
    return list(needs), list(needed_by)


def list_dependencies(user: User | None, *, feature_id: int | None = None) -> QuerySet[Dependency]:
    _signed_in(user)
    qs = Dependency.objects.select_related("feature", "needs")
    if feature_id is not None:
        qs = qs.filter(feature_id=feature_id) | qs.filter(needs_id=feature_id)
    return qs


def features_in_scope(line_id: int | None = None) -> QuerySet[Feature]:
    """Initiatives that can still be planned: not yet launched, in the line (and its sub-lines)."""
    qs = Feature.objects.filter(stage__in=PLANNABLE).select_related("product", "product__line")
    if line_id is not None:
        qs = qs.filter(product__line_id__in=line_subtree_ids(line_id))
    return qs.order_by("product__line__name", "product__name", "name")


def scores_for(feature_ids: list[int], scoring_model_id: int | None = None) -> dict[int, float]:
    """Feature id → current score value under the model; with no model, under each line's
    default — rescaled per model to 0 to 100 of that model's highest score here when the lines use
    different models, since a RICE score in the thousands and a WSJF score near 5 are not on one
    scale (one model for the whole run compares the raw scores)."""
    if scoring_model_id is not None:
        model = ScoringModel.objects.filter(pk=scoring_model_id).first()
        return current_scores(scoring_model=model, feature_ids=feature_ids)
    found = default_scores(feature_ids)
    if len({model_id for model_id, _ in found.values()}) <= 1:
        return {fid: value for fid, (_, value) in found.items()}
    highest: dict[int, float] = {}
    for model_id, value in found.values():
        highest[model_id] = max(highest.get(model_id, 0.0), value)
    return {
        fid: 100.0 * value / highest[model_id] if highest[model_id] > 0 else 0.0
        for fid, (model_id, value) in found.items()
    }


@dataclass
class PlanRow:
    feature: Feature
    value: float | None
    efforts: dict[int, float]
    needs: list[Dependency] = field(default_factory=list)
    needed_by: list[Dependency] = field(default_factory=list)
    may_change: bool = False


def planning_table(
    user: User, *, line_id: int | None = None, scoring_model_id: int | None = None
) -> list[PlanRow]:
    _signed_in(user)
    features = list(features_in_scope(line_id))
    ids = [f.pk for f in features]
    values = scores_for(ids, scoring_model_id)
    efforts: dict[int, dict[int, float]] = defaultdict(dict)
    for effort in Effort.objects.filter(feature_id__in=ids):
        efforts[effort.feature_id][effort.team_id] = effort.amount
    needs, needed_by = defaultdict(list), defaultdict(list)
    for dep in Dependency.objects.filter(feature_id__in=ids).select_related("needs"):
        needs[dep.feature_id].append(dep)
    for dep in Dependency.objects.filter(needs_id__in=ids).select_related("feature"):
        needed_by[dep.needs_id].append(dep)
    return [
        PlanRow(
            f,
            values.get(f.pk),
            efforts[f.pk],
            needs[f.pk],
            needed_by[f.pk],
            may_change_item(user, f),
        )
        for f in features
    ]


# For the operator (CLI): objects by id or by name -----------------------------------------------


def _named[M: (Team, ProductLine, Feature)](qs: QuerySet[M], text: str, label: str) -> M:
    text = text.strip()
    found = qs.filter(pk=int(text)) if text.isdigit() else qs.filter(name__iexact=text)
    matches = list(found[:2])
    if not matches:
        known = ", ".join(qs.order_by("name").values_list("name", flat=True)[:12])
        raise NotFound(f"There is no {label} {text!r} (e.g. {known}).")
    if len(matches) > 1:
        raise InvalidInput(f"Several {label}s are named {text!r}: give the id instead.")
    return matches[0]


def team_named(text: str) -> Team:
    return _named(Team.objects.all(), text, "team")


def line_named(text: str) -> ProductLine:
    return _named(ProductLine.objects.all(), text, "product line")


def feature_named(text: str) -> Feature:
    return _named(Feature.objects.all(), text, "feature")


@dataclass
class FeaturePlanning:
    efforts: list[Effort]
    needs: list[Dependency]
    needed_by: list[Dependency]
    scenario: Scenario | None  # the latest applied scenario, when the reader may see it
    period: str | None  # where that scenario placed the feature (None: left out / not in it)


def feature_planning(user: User, feature: Feature) -> FeaturePlanning:
    """The feature page's planning card (everyone signed in; the scenario for write roles)."""
    _signed_in(user)
    needs, needed_by = dependencies_of(feature)
    scenario = latest_applied() if may_read_scenarios(user) else None
    period = assignments(scenario).get(str(feature.pk)) if scenario else None
    return FeaturePlanning(efforts_of(feature), needs, needed_by, scenario, period)
