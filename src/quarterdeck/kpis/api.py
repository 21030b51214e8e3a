"""REST endpoints of the kpis module: daily KPI series, a product's latest KPIs, a refresh."""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from quarterdeck.kpis import selectors, services
from quarterdeck.kpis.schemas import KpiQuery, KpiSeriesOut, LatestKpisOut, RefreshIn, RefreshOut
from quarterdeck.lib.api_edge import Id, api_user, errors

router = Router(tags=["kpis"])


@router.get("/kpis", response={200: KpiSeriesOut, **errors(400, 403, 404)})
def kpi_series(request: HttpRequest, query: Query[KpiQuery]) -> dict[str, Any]:
    """A metric's daily snapshots for a product or one of its features (at most 400 days)."""
    points = selectors.kpi_series(
        api_user(request),
        query.product,
        query.metric,
        feature_id=query.feature,
        start=query.start,
        end=query.end,
    )
    return {
        "product_id": query.product,
        "feature_id": query.feature,
        "metric": query.metric,
        "points": points,
    }


@router.get("/products/{product_id}/kpis/latest", response={200: LatestKpisOut, **errors(403, 404)})
def kpi_latest(request: HttpRequest, product_id: Id) -> dict[str, Any]:
    """DAU, WAU, MAU and stickiness on the last complete day, 7 and 28 days before."""
    latest = selectors.latest_kpis(api_user(request), product_id)
    return {
        "product_id": latest.product.pk,
        "day": latest.day,
        "cards": [_card(card) for card in latest.cards],
        "refresh": latest.state,
    }


def _card(card: selectors.KpiCard) -> dict[str, Any]:
    return {
        **asdict(card),
        "change_week": card.change_week,
        "change_four_weeks": card.change_four_weeks,
    }


@router.post("/kpis/refresh", response={202: RefreshOut, **errors(400, 403, 404)})
def kpi_refresh(request: HttpRequest, payload: RefreshIn) -> Status[dict[str, str]]:
    """Queue a refresh of the snapshots (leaders and admins); it runs in the background."""
    task_id = services.kpis_refresh_start(
        actor=api_user(request), full=payload.full, product_id=payload.product_id
    )
    return Status(202, {"task_id": task_id})
