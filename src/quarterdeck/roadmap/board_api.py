"""REST API of the roadmap board: items (with filters), entries (place, move, take off),
saved views, their share links, and exports (CSV, PNG, PDF)."""

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Status

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
from quarterdeck.roadmap import board as services
from quarterdeck.roadmap import board_pages, board_selectors, sharing
from quarterdeck.roadmap.board_schemas import (
    EntryIn,
    EntryMoveIn,
    EntryOut,
    ItemFilters,
    NewLinkOut,
    RoadmapFilters,
    RoadmapItemOut,
    ShareLinkIn,
    ShareLinkOut,
    ViewIn,
    ViewOut,
    ViewPatch,
)
from quarterdeck.roadmap.board_selectors import RoadmapItem
from quarterdeck.roadmap.board_validation import BoardFilters, clean_filters
from quarterdeck.roadmap.models import RoadmapEntry, RoadmapView, ShareLink

router = Router(tags=["roadmap"])

WRITE = errors(400, 403, 404, 412, 428)
ExportFormat = Literal["csv", "png", "pdf"]
FILE_DOC = {
    "responses": {
        200: {
            "description": "The file (text/csv, image/png or application/pdf).",
            "content": {"text/csv": {}, "image/png": {}, "application/pdf": {}},
        }
    }
}


def _filters(query: RoadmapFilters) -> BoardFilters:
    data = query.model_dump(exclude={"unplaced"})
    return clean_filters(data)


def item_data(item: RoadmapItem) -> dict[str, Any]:
    feature, entry = item.feature, item.entry
    return {
        "feature_id": feature.pk, "feature": feature.name, "product_id": feature.product_id,
        "product": feature.product.name, "line_id": item.line.pk, "line": item.line.name,
        "owner": feature.owner.name if feature.owner else None, "stage": feature.stage,
        "lane": item.lane, "position": entry.position if entry else None,
        "start": entry.start if entry else None, "end": entry.end if entry else None,
        "version": entry.version if entry else None, "score": item.score,
        "needs": [vars(need) for need in item.needs], "warnings": item.warnings,
        "may_change": item.may_change,
    }  # fmt: skip


def entry_data(entry: RoadmapEntry) -> dict[str, Any]:
    return {
        "feature_id": entry.feature_id, "feature": entry.feature.name, "lane": entry.lane,
        "position": entry.position, "start": entry.start, "end": entry.end,
        "scenario_id": entry.scenario_id, "version": entry.version,
        "updated_at": entry.updated_at,
    }  # fmt: skip


# Items and entries ----------------------------------------------------------------------------


@router.get("/roadmap/items", response={200: list[RoadmapItemOut], **errors(400)})
def item_list(request: HttpRequest, query: Query[ItemFilters]) -> list[dict[str, Any]]:
    """The initiatives on the roadmap in lane order (now, next, later; then their position)."""
    items = board_selectors.roadmap_items(
        api_user(request), filters=_filters(query), include_unplaced=query.unplaced
    )
    return [item_data(item) for item in items]


@router.get(
    "/roadmap/entries/{feature_id}",
    response={200: EntryOut, **errors(404)},
    openapi_extra=etag_doc(200),
)
def entry_get(request: HttpRequest, feature_id: Id, response: HttpResponse) -> dict[str, Any]:
    """Where one initiative sits on the roadmap (404 when it is not on it)."""
    entry = board_selectors.access_feature_entry(api_user(request), feature_id)
    return entry_data(tagged(response, entry))


@router.put(
    "/roadmap/entries/{feature_id}",
    response={200: EntryOut, **WRITE},
    openapi_extra=if_match_doc(),
)
def entry_put(
    request: HttpRequest, feature_id: Id, payload: EntryIn, response: HttpResponse
) -> dict[str, Any]:
    """Place an initiative (If-Match: "0" when it is not on the roadmap yet)."""
    data = as_data(payload)
    entry = services.entry_place(
        actor=api_user(request), feature_id=feature_id, lane=data["lane"],
        position=data["position"], start=payload.start, end=payload.end,
        expected_version=_expected(request), keep_dates=False,
    )  # fmt: skip
    return entry_data(tagged(response, entry))


def _expected(request: HttpRequest) -> int:
    """If-Match is required; "0" means "I expect it not to be on the roadmap yet" (so it is a
    conflict when it is)."""
    return if_match_version(request)


@router.post(
    "/roadmap/entries/{feature_id}/move",
    response={200: EntryOut, **WRITE},
    openapi_extra=if_match_doc(),
)
def entry_move(
    request: HttpRequest, feature_id: Id, payload: EntryMoveIn, response: HttpResponse
) -> dict[str, Any]:
    """Move a card: ``to`` a lane or up/down, or to ``lane`` at ``position``."""
    actor, version = api_user(request), _expected(request)
    if payload.to is not None:
        entry = services.entry_move(
            actor=actor, feature_id=feature_id, to=payload.to, expected_version=version
        )
    else:
        entry = services.entry_place(
            actor=actor, feature_id=feature_id, lane=payload.lane or "", position=payload.position,
            before_feature_id=payload.before_feature_id, expected_version=version,
        )  # fmt: skip
    return entry_data(tagged(response, entry))


@router.delete(
    "/roadmap/entries/{feature_id}",
    response={204: None, **WRITE},
    openapi_extra=if_match_doc(None),
)
def entry_delete(request: HttpRequest, feature_id: Id) -> Status[None]:
    """Take an initiative off the roadmap."""
    actor = api_user(request)
    services.entry_remove(actor=actor, feature_id=feature_id, expected_version=_expected(request))
    return no_content()


# Saved views ----------------------------------------------------------------------------------


def view_data(view: RoadmapView) -> dict[str, Any]:
    return {
        "id": view.pk, "name": view.name, "description": view.description,
        "layout": view.layout, "filters": view.filters, "shared": view.shared,
        "owner_id": view.owner_id, "owner": str(view.owner) if view.owner else None,
        "version": view.version, "created_at": view.created_at, "updated_at": view.updated_at,
    }  # fmt: skip


@router.get("/roadmap/views", response={200: list[ViewOut], **errors()})
def view_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [view_data(v) for v in board_selectors.list_roadmap_views(api_user(request))]


@router.post("/roadmap/views", response={201: ViewOut, **errors(400, 403)})
def view_create(request: HttpRequest, payload: ViewIn, response: HttpResponse) -> Any:
    view = services.view_create(actor=api_user(request), data=as_data(payload))
    return Status(201, view_data(tagged(response, view)))


@router.get(
    "/roadmap/views/{view_id}", response={200: ViewOut, **errors(404)}, openapi_extra=etag_doc(200)
)
def view_get(request: HttpRequest, view_id: Id, response: HttpResponse) -> dict[str, Any]:
    view = board_selectors.access_roadmap_view(api_user(request), view_id)
    return view_data(tagged(response, view))


@router.patch(
    "/roadmap/views/{view_id}", response={200: ViewOut, **WRITE}, openapi_extra=if_match_doc()
)
def view_update(
    request: HttpRequest, view_id: Id, payload: ViewPatch, response: HttpResponse
) -> dict[str, Any]:
    actor = api_user(request)
    board_selectors.access_roadmap_view(actor, view_id, for_write=True)  # 403 before 428
    data = payload.model_dump(mode="json", exclude_unset=True)
    view = services.view_update(
        actor=actor, view_id=view_id, data=data, expected_version=if_match_version(request)
    )
    return view_data(tagged(response, view))


@router.delete(
    "/roadmap/views/{view_id}", response={204: None, **WRITE}, openapi_extra=if_match_doc(None)
)
def view_delete(request: HttpRequest, view_id: Id) -> Status[None]:
    actor = api_user(request)
    board_selectors.access_roadmap_view(actor, view_id, for_write=True)
    services.view_delete(actor=actor, view_id=view_id, expected_version=if_match_version(request))
    return no_content()


@router.get("/roadmap/views/{view_id}/items", response={200: list[RoadmapItemOut], **errors(404)})
def view_items(request: HttpRequest, view_id: Id) -> list[dict[str, Any]]:
    """What the saved view shows (its filters applied)."""
    actor = api_user(request)
    view = board_selectors.access_roadmap_view(actor, view_id)
    items = board_selectors.roadmap_items(
        actor, filters=clean_filters(view.filters or {}), include_unplaced=False
    )
    return [item_data(item) for item in items]


# Share links ----------------------------------------------------------------------------------


def link_data(link: ShareLink) -> dict[str, Any]:
    return {
        "id": link.pk, "view_id": link.view_id, "label": link.label,
        "created_by": str(link.created_by) if link.created_by else None,
        "created_at": link.created_at, "expires_at": link.expires_at,
        "revoked_at": link.revoked_at, "last_used_at": link.last_used_at,
        "active": sharing.link_is_live(link),
    }  # fmt: skip


@router.get(
    "/roadmap/views/{view_id}/links", response={200: list[ShareLinkOut], **errors(403, 404)}
)
def link_list(request: HttpRequest, view_id: Id) -> list[dict[str, Any]]:
    return [
        link_data(link) for link in board_selectors.list_share_links(api_user(request), view_id)
    ]


@router.post("/roadmap/views/{view_id}/links", response={201: NewLinkOut, **errors(400, 403, 404)})
def link_create(request: HttpRequest, view_id: Id, payload: ShareLinkIn) -> Any:
    """A signed link to the view; the token is in this answer only."""
    link, token = services.link_create(
        actor=api_user(request), view_id=view_id, label=payload.label,
        expires_days=payload.expires_days,
    )  # fmt: skip
    path = reverse("share:view", args=[token])
    return Status(201, {**link_data(link), "token": token, "path": path})


@router.post("/roadmap/links/{link_id}/revoke", response={200: ShareLinkOut, **errors(403, 404)})
def link_revoke(request: HttpRequest, link_id: Id) -> dict[str, Any]:
    return link_data(services.link_revoke(actor=api_user(request), link_id=link_id))


# Exports --------------------------------------------------------------------------------------


@router.get(
    "/roadmap/export.{fmt}", response={200: None, **errors(400, 503)}, openapi_extra=FILE_DOC
)
def export(
    request: HttpRequest, fmt: ExportFormat, query: Query[RoadmapFilters],
    layout: Literal["board", "timeline"] = "board",
) -> HttpResponse:  # fmt: skip
    """The roadmap (filters as for items) as CSV, PNG or PDF."""
    filters = _filters(query)
    items = board_selectors.roadmap_items(
        api_user(request), filters=filters, include_unplaced=False
    )
    return board_pages.export_response(items, fmt, layout=layout, filters=filters, title="Roadmap")


@router.get(
    "/roadmap/views/{view_id}/export.{fmt}",
    response={200: None, **errors(400, 404, 503)},
    openapi_extra=FILE_DOC,
)
def view_export(request: HttpRequest, view_id: Id, fmt: ExportFormat) -> HttpResponse:
    actor = api_user(request)
    view = board_selectors.access_roadmap_view(actor, view_id)
    filters = clean_filters(view.filters or {})
    items = board_selectors.roadmap_items(actor, filters=filters, include_unplaced=False)
    return board_pages.export_response(
        items, fmt, layout=view.layout, filters=filters, title=view.name
    )
