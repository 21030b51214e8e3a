"""REST endpoints of the scorecards: the portfolio scorecard (JSON, CSV or PNG) and one
product's or line's. Every signed-in role reads them; revenue shows only to those who may read
revenue (status "hidden" otherwise)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from quarterdeck.lib.api_edge import Id, api_user, errors
from quarterdeck.lib.dates import workspace_today
from quarterdeck.strategy.export import scorecard_csv, scorecard_png
from quarterdeck.strategy.scorecard_cells import Cell
from quarterdeck.strategy.scorecards import (
    ScorecardRow,
    line_scorecard,
    portfolio_scorecard,
    product_scorecard,
)

router = Router(tags=["scorecards"])
Format = Literal["json", "csv"] | None


class SparkOut(Schema):
    day: dt.date
    value: float


class CellOut(Schema):
    label: str
    family: str
    value: float | None
    unit: str
    target: float | None
    status: str
    change: float | None
    change_relative: float | None
    day: dt.date | None
    spark: list[SparkOut]
    trace: str
    trace_url: str | None


class RowOut(Schema):
    kind: str
    id: int
    name: str
    depth: int
    line: str
    url: str
    adoption: CellOut
    satisfaction: CellOut
    revenue: CellOut


class ScorecardOut(Schema):
    day: dt.date
    rows: list[RowOut]


CSV_DOC: dict[str, Any] = {
    "responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}
}
PNG_DOC: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The scorecard as a picture.",
            "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _cell(cell: Cell) -> dict[str, Any]:
    return {
        "label": cell.label,
        "family": cell.family,
        "value": cell.value,
        "unit": cell.unit,
        "target": cell.target,
        "status": cell.status,
        "change": cell.change,
        "change_relative": cell.change_relative,
        "day": cell.day,
        "spark": [{"day": day, "value": value} for day, value in cell.spark],
        "trace": cell.trace,
        "trace_url": cell.trace_url,
    }


def row_data(row: ScorecardRow) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "id": row.pk,
        "name": row.name,
        "depth": row.depth,
        "line": row.line_name,
        "url": row.url,
        "adoption": _cell(row.adoption),
        "satisfaction": _cell(row.satisfaction),
        "revenue": _cell(row.revenue),
    }


def _attachment(content: str | bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/scorecards",
    response={200: ScorecardOut, **errors(400, 403)},
    openapi_extra=CSV_DOC,
    description="JSON by default; CSV (one row per line and product) with `?format=csv`.",
)
def scorecards(request: HttpRequest, format: Format = None) -> Any:
    """The portfolio scorecard: each line, its products under it, three families of numbers."""
    today = workspace_today()
    rows = portfolio_scorecard(api_user(request), today=today)
    if format == "csv":
        name = f"scorecard-{today}.csv"
        return _attachment(scorecard_csv(rows), "text/csv; charset=utf-8", name)
    return {"day": today, "rows": [row_data(row) for row in rows]}


@router.get("/scorecards.png", response={200: None, **errors(403)}, openapi_extra=PNG_DOC)
def scorecards_png(request: HttpRequest) -> HttpResponse:
    """The portfolio scorecard as a PNG picture, for slides."""
    today = workspace_today()
    rows = portfolio_scorecard(api_user(request), today=today)
    return _attachment(scorecard_png(rows, today), "image/png", f"scorecard-{today}.png")


@router.get("/products/{product_id}/scorecard", response={200: RowOut, **errors(403, 404)})
def product_card(request: HttpRequest, product_id: Id) -> dict[str, Any]:
    """One product's scorecard row."""
    return row_data(product_scorecard(api_user(request), product_id))


@router.get("/lines/{line_id}/scorecard", response={200: RowOut, **errors(403, 404)})
def line_card(request: HttpRequest, line_id: Id) -> dict[str, Any]:
    """One line's scorecard row (its figures cover its products and sub-lines)."""
    return row_data(line_scorecard(api_user(request), line_id))
