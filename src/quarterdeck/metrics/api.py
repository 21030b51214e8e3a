"""REST endpoints of event sources: list, create, read, change, revoke, new key, warnings."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import PatchDict, Router, Status
from ninja.pagination import paginate

from quarterdeck.accounts.models import User
from quarterdeck.lib.api_edge import Id, api_user, as_data, errors, etag_doc, if_match_doc
from quarterdeck.lib.http import etag, if_match_version
from quarterdeck.lib.pagination import Pagination
from quarterdeck.metrics import selectors, services
from quarterdeck.metrics.models import IngestionWarning, Source
from quarterdeck.metrics.schemas import SourceIn, SourceOut, WarningOut

router = Router(tags=["event sources"])


def _out(user: User, source: Source, response: HttpResponse | None = None) -> dict[str, Any]:
    if response is not None:
        response["ETag"] = etag(source.version)
    return {
        **{f: getattr(source, f) for f in ("id", "name", "account_group_type", "key_hint")},
        **{f: getattr(source, f) for f in ("is_active", "created_at", "revoked_at", "version")},
        "products": [{"id": p.pk, "name": p.name} for p in source.products.all()],
        "write_key": source.write_key if selectors.may_manage_sources(user) else None,
    }


@router.get("/sources", response={200: list[SourceOut], **errors(403)})
@paginate(Pagination)
def source_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = api_user(request)
    return [_out(user, source) for source in selectors.list_sources(user)]


@router.post("/sources", response={201: SourceOut, **errors(400, 403)}, openapi_extra=etag_doc(201))
def source_create(
    request: HttpRequest, payload: SourceIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    user = api_user(request)
    source = services.source_create(actor=user, data=as_data(payload))
    return Status(201, _out(user, source, response))


@router.get(
    "/sources/{source_id}",
    response={200: SourceOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def source_get(request: HttpRequest, source_id: Id, response: HttpResponse) -> dict[str, Any]:
    user = api_user(request)
    return _out(user, selectors.access_source(user, source_id), response)


@router.patch(
    "/sources/{source_id}",
    response={200: SourceOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def source_patch(
    request: HttpRequest, source_id: Id, payload: PatchDict[SourceIn], response: HttpResponse
) -> dict[str, Any]:
    user = api_user(request)
    selectors.access_source(user, source_id, for_write=True)  # 403 before the If-Match check
    source = services.source_update(
        actor=user,
        source_id=source_id,
        data=as_data(payload),
        expected_version=if_match_version(request),
    )
    return _out(user, source, response)


@router.post("/sources/{source_id}/revoke", response={200: SourceOut, **errors(403, 404)})
def source_revoke(request: HttpRequest, source_id: Id) -> dict[str, Any]:
    """Revoke the write key: ingestion with it stops at once (401). Revoking twice is harmless."""
    user = api_user(request)
    return _out(user, services.source_revoke(actor=user, source_id=source_id))


@router.post("/sources/{source_id}/new-key", response={200: SourceOut, **errors(403, 404)})
def source_rotate(request: HttpRequest, source_id: Id) -> dict[str, Any]:
    """Replace the write key (and reactivate a revoked source); the old key stops at once."""
    user = api_user(request)
    return _out(user, services.source_rotate_key(actor=user, source_id=source_id))


@router.get("/sources/{source_id}/warnings", response={200: list[WarningOut], **errors(403, 404)})
def source_warnings(request: HttpRequest, source_id: Id) -> list[IngestionWarning]:
    """The latest ingestion warnings of the source (at most 100), newest first."""
    return list(selectors.list_warnings(api_user(request), source_id))
