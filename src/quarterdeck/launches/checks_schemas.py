"""Success metrics and post-launch checks at the HTTP edge."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja's PatchDict
# rebuilds these schemas at run time from their annotations.
from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import NO_NUL, Id

MetricName = Literal[
    "dau", "wau", "mau", "stickiness", "feature_users", "feature_users_30d", "feature_adoption_30d"
]
DirectionName = Literal["up", "down"]


class MetricIn(Schema):
    model_config = ConfigDict(extra="forbid")

    metric: MetricName = Field(
        description="A KPI series: product dau, wau, mau, stickiness; feature feature_users, "
        "feature_users_30d, feature_adoption_30d."
    )
    feature_id: Id | None = Field(
        None, description="The feature measured (feature metrics; default: the plan's feature)."
    )
    label: str = Field("", max_length=200, pattern=NO_NUL)
    direction: DirectionName = "up"
    target: float | None = Field(None, description="The value the launch promised.")
    baseline_days: int = Field(28, ge=7, le=90, description="Days before launch (daily counts).")


class MetricPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    metric: MetricName
    feature_id: Id | None = None
    label: str = Field(max_length=200, pattern=NO_NUL)
    direction: DirectionName
    target: float | None = Field(None, description="The only field that changes after binding.")
    baseline_days: int = Field(ge=7, le=90)


class CheckOut(Schema):
    offset_days: int
    due_on: date
    verdict: str
    symbol: str
    text: str
    value: float | None
    baseline: float | None
    target: float | None
    change: float | None
    test: str
    statistic: float | None
    p_value: float | None
    detail: dict[str, Any]
    computed_at: datetime | None


class MetricOut(Schema):
    id: int
    plan_id: int
    metric: str
    feature_id: int | None
    label: str
    direction: str
    target: float | None
    baseline: float | None
    baseline_days: int
    baseline_detail: dict[str, Any]
    bound_at: datetime | None
    position: int
    version: int
    checks: list[CheckOut]


class PlanRef(Schema):
    id: int
    name: str
    status: str
    launched_on: date | None
    feature_id: int | None
    product_id: int


class FlagOut(Schema):
    plan: PlanRef
    metric: MetricOut
    latest: str | None = Field(description="The verdict of the latest computed check.")


class RecomputeOut(Schema):
    computed: int
    flags: list[FlagOut]
