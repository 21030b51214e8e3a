"""API schemas of the analytics module. The query's fields are typed loosely on purpose (text,
not enums): analytics.queries checks them and answers 400 with a message per field."""

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import MAX_ID, LongText, ShortText
from quarterdeck.metrics.insights import KINDS, MEASURES

Whole = Annotated[int, Field(ge=-MAX_ID, le=MAX_ID)]
Rows = list[dict[str, Any]]


class StepIn(Schema):
    model_config = ConfigDict(extra="forbid")

    event: ShortText
    where: dict[ShortText, ShortText] = Field(default_factory=dict)


class InsightQueryIn(Schema):
    """An insight query (docs/analytics.md, "Insights API"). Give ``start`` and ``end``, or
    ``last_days``. Options that do not apply to the kind are dropped."""

    model_config = ConfigDict(extra="forbid")

    kind: ShortText = Field(description=f"One of {', '.join(KINDS)}.")
    product_id: Whole | None = Field(None, description="Scope to this product's tracking.")
    start: ShortText | None = Field(None, description="First day, YYYY-MM-DD.")
    end: ShortText | None = Field(None, description="Last day (included), YYYY-MM-DD.")
    last_days: Whole | None = Field(None, description="The N days ending today, instead.")
    events: list[ShortText | StepIn] | None = Field(
        None,
        description="Event names ('*': any activity) or {event, where} steps: a funnel's "
        "steps, a retention's start and return events, the event of a feature adoption.",
    )
    where: dict[ShortText, ShortText] | None = Field(
        None, description="Property conditions (key = value) on every event of `events`."
    )
    features: list[Whole] | None = Field(
        None, description="Portfolio feature ids (of product_id), instead of `events`."
    )
    measure: ShortText | None = Field(
        None, description=f"Active users: one or more of {', '.join(MEASURES)}, comma-separated."
    )
    grain: ShortText | None = Field(None, description="day, week or month.")
    actor: ShortText | None = Field(None, description="user or account.")
    mode: ShortText | None = Field(
        None, description="Retention: on | on_or_after; funnel: ordered | strict | unordered."
    )
    periods: Whole | None = Field(None, description="Retention periods (1-400).")
    window_days: Whole | None = Field(None, description="Funnel conversion window in days.")
    denominator: ShortText | None = Field(None, description="Feature adoption: active or all.")
    min_uses: Whole | None = Field(None, description="Feature adoption: uses needed.")
    cohort_type: ShortText | None = Field(None, description="first_time or recurring.")
    breakdown: ShortText | None = Field(
        None, description="An event property, or feature, account or plan."
    )
    time_zone: ShortText | None = Field(None, description="IANA zone of the days (UTC).")


class RunOut(Schema):
    query: dict[str, Any] = Field(description="The query as understood (normal form).")
    computed_at: datetime
    cached: bool = Field(description="Every number came from the result cache.")
    rows: Rows


class ProductRef(Schema):
    id: int
    name: str


class ChartOut(RunOut):
    title: str


class OverviewOut(Schema):
    product: ProductRef
    charts: list[ChartOut]


class OwnerRef(Schema):
    id: int
    name: str
    email: str


class InsightIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: ShortText
    description: LongText = ""
    query: InsightQueryIn
    pinned: bool = Field(False, description="Show it on the product's analytics page.")


class InsightPatchIn(Schema):
    """The fields to change (PatchDict cannot nest the query schema)."""

    model_config = ConfigDict(extra="forbid")

    name: ShortText | None = None
    description: LongText | None = None
    query: InsightQueryIn | None = None
    pinned: bool | None = None


class InsightOut(Schema):
    id: int
    name: str
    description: str
    kind: str
    query: dict[str, Any]
    product: ProductRef | None
    owner: OwnerRef | None
    pinned: bool
    may_change: bool
    created_at: datetime
    updated_at: datetime
    version: int
