"""REST API of lifecycle gates: exit criteria, an item's gate status, checklist ticks, stage
moves (with a leader's override) and sunset plans with their affected accounts."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import PatchDict, Query, Router, Schema, Status

from quarterdeck.accounts.models import User
from quarterdeck.launches import gate_criteria, gate_selectors, gates, sunset
from quarterdeck.launches.gates_schemas import (
    CriterionIn,
    CriterionOut,
    CriterionPatch,
    GatedType,
    GateOut,
    InstalledOut,
    MoveOut,
    RequirementOut,
    StageMoveIn,
    SunsetIn,
    SunsetOut,
    SunsetPatch,
    TickIn,
)
from quarterdeck.launches.models import GateCriterion, GateOverride, SunsetPlan
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
from quarterdeck.lib.http import if_match_version
from quarterdeck.portfolio.models import StageChange
from quarterdeck.revenue.selectors import may_read_revenue

router = Router(tags=["launches"])


class CriteriaQuery(Schema):
    applies_to: GatedType | None = None
    stage: str | None = None


@router.get("/gates/requirements", response={200: list[RequirementOut], **errors(403)})
def requirements_list(request: HttpRequest) -> list[dict[str, str]]:
    """The data checks a "required" criterion may name."""
    return gate_selectors.list_requirements(api_user(request))


@router.get("/gates/criteria", response={200: list[CriterionOut], **errors(403)})
def criteria_list(request: HttpRequest, query: Query[CriteriaQuery]) -> list[GateCriterion]:
    """Exit criteria by item type, stage and position (inactive ones included)."""
    return list(
        gate_selectors.list_criteria(
            api_user(request), applies_to=query.applies_to, stage=query.stage
        )
    )


@router.post(
    "/gates/criteria",
    response={201: CriterionOut, **errors(400, 403)},
    openapi_extra=etag_doc(201),
)
def criterion_create(
    request: HttpRequest, payload: CriterionIn, response: HttpResponse
) -> Status[GateCriterion]:
    """Add an exit criterion (leaders and admins)."""
    data = {k: v for k, v in as_data(payload).items() if v is not None}
    criterion = gate_criteria.criterion_create(actor=api_user(request), data=data)
    return Status(201, tagged(response, criterion))


@router.post("/gates/criteria/install-defaults", response={200: InstalledOut, **errors(403)})
def criteria_install_defaults(request: HttpRequest) -> dict[str, int]:
    """Add the recommended criteria that are missing (leaders and admins; idempotent)."""
    return {"added": gate_criteria.criteria_install_defaults(actor=api_user(request))}


@router.get(
    "/gates/criteria/{criterion_id}",
    response={200: CriterionOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def criterion_get(request: HttpRequest, criterion_id: Id, response: HttpResponse) -> GateCriterion:
    return tagged(response, gate_selectors.access_gate_criterion(api_user(request), criterion_id))


@router.patch(
    "/gates/criteria/{criterion_id}",
    response={200: CriterionOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def criterion_patch(
    request: HttpRequest,
    criterion_id: Id,
    payload: PatchDict[CriterionPatch],
    response: HttpResponse,
) -> GateCriterion:
    """Change a criterion; ``active: false`` retires it and keeps its ticks."""
    user = api_user(request)
    gate_selectors.access_gate_criterion(user, criterion_id, for_write=True)  # 403 before 428
    criterion = gate_criteria.criterion_update(
        actor=user,
        criterion_id=criterion_id,
        data=as_data(payload),
        expected_version=if_match_version(request),
    )
    return tagged(response, criterion)


@router.delete(
    "/gates/criteria/{criterion_id}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def criterion_delete(request: HttpRequest, criterion_id: Id) -> Status[None]:
    """Delete a criterion and its ticks."""
    user = api_user(request)
    gate_selectors.access_gate_criterion(user, criterion_id, for_write=True)
    gate_criteria.criterion_delete(
        actor=user, criterion_id=criterion_id, expected_version=if_match_version(request)
    )
    return no_content()


# An item's gate -------------------------------------------------------------------------------


def _tick_out(status: gates.CriterionStatus) -> dict[str, Any] | None:
    tick = status.tick
    if tick is None:
        return None
    return {"done": tick.done, "note": tick.note, "by": str(tick.actor or "system"), "at": tick.at}


def gate_out(status: gates.GateStatus) -> dict[str, Any]:
    return {
        "item_type": status.item_type,
        "item_id": status.item_id,
        "stage": status.stage,
        "next_stage": status.next_stage,
        "all_met": status.all_met,
        "criteria": [
            {"criterion": c.criterion, "met": c.met, "reason": c.reason, "tick": _tick_out(c)}
            for c in status.criteria
        ],
    }


def _gate(user: User, item_type: str, item_id: int) -> dict[str, Any]:
    return gate_out(gates.gate_status(gate_selectors.access_item(user, item_type, item_id)))


@router.get("/features/{feature_id}/gate", response={200: GateOut, **errors(403, 404)})
def feature_gate(request: HttpRequest, feature_id: Id) -> dict[str, Any]:
    """The exit criteria of the feature's current stage, met or not (with the reason)."""
    return _gate(api_user(request), "feature", feature_id)


@router.get("/products/{product_id}/gate", response={200: GateOut, **errors(403, 404)})
def product_gate(request: HttpRequest, product_id: Id) -> dict[str, Any]:
    return _gate(api_user(request), "product", product_id)


def _tick(
    user: User, item_type: str, item_id: int, criterion_id: int, payload: TickIn
) -> dict[str, Any]:
    item = gate_selectors.access_item(user, item_type, item_id, for_write=True)
    gate_criteria.tick_set(
        actor=user, item=item, criterion_id=criterion_id, done=payload.done, note=payload.note
    )
    return gate_out(gates.gate_status(item))


@router.put(
    "/features/{feature_id}/gate/ticks/{criterion_id}",
    response={200: GateOut, **errors(400, 403, 404)},
)
def feature_tick(
    request: HttpRequest, feature_id: Id, criterion_id: Id, payload: TickIn
) -> dict[str, Any]:
    """Tick (``done: true``) or untick a checklist criterion; answers the gate."""
    return _tick(api_user(request), "feature", feature_id, criterion_id, payload)


@router.put(
    "/products/{product_id}/gate/ticks/{criterion_id}",
    response={200: GateOut, **errors(400, 403, 404)},
)
def product_tick(
    request: HttpRequest, product_id: Id, criterion_id: Id, payload: TickIn
) -> dict[str, Any]:
    return _tick(api_user(request), "product", product_id, criterion_id, payload)


def move_out(change: StageChange) -> dict[str, Any]:
    override = GateOverride.objects.filter(stage_change=change).first()
    return {
        "id": change.pk,
        "item_type": change.item_type,
        "item_id": change.item_id,
        "from_stage": change.from_stage,
        "to_stage": change.to_stage,
        "reason": change.reason,
        "by": str(change.actor) if change.actor else None,
        "at": change.at,
        "overridden": override.unmet if override else None,
    }


def _move(user: User, item_type: str, item_id: int, payload: StageMoveIn) -> Status[dict[str, Any]]:
    change = gates.stage_move(
        actor=user,
        item_type=item_type,
        item_id=item_id,
        to_stage=payload.to_stage,
        reason=payload.reason,
        override=payload.override,
        expected_version=payload.version,
    )
    return Status(201, move_out(change))


@router.post("/features/{feature_id}/stage", response={201: MoveOut, **errors(400, 403, 404, 412)})
def feature_move(
    request: HttpRequest, feature_id: Id, payload: StageMoveIn
) -> Status[dict[str, Any]]:
    """Move the feature to another stage with a reason. Forward moves must meet the exit
    criteria of the stages left (400 lists each unmet one under ``fields.stage``); leaders and
    admins may pass ``override: true`` with a reason."""
    return _move(api_user(request), "feature", feature_id, payload)


@router.post("/products/{product_id}/stage", response={201: MoveOut, **errors(400, 403, 404, 412)})
def product_move(
    request: HttpRequest, product_id: Id, payload: StageMoveIn
) -> Status[dict[str, Any]]:
    return _move(api_user(request), "product", product_id, payload)


# Sunset plans ---------------------------------------------------------------------------------


def sunset_out(user: User, plan: SunsetPlan) -> dict[str, Any]:
    item = gate_selectors.sunset_item(plan)
    successor = plan.successor
    return {
        **{name: getattr(plan, name) for name in SUNSET_FIELDS},
        "item_name": item.name,
        "successor": {"id": successor.pk, "name": successor.name} if successor else None,
        "affected": sunset.affected_rows(plan, with_mrr=may_read_revenue(user)),
    }


SUNSET_FIELDS = (
    "id", "item_type", "item_id", "migration_path", "announce_on", "read_only_on",
    "shutdown_on", "usage_days", "affected_computed_at", "version",
)  # fmt: skip


@router.get("/sunset-plans", response={200: list[SunsetOut], **errors(403)})
def sunset_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every sunset plan, by shutdown date. MRR only for who may read revenue."""
    user = api_user(request)
    return [sunset_out(user, plan) for plan in gate_selectors.list_sunset_plans(user)]


@router.post(
    "/sunset-plans", response={201: SunsetOut, **errors(400, 403, 404)}, openapi_extra=etag_doc(201)
)
def sunset_create(
    request: HttpRequest, payload: SunsetIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Write the sunset plan of a feature or product (who may change the item); one per item."""
    user = api_user(request)
    data = as_data(payload)
    item = gate_selectors.access_item(
        user, data.pop("item_type"), data.pop("item_id"), for_write=True
    )
    plan = sunset.sunset_create(actor=user, item=item, data=data)
    return Status(201, sunset_out(user, tagged(response, plan)))


@router.get(
    "/sunset-plans/{plan_id}",
    response={200: SunsetOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def sunset_get(request: HttpRequest, plan_id: Id, response: HttpResponse) -> dict[str, Any]:
    user = api_user(request)
    return sunset_out(user, tagged(response, gate_selectors.access_sunset_plan(user, plan_id)))


@router.patch(
    "/sunset-plans/{plan_id}",
    response={200: SunsetOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def sunset_patch(
    request: HttpRequest, plan_id: Id, payload: PatchDict[SunsetPatch], response: HttpResponse
) -> dict[str, Any]:
    user = api_user(request)
    gate_selectors.access_sunset_plan(user, plan_id, for_write=True)
    plan = sunset.sunset_update(
        actor=user,
        plan_id=plan_id,
        data=as_data(payload),
        expected_version=if_match_version(request),
    )
    return sunset_out(user, tagged(response, plan))


@router.delete(
    "/sunset-plans/{plan_id}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def sunset_delete(request: HttpRequest, plan_id: Id) -> Status[None]:
    user = api_user(request)
    gate_selectors.access_sunset_plan(user, plan_id, for_write=True)
    sunset.sunset_delete(actor=user, plan_id=plan_id, expected_version=if_match_version(request))
    return no_content()


@router.post("/sunset-plans/{plan_id}/recompute", response={200: SunsetOut, **errors(403, 404)})
def sunset_recompute(request: HttpRequest, plan_id: Id, response: HttpResponse) -> dict[str, Any]:
    """Compute the affected accounts again from the usage data of the look-back window."""
    user = api_user(request)
    plan = sunset.sunset_recompute(actor=user, plan_id=plan_id)
    return sunset_out(user, tagged(response, plan))


@router.get(
    "/sunset-plans/{plan_id}/affected.csv",
    response={200: str, **errors(403, 404)},
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def sunset_affected_csv(request: HttpRequest, plan_id: Id) -> HttpResponse:
    """The affected accounts as CSV (the MRR column only for who may read revenue)."""
    user = api_user(request)
    plan = gate_selectors.access_sunset_plan(user, plan_id)
    body = sunset.affected_csv(plan, with_mrr=may_read_revenue(user))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sunset-{plan.pk}-affected.csv"'
    return response
