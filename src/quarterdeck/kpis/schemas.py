"""KPI snapshots at the HTTP edge."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja reads them.
from datetime import date, datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.kpis.models import Metric
from quarterdeck.lib.api_edge import Id


class KpiQuery(Schema):
    product: Id = Field(description="The product's id.")
    feature: Id | None = Field(None, description="A feature of the product, for feature metrics.")
    metric: str = Field("dau", max_length=40, description=f"One of: {', '.join(Metric.values)}.")
    start: date | None = Field(
        None, alias="from", description="First day (default: 89 days before `to`)."
    )
    end: date | None = Field(
        None, alias="to", description="Last day (default: the last refreshed day); ≤ 400 days."
    )


class KpiPointOut(Schema):
    day: date
    value: float
    numerator: int | None
    denominator: int | None


class KpiSeriesOut(Schema):
    product_id: int
    feature_id: int | None
    metric: str
    points: list[KpiPointOut]


class KpiCardOut(Schema):
    metric: str
    label: str
    value: float | None
    week_ago: float | None
    four_weeks_ago: float | None
    change_week: float | None = Field(description="Relative change: 0.1 = +10 %.")
    change_four_weeks: float | None


class RefreshStateOut(Schema):
    first_day: date | None
    last_day: date | None
    refreshed_at: datetime | None
    last_full_at: datetime | None
    duration: float = Field(description="Seconds the last refresh took.")
    full_duration: float


class LatestKpisOut(Schema):
    product_id: int
    day: date | None = Field(description="The day of `value`: the last complete refreshed day.")
    cards: list[KpiCardOut]
    refresh: RefreshStateOut | None


class RefreshIn(Schema):
    model_config = ConfigDict(extra="forbid")

    full: bool = Field(False, description="Recompute the whole history, not only new days.")
    product_id: Id | None = Field(None, description="Only this product (default: all).")


class RefreshOut(Schema):
    task_id: str
