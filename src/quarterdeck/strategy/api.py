"""REST API of the strategy module (vision, pillars, outcomes, check-ins, key results)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate

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
from quarterdeck.lib.errors import NotAllowed
from quarterdeck.lib.http import if_match_version
from quarterdeck.lib.pagination import Pagination
from quarterdeck.strategy import selectors, services
from quarterdeck.strategy.models import (
    CheckIn,
    KeyResult,
    KeyResultCheckIn,
    Outcome,
    Pillar,
    SignOff,
)
from quarterdeck.strategy.schemas import (
    AlignmentRowOut,
    CheckInIn,
    CheckInOut,
    KeyResultCheckInIn,
    KeyResultCheckInOut,
    KeyResultHistoryOut,
    KeyResultIn,
    KeyResultOut,
    OutcomeFilters,
    OutcomeIn,
    OutcomeNodeOut,
    OutcomeOut,
    PeriodFilter,
    PillarIn,
    PillarLinksIn,
    PillarOut,
    SignOffIn,
    SignOffOut,
    VisionIn,
    VisionOut,
)

router = Router(tags=["strategy"])

READ = errors(404)
CREATE = errors(400, 403, 404)
WRITE = errors(400, 403, 404, 412, 428)


def _body(payload: Any, *optional: str) -> dict[str, Any]:
    """The write body; ``optional`` fields sent as null are left to the service's default."""
    data = as_data(payload)
    return {k: v for k, v in data.items() if not (k in optional and v is None)}


# Vision ---------------------------------------------------------------------------------------


def _vision_out(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    user = api_user(request)
    found = tagged(response, selectors.vision(user))
    return {
        "statement": found.statement,
        "horizon": found.horizon,
        "cpo_id": found.cpo_id,
        "cpo_name": found.cpo.name if found.cpo is not None else None,
        "cto_id": found.cto_id,
        "cto_name": found.cto.name if found.cto is not None else None,
        "version": found.version,
        "updated_at": found.updated_at,
        "sign_offs": selectors.current_sign_offs(user),
    }


@router.get("/strategy/vision", response={200: VisionOut, **errors()}, openapi_extra=etag_doc(200))
def vision_get(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    return _vision_out(request, response)


@router.put("/strategy/vision", response={200: VisionOut, **WRITE}, openapi_extra=if_match_doc())
def vision_replace(request: HttpRequest, payload: VisionIn, response: HttpResponse) -> Any:
    actor = api_user(request)
    if not selectors.may_edit_strategy(actor):  # 403 before 428
        raise NotAllowed("Only leaders and admins change the vision.")
    services.vision_update(
        actor=actor, data=as_data(payload), expected_version=if_match_version(request)
    )
    return _vision_out(request, response)


@router.post("/strategy/vision/sign-offs", response={201: SignOffOut, **CREATE})
def vision_sign(request: HttpRequest, payload: SignOffIn) -> Status[SignOff]:
    """Sign the current version of the vision as its designated CPO or CTO (again: no-op)."""
    data = as_data(payload)
    sign_off = services.vision_sign(actor=api_user(request), role=data["role"], note=data["note"])
    return Status(201, sign_off)


# Pillars --------------------------------------------------------------------------------------


@router.get("/pillars", response={200: list[PillarOut], **errors()})
@paginate(Pagination)
def pillar_list(request: HttpRequest) -> QuerySet[Pillar]:
    return selectors.list_pillars(api_user(request))


@router.post("/pillars", response={201: PillarOut, **CREATE}, openapi_extra=etag_doc(201))
def pillar_create(request: HttpRequest, payload: PillarIn, response: HttpResponse) -> Any:
    pillar = services.pillar_create(actor=api_user(request), data=_body(payload, "position"))
    return Status(201, tagged(response, pillar))


@router.get("/pillars/{pillar_id}", response={200: PillarOut, **READ}, openapi_extra=etag_doc(200))
def pillar_get(request: HttpRequest, pillar_id: Id, response: HttpResponse) -> Pillar:
    return tagged(response, selectors.access_pillar(api_user(request), pillar_id))


@router.put(
    "/pillars/{pillar_id}", response={200: PillarOut, **WRITE}, openapi_extra=if_match_doc()
)
def pillar_replace(
    request: HttpRequest, pillar_id: Id, payload: PillarIn, response: HttpResponse
) -> Pillar:
    actor = api_user(request)
    selectors.access_pillar(actor, pillar_id, for_write=True)  # 404 and 403 before 428
    pillar = services.pillar_update(
        actor=actor,
        pillar_id=pillar_id,
        data=_body(payload, "position"),
        expected_version=if_match_version(request),
    )
    return tagged(response, pillar)


@router.delete(
    "/pillars/{pillar_id}", response={204: None, **WRITE}, openapi_extra=if_match_doc(None)
)
def pillar_delete(request: HttpRequest, pillar_id: Id) -> Status[None]:
    actor = api_user(request)
    selectors.access_pillar(actor, pillar_id, for_write=True)
    services.pillar_delete(
        actor=actor, pillar_id=pillar_id, expected_version=if_match_version(request)
    )
    return no_content()


@router.put(
    "/pillars/{pillar_id}/links", response={200: PillarOut, **WRITE}, openapi_extra=if_match_doc()
)
def pillar_links(
    request: HttpRequest, pillar_id: Id, payload: PillarLinksIn, response: HttpResponse
) -> Pillar:
    """Replace the product lines and products that serve the pillar."""
    actor = api_user(request)
    selectors.access_pillar(actor, pillar_id, for_write=True)
    pillar = services.pillar_links_set(
        actor=actor,
        pillar_id=pillar_id,
        line_ids=payload.line_ids,
        product_ids=payload.product_ids,
        expected_version=if_match_version(request),
    )
    return tagged(response, pillar)


# Outcomes -------------------------------------------------------------------------------------


@router.get("/outcomes", response={200: list[OutcomeOut], **errors()})
@paginate(Pagination)
def outcome_list(request: HttpRequest, filters: Query[OutcomeFilters]) -> QuerySet[Outcome]:
    return selectors.list_outcomes(api_user(request), **as_data(filters))


@router.post("/outcomes", response={201: OutcomeOut, **CREATE}, openapi_extra=etag_doc(201))
def outcome_create(request: HttpRequest, payload: OutcomeIn, response: HttpResponse) -> Any:
    data = _body(payload, "start", "end")
    outcome = services.outcome_create(actor=api_user(request), data=data)
    return Status(201, tagged(response, outcome))


@router.get("/outcomes/tree", response={200: list[OutcomeNodeOut], **errors()})
def outcome_tree(request: HttpRequest, filters: Query[PeriodFilter]) -> list[OutcomeNodeOut]:
    """Outcomes nested under the outcome they are aligned to, with their key results."""
    roots = selectors.outcome_tree(api_user(request), **as_data(filters))
    return [OutcomeNodeOut.of(root) for root in roots]


@router.post("/outcomes/refresh", response={200: dict[str, Any], **errors(403)})
def outcome_refresh(request: HttpRequest) -> dict[str, Any]:
    """Recompute every key result and outcome now (leaders and admins); the report."""
    from quarterdeck.strategy.refresh import refresh_outcomes

    if not selectors.may_edit_strategy(api_user(request)):
        raise NotAllowed("Only leaders and admins run the refresh by hand.")
    return refresh_outcomes().summary()


@router.get(
    "/outcomes/{outcome_id}", response={200: OutcomeOut, **READ}, openapi_extra=etag_doc(200)
)
def outcome_get(request: HttpRequest, outcome_id: Id, response: HttpResponse) -> Outcome:
    return tagged(response, selectors.access_outcome(api_user(request), outcome_id))


@router.put(
    "/outcomes/{outcome_id}", response={200: OutcomeOut, **WRITE}, openapi_extra=if_match_doc()
)
def outcome_replace(
    request: HttpRequest, outcome_id: Id, payload: OutcomeIn, response: HttpResponse
) -> Outcome:
    actor = api_user(request)
    selectors.access_outcome(actor, outcome_id, for_write=True)  # 404 and 403 before 428
    outcome = services.outcome_update(
        actor=actor,
        outcome_id=outcome_id,
        data=_body(payload, "start", "end"),
        expected_version=if_match_version(request),
    )
    return tagged(response, outcome)


@router.delete(
    "/outcomes/{outcome_id}", response={204: None, **WRITE}, openapi_extra=if_match_doc(None)
)
def outcome_delete(request: HttpRequest, outcome_id: Id) -> Status[None]:
    actor = api_user(request)
    selectors.access_outcome(actor, outcome_id, for_write=True)
    services.outcome_delete(
        actor=actor, outcome_id=outcome_id, expected_version=if_match_version(request)
    )
    return no_content()


@router.get("/outcomes/{outcome_id}/check-ins", response={200: list[CheckInOut], **READ})
@paginate(Pagination)
def check_in_list(request: HttpRequest, outcome_id: Id) -> QuerySet[CheckIn]:
    outcome = selectors.access_outcome(api_user(request), outcome_id)
    return selectors.outcome_check_ins(outcome)


@router.post("/outcomes/{outcome_id}/check-ins", response={201: CheckInOut, **CREATE})
def check_in_create(request: HttpRequest, outcome_id: Id, payload: CheckInIn) -> Any:
    actor = api_user(request)
    check_in = services.check_in_create(actor=actor, outcome_id=outcome_id, data=as_data(payload))
    return Status(201, check_in)


@router.get("/strategy/alignment", response={200: list[AlignmentRowOut], **errors()})
def alignment(request: HttpRequest, filters: Query[PeriodFilter]) -> list[AlignmentRowOut]:
    """Per pillar: its company outcomes, the outcomes aligned below them, the lines and
    products serving it; last, the outcomes that serve no pillar ("Unaligned")."""
    rows = selectors.alignment(api_user(request), **as_data(filters))
    return [AlignmentRowOut.of(row) for row in rows]


# Key results ----------------------------------------------------------------------------------


@router.get("/outcomes/{outcome_id}/key-results", response={200: list[KeyResultOut], **READ})
@paginate(Pagination)
def key_result_list(request: HttpRequest, outcome_id: Id) -> QuerySet[KeyResult]:
    outcome = selectors.access_outcome(api_user(request), outcome_id)
    return selectors.list_key_results(outcome)


@router.post(
    "/outcomes/{outcome_id}/key-results",
    response={201: KeyResultOut, **CREATE},
    openapi_extra=etag_doc(201),
)
def key_result_create(
    request: HttpRequest, outcome_id: Id, payload: KeyResultIn, response: HttpResponse
) -> Any:
    data = _body(payload, "direction", "start", "end", "position")
    kr = services.key_result_create(actor=api_user(request), outcome_id=outcome_id, data=data)
    return Status(201, tagged(response, kr))


@router.get(
    "/key-results/{kr_id}", response={200: KeyResultOut, **READ}, openapi_extra=etag_doc(200)
)
def key_result_get(request: HttpRequest, kr_id: Id, response: HttpResponse) -> KeyResult:
    return tagged(response, selectors.access_key_result(api_user(request), kr_id))


@router.put(
    "/key-results/{kr_id}", response={200: KeyResultOut, **WRITE}, openapi_extra=if_match_doc()
)
def key_result_replace(
    request: HttpRequest, kr_id: Id, payload: KeyResultIn, response: HttpResponse
) -> KeyResult:
    actor = api_user(request)
    selectors.access_key_result(actor, kr_id, for_write=True)  # 404 and 403 before 428
    kr = services.key_result_update(
        actor=actor,
        kr_id=kr_id,
        data=_body(payload, "direction", "position"),
        expected_version=if_match_version(request),
    )
    return tagged(response, kr)


@router.delete(
    "/key-results/{kr_id}", response={204: None, **WRITE}, openapi_extra=if_match_doc(None)
)
def key_result_delete(request: HttpRequest, kr_id: Id) -> Status[None]:
    actor = api_user(request)
    selectors.access_key_result(actor, kr_id, for_write=True)
    services.key_result_delete(actor=actor, kr_id=kr_id, expected_version=if_match_version(request))
    return no_content()


@router.get("/key-results/{kr_id}/check-ins", response={200: list[KeyResultCheckInOut], **READ})
@paginate(Pagination)
def kr_check_in_list(request: HttpRequest, kr_id: Id) -> QuerySet[KeyResultCheckIn]:
    kr = selectors.access_key_result(api_user(request), kr_id)
    return selectors.key_result_check_ins(kr)


@router.post("/key-results/{kr_id}/check-ins", response={201: KeyResultCheckInOut, **CREATE})
def kr_check_in_create(request: HttpRequest, kr_id: Id, payload: KeyResultCheckInIn) -> Any:
    data = _body(payload, "day")
    check_in = services.key_result_check_in(actor=api_user(request), kr_id=kr_id, data=data)
    return Status(201, check_in)


@router.get(
    "/key-results/{kr_id}/history",
    response={200: KeyResultHistoryOut, **READ},
    openapi_extra=etag_doc(200),
)
def key_result_history(request: HttpRequest, kr_id: Id, response: HttpResponse) -> KeyResult:
    """The value history behind the chart, with the computed fields and what is measured."""
    return tagged(response, selectors.access_key_result(api_user(request), kr_id))
