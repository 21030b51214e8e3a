"""REST API of planning: team capacities, efforts, dependencies, scenarios (run, read, rename,
delete, apply, compare) and the optimizer instance built from the database."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from quarterdeck.lib.api_edge import (
    Id,
    api_user,
    errors,
    etag_doc,
    if_match_doc,
    no_content,
)
from quarterdeck.lib.http import etag, if_match_version
from quarterdeck.portfolio.selectors import access_feature
from quarterdeck.roadmap import planning, scenario_selectors, scenarios
from quarterdeck.roadmap import planning_selectors as selectors
from quarterdeck.roadmap.models import Dependency, Scenario, TeamCapacity
from quarterdeck.roadmap.planning_schemas import (
    ApplyOut,
    CapacityIn,
    CapacityOut,
    CapacityQuery,
    CompareOut,
    CompareQuery,
    DependencyIn,
    DependencyOut,
    DependencyQuery,
    EffortsIn,
    EffortsOut,
    InstanceQuery,
    ScenarioBrief,
    ScenarioIn,
    ScenarioOut,
    ScenarioPatch,
)
from quarterdeck.roadmap.scenario_instance import instance_for

router = Router(tags=["roadmap"])


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def _capacity_out(row: TeamCapacity, response: HttpResponse | None = None) -> dict[str, Any]:
    if response is not None:
        response["ETag"] = etag(row.version)
    return {
        "team": _ref(row.team),
        "period": row.period,
        "capacity": row.capacity,
        "unit": row.unit,
        "version": row.version,
    }


def _periods(raw: str) -> list[str] | None:
    return [p.strip() for p in raw.split(",") if p.strip()] or None


@router.get("/roadmap/capacities", response={200: list[CapacityOut], **errors(403)})
def capacity_list(request: HttpRequest, query: Query[CapacityQuery]) -> list[dict[str, Any]]:
    """Every team's capacity per quarter (everyone signed in)."""
    rows = selectors.list_capacities(api_user(request), periods=_periods(query.periods))
    return [_capacity_out(row) for row in rows]


@router.get(
    "/roadmap/capacities/{team_id}/{period}",
    response={200: CapacityOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def capacity_get(
    request: HttpRequest, team_id: Id, period: str, response: HttpResponse
) -> dict[str, Any]:
    return _capacity_out(selectors.access_capacity(api_user(request), team_id, period), response)


def _optional_if_match(request: HttpRequest) -> int | None:
    return if_match_version(request) if "If-Match" in request.headers else None


@router.put(
    "/roadmap/capacities/{team_id}/{period}",
    response={200: CapacityOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def capacity_put(
    request: HttpRequest, team_id: Id, period: str, payload: CapacityIn, response: HttpResponse
) -> dict[str, Any]:
    """Set a team's capacity in a quarter (leaders and admins). Creating needs no If-Match;
    changing an existing one does."""
    row = planning.capacity_set(
        actor=api_user(request),
        team_id=team_id,
        period=period,
        capacity=payload.capacity,
        unit=payload.unit,
        expected_version=_optional_if_match(request),
        version_required=True,
    )
    return _capacity_out(row, response)


def _efforts_out(request: HttpRequest, feature_id: int) -> dict[str, Any]:
    feature = access_feature(api_user(request), feature_id)
    rows = [{"team": _ref(e.team), "amount": e.amount} for e in selectors.efforts_of(feature)]
    return {"feature": _ref(feature), "efforts": rows}


@router.get(
    "/roadmap/features/{feature_id}/efforts", response={200: EffortsOut, **errors(403, 404)}
)
def efforts_get(request: HttpRequest, feature_id: Id) -> dict[str, Any]:
    """The initiative's effort per team (everyone signed in)."""
    return _efforts_out(request, feature_id)


@router.put(
    "/roadmap/features/{feature_id}/efforts", response={200: EffortsOut, **errors(400, 403, 404)}
)
def efforts_put(request: HttpRequest, feature_id: Id, payload: EffortsIn) -> dict[str, Any]:
    """Replace the initiative's effort per team (whoever may change the feature)."""
    planning.effort_set(actor=api_user(request), feature_id=feature_id, efforts=payload.efforts)
    return _efforts_out(request, feature_id)


def _dependency_out(dep: Dependency) -> dict[str, Any]:
    return {
        "id": dep.pk,
        "feature": _ref(dep.feature),
        "needs": _ref(dep.needs),
        "created_at": dep.created_at,
    }


@router.get("/roadmap/dependencies", response={200: list[DependencyOut], **errors(403)})
def dependency_list(request: HttpRequest, query: Query[DependencyQuery]) -> list[dict[str, Any]]:
    deps = selectors.list_dependencies(api_user(request), feature_id=query.feature_id)
    return [_dependency_out(dep) for dep in deps]


@router.post("/roadmap/dependencies", response={201: DependencyOut, **errors(400, 403, 404)})
def dependency_create(request: HttpRequest, payload: DependencyIn) -> Status[dict[str, Any]]:
    """``feature_id`` needs ``needs_id`` (whoever may change the feature); a cycle is refused
    with the cycle named."""
    dep = planning.dependency_add(
        actor=api_user(request), feature_id=payload.feature_id, needs_id=payload.needs_id
    )
    return Status(201, _dependency_out(dep))


@router.delete("/roadmap/dependencies/{dependency_id}", response={204: None, **errors(403, 404)})
def dependency_delete(request: HttpRequest, dependency_id: Id) -> Status[None]:
    planning.dependency_remove(actor=api_user(request), dependency_id=dependency_id)
    return no_content()


def scenario_brief(scenario: Scenario) -> dict[str, Any]:
    result = scenario.result
    return {
        "id": scenario.pk,
        "name": scenario.name,
        "notes": scenario.notes,
        "line": _ref(scenario.line),
        "periods": scenario.options.get("periods", []),
        "status": scenario.status,
        "value": scenario.value,
        "greedy_value": result.get("greedy_value"),
        "gap": scenario.gap,
        "chosen": len(result.get("plan") or []),
        "applied": result.get("applied"),
        "created_by": scenario.created_by.email if scenario.created_by else None,
        "created_at": scenario.created_at,
        "version": scenario.version,
    }


def _scenario_out(scenario: Scenario, response: HttpResponse) -> dict[str, Any]:
    response["ETag"] = etag(scenario.version)
    return {**scenario_brief(scenario), "options": scenario.options, "result": scenario.result}


@router.get("/roadmap/scenarios", response={200: list[ScenarioBrief], **errors(403)})
def scenario_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Saved optimizer runs, newest first (members and up)."""
    return [scenario_brief(s) for s in selectors.list_scenarios(api_user(request))]


@router.post(
    "/roadmap/scenarios",
    response={201: ScenarioOut, **errors(400, 403)},
    openapi_extra=etag_doc(201),
)
def scenario_create(
    request: HttpRequest, payload: ScenarioIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Run the optimizer on the portfolio as it is now and save the scenario (members and up)."""
    options = payload.model_dump(exclude={"name"}, exclude_none=True)
    scenario = scenarios.scenario_run(actor=api_user(request), name=payload.name, options=options)
    return Status(201, _scenario_out(scenario, response))


@router.get("/roadmap/scenarios/compare", response={200: CompareOut, **errors(403, 404)})
def scenario_compare(request: HttpRequest, query: Query[CompareQuery]) -> dict[str, Any]:
    """Two to five scenarios side by side."""
    ids = [int(pk) for pk in query.ids.split(",")]
    found = scenario_selectors.scenario_compare(api_user(request), ids)
    return {
        "scenarios": [scenario_brief(s) for s in found.scenarios],
        "periods": found.periods,
        "teams": found.teams,
        "initiatives": found.rows,
    }


@router.get(
    "/roadmap/scenarios/{scenario_id}",
    response={200: ScenarioOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def scenario_get(request: HttpRequest, scenario_id: Id, response: HttpResponse) -> dict[str, Any]:
    return _scenario_out(selectors.access_scenario(api_user(request), scenario_id), response)


@router.patch(
    "/roadmap/scenarios/{scenario_id}",
    response={200: ScenarioOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def scenario_patch(
    request: HttpRequest, scenario_id: Id, payload: ScenarioPatch, response: HttpResponse
) -> dict[str, Any]:
    """Rename it or change its notes (its creator, leaders, admins)."""
    scenario = scenarios.scenario_update(
        actor=api_user(request),
        scenario_id=scenario_id,
        data=payload.model_dump(exclude_unset=True),
        expected_version=if_match_version(request),
    )
    return _scenario_out(scenario, response)


@router.delete(
    "/roadmap/scenarios/{scenario_id}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def scenario_delete(request: HttpRequest, scenario_id: Id) -> Status[None]:
    scenarios.scenario_delete(
        actor=api_user(request), scenario_id=scenario_id, expected_version=if_match_version(request)
    )
    return no_content()


@router.post(
    "/roadmap/scenarios/{scenario_id}/apply", response={200: ApplyOut, **errors(400, 403, 404)}
)
def scenario_apply(request: HttpRequest, scenario_id: Id) -> dict[str, Any]:
    """Put the plan on the roadmap: first quarter → now, second → next, later ones → later,
    with the quarters' dates. Refused as a whole if you may not change one of its features."""
    placed = scenarios.scenario_apply(actor=api_user(request), scenario_id=scenario_id)
    return {"scenario_id": scenario_id, "placed": placed}


def _id_list(raw: str) -> list[int]:
    return [int(pk) for pk in raw.split(",") if pk]


@router.get("/roadmap/instance", response={200: dict[str, Any], **errors(400, 403)})
def instance_get(request: HttpRequest, query: Query[InstanceQuery]) -> dict[str, Any]:
    """The JSON instance the optimizer would see (docs/optimizer.md), to run `quarterdeck
    roadmap optimize` on exported data (members and up)."""
    options = {
        "periods": _periods(query.periods),
        "line_id": query.line_id,
        "scoring_model_id": query.scoring_model_id,
        "excluded": _id_list(query.excluded),
        "must_have": _id_list(query.must_have),
    }
    return instance_for(api_user(request), options)
