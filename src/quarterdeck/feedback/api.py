"""The feedback API: items, imports, duplicates (this module), portals (portal_api.py).

Links, themes, demand and close-the-loop live in insight_api.py. Submitters' contacts
(name, e-mail, account) are null for those who may not see them: viewers and contributors,
except on the items they added themselves.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, PatchDict, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from quarterdeck.accounts.models import User
from quarterdeck.feedback import duplicates, selectors, services
from quarterdeck.feedback.importing import ImportRejected, feedback_import_csv
from quarterdeck.feedback.models import DuplicateCandidate, FeedbackItem
from quarterdeck.feedback.pipeline import model_notice
from quarterdeck.feedback.portal_api import router as portal_router
from quarterdeck.feedback.schemas import (
    CandidateOut,
    CreatedOut,
    FeedbackIn,
    FeedbackOut,
    FeedbackPatch,
    FeedbackQuery,
    ImportOut,
    SurveyImportIn,
)
from quarterdeck.lib.api_edge import (
    Id,
    api_user,
    as_data,
    errors,
    etag_doc,
    if_match_doc,
    json_mapping,
    no_content,
)
from quarterdeck.lib.http import etag, if_match_version
from quarterdeck.lib.pagination import Pagination
from quarterdeck.surveys.importing import ImportReport

router = Router(tags=["feedback"])
router.add_router("/", portal_router)
CONTACTS = ("submitter_name", "submitter_email", "account", "account_name")


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def item_out(
    user: User, item: FeedbackItem, response: HttpResponse | None = None
) -> dict[str, Any]:
    if response is not None:
        response["ETag"] = etag(item.version)
    shown = selectors.may_see_contacts(user, item)
    plain = ("id", "text", "source", "external_id", "segment", "received_at", "tags", "status")
    more = ("sentiment", "sentiment_score", "theme_score", "duplicate_of_id", "votes", "public")
    last = ("model_truncated", "processed_at", "created_at", "version")
    out = {name: getattr(item, name) for name in (*plain, *more, *last)}
    return {
        **out,
        **{name: getattr(item, name) if shown else None for name in CONTACTS},
        "duplicate_of": out.pop("duplicate_of_id"),
        "product": _ref(item.product),
        "line": _ref(item.line),
        "theme": _ref(item.theme),
        "notice": model_notice(item),
    }


def _filters(query: FeedbackQuery) -> selectors.FeedbackFilters:
    given = {name: value for name, value in query.model_dump().items() if value is not None}
    return selectors.FeedbackFilters(**given)


@router.get("/feedback", response={200: list[FeedbackOut], **errors(403)})
@paginate(Pagination)
def feedback_list(request: HttpRequest, query: Query[FeedbackQuery]) -> list[dict[str, Any]]:
    """The inbox, newest first, filtered."""
    user = api_user(request)
    items = selectors.list_feedback(user, _filters(query))
    return [item_out(user, item) for item in items]


@router.post(
    "/feedback", response={201: FeedbackOut, **errors(400, 403)}, openapi_extra=etag_doc(201)
)
def feedback_create(
    request: HttpRequest, payload: FeedbackIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Add one item (everyone but viewers); it is embedded, checked for duplicates, themed and
    given link suggestions before the answer."""
    user = api_user(request)
    item = services.feedback_create(actor=user, data=as_data(payload))
    return Status(201, item_out(user, item, response))


def _import_out(report: ImportReport, message: str) -> dict[str, Any]:
    return {"message": message, **report.as_dict()}


def _mapping(raw: str) -> dict[str, str]:
    return json_mapping(raw, '{"Comment": "text"}')


@router.post(
    "/feedback/import",
    response={200: ImportOut, 400: ImportOut, **errors(403)},
    summary="Import feedback from a CSV file through a column mapping",
)
def feedback_import(
    request: HttpRequest,
    file: File[UploadedFile],
    mapping: Form[str],
    date_format: Form[str] = "auto",
    skip_invalid: Form[bool] = False,
) -> Status[dict[str, Any]]:
    """``mapping``: a JSON object, CSV column → field (text, product, account, account_name,
    submitter_name, submitter_email, received_at, tags, segment, source, external_id); only
    ``text`` is required. ``date_format``: auto, dayfirst, monthfirst or iso. With bad rows and
    ``skip_invalid`` false nothing is written (400 listing every row's error). Members and up."""
    try:
        report = feedback_import_csv(
            actor=api_user(request), file=file.read(), mapping=_mapping(mapping),
            date_format=date_format, skip_invalid=skip_invalid, name=file.name or "upload.csv",
        )  # fmt: skip
    except ImportRejected as exc:
        return Status(400, _import_out(exc.report, exc.message))
    done = report.created + report.updated
    return Status(200, _import_out(report, f"Imported {done} rows; they are being processed."))


@router.post("/feedback/import-surveys", response={200: CreatedOut, **errors(400, 403, 404)})
def feedback_import_surveys(request: HttpRequest, payload: SurveyImportIn) -> dict[str, int]:
    """Bring survey answers' comments into the inbox (members and up); answers already in it
    are left alone."""
    created = services.feedback_from_surveys(actor=api_user(request), survey_id=payload.survey_id)
    return {"created": created}


# Declared after /feedback/import…: a path parameter would match those words too.
@router.get(
    "/feedback/{item_id}",
    response={200: FeedbackOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def feedback_get(request: HttpRequest, item_id: Id, response: HttpResponse) -> dict[str, Any]:
    user = api_user(request)
    return item_out(user, selectors.access_feedback(user, item_id), response)


@router.patch(
    "/feedback/{item_id}",
    response={200: FeedbackOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def feedback_patch(
    request: HttpRequest, item_id: Id, payload: PatchDict[FeedbackPatch], response: HttpResponse
) -> dict[str, Any]:
    """Change an item (members and up; a contributor their own items, but not status or
    public). A new text is processed again."""
    user = api_user(request)
    item = selectors.access_feedback(user, item_id, for_write=True)  # 403 before If-Match
    item = services.feedback_update(
        actor=user, item=item, data=as_data(payload), expected_version=if_match_version(request)
    )
    return item_out(user, item, response)


@router.delete(
    "/feedback/{item_id}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def feedback_delete(request: HttpRequest, item_id: Id) -> Status[None]:
    user = api_user(request)
    item = selectors.access_feedback(user, item_id, for_write=True)
    services.feedback_delete(actor=user, item=item, expected_version=if_match_version(request))
    return no_content()


def candidate_out(candidate: DuplicateCandidate) -> dict[str, Any]:
    fields = ("id", "text", "received_at", "votes", "status")
    return {
        "id": candidate.pk,
        "item": {f: getattr(candidate.item, f) for f in fields},
        "original": {f: getattr(candidate.original, f) for f in fields},
        "score": candidate.score,
        "state": candidate.state,
    }


@router.get(
    "/feedback/{item_id}/duplicates", response={200: list[CandidateOut], **errors(403, 404)}
)
def feedback_duplicates(request: HttpRequest, item_id: Id) -> list[dict[str, Any]]:
    """Near-duplicates found for the item (either side of the pair), best first."""
    user = api_user(request)
    item = selectors.access_feedback(user, item_id)
    return [candidate_out(c) for c in selectors.duplicates_of_item(user, item)]


@router.post(
    "/feedback/duplicates/{candidate_id}/merge",
    response={200: FeedbackOut, **errors(400, 403, 404)},
)
def duplicate_merge(request: HttpRequest, candidate_id: Id) -> dict[str, Any]:
    """Merge the later item into the earlier: votes, submitters and links carried over.
    Answers with the original."""
    user = api_user(request)
    candidate = selectors.access_candidate(user, candidate_id, for_write=True)
    return item_out(user, duplicates.duplicate_merge(actor=user, candidate_or_items=candidate))


@router.post(
    "/feedback/duplicates/{candidate_id}/dismiss",
    response={200: CandidateOut, **errors(400, 403, 404)},
)
def duplicate_dismiss(request: HttpRequest, candidate_id: Id) -> dict[str, Any]:
    """Not a duplicate: never suggested again."""
    user = api_user(request)
    candidate = selectors.access_candidate(user, candidate_id, for_write=True)
    return candidate_out(duplicates.duplicate_dismiss(actor=user, candidate=candidate))
