"""REST endpoints of the analytics module: run an insight query, a product's analytics overview,
and saved insights. Results come as JSON, or as CSV with ``?format=csv`` or ``Accept: text/csv``
(the same writer as the page's download and `quarterdeck metrics run --format csv`)."""

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from quarterdeck.accounts.models import User
from quarterdeck.analytics import selectors, services
from quarterdeck.analytics.export import rows_csv
from quarterdeck.analytics.models import SavedInsight
from quarterdeck.analytics.queries import parse_query
from quarterdeck.analytics.schemas import (
    InsightIn,
    InsightOut,
    InsightPatchIn,
    InsightQueryIn,
    OverviewOut,
    RunOut,
)
from quarterdeck.analytics.services import InsightOutcome
from quarterdeck.lib.api_edge import Id, api_user, errors, etag_doc, if_match_doc, no_content
from quarterdeck.lib.http import etag, if_match_version
from quarterdeck.lib.pagination import Pagination

router = Router(tags=["analytics"])

Format = Literal["json", "csv"] | None
CSV_DOC: dict[str, Any] = {
    "responses": {
        200: {
            "content": {
                "text/csv": {
                    "schema": {"type": "string"},
                    "example": "period,breakdown,dau\n2024-03-01,,12\n",
                }
            }
        }
    }
}
RESULT_DESCRIPTION = (
    "JSON by default; CSV (one row per result row, the same columns) with `?format=csv` or "
    "`Accept: text/csv`."
)


def _wants_csv(request: HttpRequest, format: Format) -> bool:
    if format is not None:
        return format == "csv"
    return "text/csv" in request.headers.get("Accept", "")


def _csv(outcome: InsightOutcome, name: str) -> HttpResponse:
    response = HttpResponse(rows_csv(outcome.rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _run_out(outcome: InsightOutcome) -> dict[str, Any]:
    return {
        "query": outcome.query.to_data(),
        "computed_at": outcome.computed_at,
        "cached": outcome.cached,
        "rows": outcome.rows,
    }


def _answer(request: HttpRequest, outcome: InsightOutcome, format: Format) -> Any:
    if _wants_csv(request, format):
        query = outcome.query
        return _csv(outcome, f"{query.kind}-{query.start}-{query.end}")
    return _run_out(outcome)


def query_data(payload: Schema | dict[str, Any]) -> dict[str, Any]:
    """A query body as parse_query reads it: the given fields only."""
    data = payload.model_dump(exclude_none=True) if isinstance(payload, Schema) else payload
    return {name: value for name, value in data.items() if value is not None}


@router.post(
    "/metrics/run",
    response={200: RunOut, **errors(400, 403, 404)},
    openapi_extra=CSV_DOC,
    summary="Compute an insight query",
    description=RESULT_DESCRIPTION,
)
def metrics_run(request: HttpRequest, payload: InsightQueryIn, format: Format = None) -> Any:
    outcome = services.insight_run(api_user(request), parse_query(query_data(payload)))
    return _answer(request, outcome, format)


@router.get(
    "/products/{product_id}/analytics",
    response={200: OverviewOut, **errors(400, 403, 404)},
    summary="A product's analytics overview",
    description="The default charts of the product's analytics page: each one's title, query "
    "and rows. 400 when the product is not tracked yet.",
)
def product_analytics(request: HttpRequest, product_id: Id) -> dict[str, Any]:
    outcomes = services.overview_run(api_user(request), product_id)
    product = outcomes[0][1].product
    assert product is not None  # every overview chart is about the product
    return {
        "product": {"id": product.pk, "name": product.name},
        "charts": [{"title": title, **_run_out(outcome)} for title, outcome in outcomes],
    }


def _insight_out(user: User, insight: SavedInsight) -> dict[str, Any]:
    owner, product = insight.owner, insight.product
    return {
        **{f: getattr(insight, f) for f in ("id", "name", "description", "kind", "query")},
        **{f: getattr(insight, f) for f in ("pinned", "created_at", "updated_at", "version")},
        "product": {"id": product.pk, "name": product.name} if product else None,
        "owner": {"id": owner.pk, "name": owner.name, "email": owner.email} if owner else None,
        "may_change": selectors.may_change_insight(user, insight),
    }


def _tagged(user: User, insight: SavedInsight, response: HttpResponse) -> dict[str, Any]:
    response["ETag"] = etag(insight.version)
    return _insight_out(user, insight)


def _insight_data(payload: Schema) -> dict[str, Any]:
    """The fields sent (a PATCH leaves out the others); the query without its empty options."""
    data = payload.model_dump(exclude_unset=True)
    if data.get("query") is not None:
        data["query"] = query_data(data["query"])
    return data


@router.get("/insights", response={200: list[InsightOut], **errors(403)})
@paginate(Pagination)
def insight_list(request: HttpRequest, product_id: Id | None = None) -> list[dict[str, Any]]:
    """Saved insights, by name; ``product_id`` keeps those about one product."""
    user = api_user(request)
    return [_insight_out(user, i) for i in selectors.list_insights(user, product_id=product_id)]


@router.post(
    "/insights", response={201: InsightOut, **errors(400, 403, 404)}, openapi_extra=etag_doc(201)
)
def insight_create(
    request: HttpRequest, payload: InsightIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    user = api_user(request)
    insight = services.insight_create(user, _insight_data(payload))
    return Status(201, _tagged(user, insight, response))


@router.get(
    "/insights/{insight_id}",
    response={200: InsightOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def insight_get(request: HttpRequest, insight_id: Id, response: HttpResponse) -> dict[str, Any]:
    user = api_user(request)
    return _tagged(user, selectors.access_insight(user, insight_id), response)


@router.patch(
    "/insights/{insight_id}",
    response={200: InsightOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def insight_patch(
    request: HttpRequest, insight_id: Id, payload: InsightPatchIn, response: HttpResponse
) -> dict[str, Any]:
    user = api_user(request)
    selectors.access_insight(user, insight_id, for_write=True)  # 403 before the If-Match check
    insight = services.insight_update(
        user, insight_id, _insight_data(payload), if_match_version(request)
    )
    return _tagged(user, insight, response)


@router.delete(
    "/insights/{insight_id}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def insight_delete(request: HttpRequest, insight_id: Id) -> Status[None]:
    user = api_user(request)
    selectors.access_insight(user, insight_id, for_write=True)
    services.insight_delete(user, insight_id, if_match_version(request))
    return no_content()


@router.get(
    "/insights/{insight_id}/result",
    response={200: RunOut, **errors(400, 403, 404)},
    openapi_extra=CSV_DOC,
    summary="Compute a saved insight",
    description=RESULT_DESCRIPTION,
)
def insight_result(request: HttpRequest, insight_id: Id, format: Format = None) -> Any:
    user = api_user(request)
    insight = selectors.access_insight(user, insight_id)
    outcome = services.insight_result(user, insight)
    if _wants_csv(request, format):
        return _csv(outcome, f"insight-{insight.pk}")
    return _run_out(outcome)
