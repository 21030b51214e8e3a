"""REST endpoints of the surveys module: surveys, their answers, imports and results.

Answers in a batch (POST /surveys/{id}/responses) are all or nothing: a body of the wrong shape
answers 422, an answer that breaks a rule (a score off the scale, an unknown product) 400; both
name every bad item as ``responses.<index>.<field>``, and nothing is stored.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, PatchDict, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

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
from quarterdeck.surveys import responses, selectors, services
from quarterdeck.surveys.importing import ImportRejected, ImportReport, survey_import
from quarterdeck.surveys.metrics import Summary, score_group
from quarterdeck.surveys.models import Response, Survey
from quarterdeck.surveys.schemas import (
    ImportOut,
    ResponseOut,
    ResponsesIn,
    ResultsOut,
    StoredOut,
    SurveyIn,
    SurveyOut,
    SyncOut,
)

router = Router(tags=["surveys"])


def summary_out(summary: Summary) -> dict[str, Any]:
    fields = ("count", "value", "mean", "share_positive", "positive", "neutral", "negative")
    return {name: getattr(summary, name) for name in fields}


def _product(product: Any) -> dict[str, Any] | None:
    return None if product is None else {"id": product.pk, "name": product.name}


def _out(survey: Survey, response: HttpResponse | None = None) -> dict[str, Any]:
    if response is not None:
        response["ETag"] = etag(survey.version)
    fields = ("id", "name", "kind", "scale_min", "scale_max", "question", "event_name")
    more = ("event_survey_id", "score_property", "comment_property", "created_at", "version")
    return {
        **{f: getattr(survey, f) for f in (*fields, *more)},
        "product": _product(survey.product),
        "summary": summary_out(selectors.survey_summary(survey)),
    }


@router.get("/surveys", response={200: list[SurveyOut], **errors(403)})
@paginate(Pagination)
def survey_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every survey with its headline score over all its answers."""
    return [_out(s) for s in selectors.list_surveys(api_user(request))]


@router.post("/surveys", response={201: SurveyOut, **errors(400, 403)}, openapi_extra=etag_doc(201))
def survey_create(
    request: HttpRequest, payload: SurveyIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Leaders and admins; for a product's survey, also whoever may change the product."""
    survey = services.survey_create(actor=api_user(request), data=as_data(payload))
    return Status(201, _out(survey, response))


@router.post("/surveys/sync", response={202: SyncOut, **errors(403)})
def surveys_sync(request: HttpRequest) -> Status[dict[str, str]]:
    """Read survey answers from the stored events now, in the background (leaders and admins).
    The worker also does it after every compaction of new events."""
    task_id = services.surveys_sync_start(actor=api_user(request))
    return Status(202, {"task_id": task_id})


@router.get(
    "/surveys/{survey_id}",
    response={200: SurveyOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def survey_get(request: HttpRequest, survey_id: Id, response: HttpResponse) -> dict[str, Any]:
    return _out(selectors.access_survey(api_user(request), survey_id), response)


@router.patch(
    "/surveys/{survey_id}",
    response={200: SurveyOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def survey_patch(
    request: HttpRequest, survey_id: Id, payload: PatchDict[SurveyIn], response: HttpResponse
) -> dict[str, Any]:
    user = api_user(request)
    selectors.access_survey(user, survey_id, for_write=True)  # 403 before the If-Match check
    survey = services.survey_update(
        actor=user,
        survey_id=survey_id,
        data=as_data(payload),
        expected_version=if_match_version(request),
    )
    return _out(survey, response)


@router.delete(
    "/surveys/{survey_id}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def survey_delete(request: HttpRequest, survey_id: Id) -> Status[None]:
    """Delete the survey and all its answers."""
    user = api_user(request)
    selectors.access_survey(user, survey_id, for_write=True)
    services.survey_delete(
        actor=user, survey_id=survey_id, expected_version=if_match_version(request)
    )
    return no_content()


@router.post("/surveys/{survey_id}/responses", response={201: StoredOut, **errors(400, 403, 404)})
def responses_add(
    request: HttpRequest, survey_id: Id, payload: ResponsesIn
) -> Status[dict[str, int]]:
    """Add up to 1,000 answers, all or nothing; an answer whose external_id is known updates it."""
    items = [as_data(item) for item in payload.responses]
    for item in items:
        if not item["external_id"]:
            del item["external_id"]
    created, updated = responses.responses_add(
        actor=api_user(request), survey_id=survey_id, items=items
    )
    return Status(201, {"created": created, "updated": updated})


class ResponsesQuery(Schema):
    group: str | None = None


def _response_out(survey: Survey, answer: Response) -> dict[str, Any]:
    scale = selectors.scale_of(survey)
    fields = ("id", "score", "comment", "answered_at", "respondent", "account", "segment")
    return {
        **{f: getattr(answer, f) for f in (*fields, "stage", "source", "external_id")},
        "group": None if answer.score is None else score_group(survey.kind, scale, answer.score),
        "product": _product(answer.product),
    }


@router.get(
    "/surveys/{survey_id}/responses", response={200: list[ResponseOut], **errors(400, 403, 404)}
)
@paginate(Pagination)
def responses_list(
    request: HttpRequest, survey_id: Id, query: Query[ResponsesQuery]
) -> list[dict[str, Any]]:
    """Answers with their verbatims, newest first (members and up: customer data). ``group``:
    promoter / passive / detractor (NPS) or positive / neutral / negative (CSAT, CES)."""
    user = api_user(request)
    survey = selectors.access_survey(user, survey_id)
    answers = selectors.list_responses(user, survey_id, group=query.group)
    return [_response_out(survey, a) for a in answers]


class ResultsQuery(Schema):
    by: str = "period"
    grain: str = "month"
    start: dt.date | None = None
    end: dt.date | None = None


@router.get("/surveys/{survey_id}/results", response={200: ResultsOut, **errors(400, 403, 404)})
def survey_results(
    request: HttpRequest, survey_id: Id, query: Query[ResultsQuery]
) -> dict[str, Any]:
    """Scores by product, segment, journey stage or period (grain day / week / month / quarter,
    workspace calendar), between ``start`` and ``end`` (inclusive) when given."""
    survey, overall, rows = selectors.survey_results(
        api_user(request), survey_id, query.by, grain=query.grain, start=query.start, end=query.end
    )
    return {
        "survey_id": survey.pk,
        "kind": survey.kind,
        "by": query.by,
        "grain": query.grain,
        "overall": summary_out(overall),
        "groups": [{"key": r.key, **summary_out(r.summary)} for r in rows],
    }


def _import_out(report: ImportReport, message: str) -> dict[str, Any]:
    return {"message": message, **report.as_dict()}


@router.post(
    "/surveys/{survey_id}/import",
    response={200: ImportOut, 400: ImportOut, **errors(403, 404)},
    summary="Import answers from a CSV file through a column mapping",
)
def survey_import_csv(
    request: HttpRequest,
    survey_id: Id,
    file: File[UploadedFile],
    mapping: Form[str],
    date_format: Form[str] = "auto",
    skip_invalid: Form[bool] = False,
) -> Status[dict[str, Any]]:
    """``mapping``: a JSON object, CSV column → field (score, answered_at, comment, respondent,
    account, segment, stage, product, external_id). ``date_format``: auto, dayfirst,
    monthfirst or iso. With bad rows and ``skip_invalid`` false nothing is written (400 with
    every row's error); with it true the valid rows are written and the bad ones listed."""
    name = file.name or "upload.csv"
    try:
        report = survey_import(
            actor=api_user(request),
            survey_id=survey_id,
            content=file.read(),
            file=name,
            mapping=_mapping(mapping),
            date_format=date_format,
            skip_invalid=skip_invalid,
        )
    except ImportRejected as exc:
        return Status(400, _import_out(exc.report, exc.message))
    return Status(200, _import_out(report, f"Imported {report.created + report.updated} rows."))


def _mapping(raw: str) -> dict[str, str]:
    return json_mapping(raw, '{"NPS_SCORE": "score"}')
