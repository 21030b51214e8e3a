"""The numeric fields a scoring formula may read besides the model's criteria.

Only the fields a formula names are computed. A field without data (no KPI snapshot yet) is
left out, so the score's ``error`` names it instead of the score being wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Sum

from quarterdeck.kpis.models import KpiSnapshot, Metric
from quarterdeck.portfolio.models import Feature

FEATURE_METRICS = {
    "metric.feature_users_30d": Metric.FEATURE_USERS_30D,
    "metric.feature_adoption_30d": Metric.FEATURE_ADOPTION_30D,
}
PRODUCT_METRICS = {
    "metric.product_mau": Metric.MAU,
    "metric.product_stickiness": Metric.STICKINESS,
}
FIELDS: dict[str, str] = {
    "demand": "Customer-voice demand score of the feature (feedback linked to it)",
    "demand_count": "Number of feedback items linked to the feature",
    "effort_total": "Sum of the feature's effort over every team (roadmap capacity unit)",
    "metric.feature_users_30d": "Users of the feature in the last 30 days (latest KPI)",
    "metric.feature_adoption_30d": "Share of the product's active users using the feature",
    "metric.product_mau": "Monthly active users of the feature's product (latest KPI)",
    "metric.product_stickiness": "DAU / MAU of the feature's product (latest KPI)",
}


def _latest(feature: Feature, metric: str, *, product_level: bool) -> float | None:
    qs = KpiSnapshot.objects.filter(product_id=feature.product_id, metric=metric)
    qs = qs.filter(feature__isnull=True) if product_level else qs.filter(feature=feature)
    row = qs.order_by("-day").values_list("value", flat=True).first()
    return None if row is None else float(row)


def _demand(feature: Feature) -> tuple[float, float]:
    from quarterdeck.feedback.demand import feature_demand

    row = feature_demand(feature)
    return float(row.score), float(row.count)


def field_values(feature: Feature, wanted: Iterable[str]) -> dict[str, float]:
    """The values of the wanted fields that have data."""
    wanted = set(wanted) & set(FIELDS)
    values: dict[str, float] = {}
    if wanted & {"demand", "demand_count"}:
        values["demand"], values["demand_count"] = _demand(feature)
    if "effort_total" in wanted:
        total = feature.efforts.aggregate(total=Sum("amount"))["total"]
        values["effort_total"] = float(total or 0.0)
    for name in wanted:
        metric = FEATURE_METRICS.get(name) or PRODUCT_METRICS.get(name)
        if metric is not None:
            value = _latest(feature, metric, product_level=name in PRODUCT_METRICS)
            if value is not None:
                values[name] = value
    return values
