"""The strategy at the HTTP edge: what the API reads and writes for the vision, pillars,
outcomes, check-ins and key results. Rules (levels, periods, dates, directions) are checked by
the services, so breaking one answers 400 with the field named, not 422."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja reads them.
from datetime import date, datetime
from typing import Any, Literal, Self

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import Id, LongText, ShortText
from quarterdeck.strategy import bindings, selectors
from quarterdeck.strategy.models import (
    CheckIn,
    KeyResult,
    KeyResultCheckIn,
    KeyResultPoint,
    Outcome,
    Pillar,
    SignOff,
)

# Literals, not the models' TextChoices: OpenAPI names a schema by its class, and other apps
# have their own "Level", "Status" and "Source".
Level = Literal["company", "line", "product"]
Status = Literal["on_track", "at_risk", "off_track", "no_data"]
Health = Literal["on_track", "at_risk", "off_track"]
Source = Literal["analytics", "survey", "revenue", "manual"]
Direction = Literal["increase", "decrease"]
SignOffRole = Literal["cpo", "cto"]
Period = ShortText


def _label(user: Any) -> str | None:
    return str(user) if user is not None else None


# Vision and pillars ---------------------------------------------------------------------------


class VisionIn(Schema):
    """PUT replaces every field: one left out gets its default (no signer designated)."""

    model_config = ConfigDict(extra="forbid")

    statement: LongText = ""
    horizon: str = Field("", max_length=100, pattern=r"^[^\x00]*$")
    cpo_id: Id | None = Field(None, description="The person who signs for the CPO role.")
    cto_id: Id | None = Field(None, description="The person who signs for the CTO role.")


class SignOffIn(Schema):
    model_config = ConfigDict(extra="forbid")

    role: SignOffRole
    note: LongText = ""


class SignOffOut(Schema):
    id: int
    role: SignOffRole
    signer_id: int | None
    signer_label: str | None
    vision_version: int
    note: str
    at: datetime

    @staticmethod
    def resolve_signer_label(obj: SignOff) -> str | None:
        return _label(obj.signer)


class VisionOut(Schema):
    statement: str
    horizon: str
    cpo_id: int | None
    cpo_name: str | None
    cto_id: int | None
    cto_name: str | None
    version: int
    updated_at: datetime
    sign_offs: dict[str, SignOffOut | None] = Field(
        description="Per role (cpo, cto), the sign-off of the current version; null: not signed."
    )


class PillarIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: ShortText
    description: LongText = ""
    position: int | None = Field(
        None, ge=0, le=10_000, description="Order among pillars; none: last (create), kept (PUT)."
    )


class PillarLinksIn(Schema):
    model_config = ConfigDict(extra="forbid")

    line_ids: list[Id] = Field(default_factory=list, max_length=1000)
    product_ids: list[Id] = Field(default_factory=list, max_length=1000)


class PillarOut(Schema):
    id: int
    name: str
    description: str
    position: int
    line_ids: list[int]
    product_ids: list[int]
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_line_ids(obj: Pillar) -> list[int]:
        return sorted(line.pk for line in obj.lines.all())

    @staticmethod
    def resolve_product_ids(obj: Pillar) -> list[int]:
        return sorted(product.pk for product in obj.products.all())


# Outcomes and check-ins -----------------------------------------------------------------------


class OutcomeIn(Schema):
    """PUT replaces every field: one left out gets its default."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=300, pattern=r"^[^\x00]*$")
    description: LongText = ""
    level: Level
    line_id: Id | None = Field(None, description="Line outcomes only.")
    product_id: Id | None = Field(None, description="Product outcomes only.")
    parent_id: Id | None = Field(None, description="The outcome this one is aligned under.")
    pillar_ids: list[Id] = Field(default_factory=list, max_length=100)
    owner_id: Id | None = Field(None, description="The person who owns the outcome.")
    period: Period = Field(description="A quarter like 2026-Q4 (sets the dates), or 'custom'.")
    start: date | None = Field(None, description="Custom periods; for a quarter, derived.")
    end: date | None = None
    weight: float = Field(1.0, description="Its share in the parent's roll-up; above 0.")


class OutcomeFilters(Schema):
    level: Level | None = None
    line_id: Id | None = None
    product_id: Id | None = None
    period: Period | None = None
    status: Status | None = None


class PeriodFilter(Schema):
    period: Period | None = Field(None, description="Only outcomes of this period.")


class CheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    health: Health
    note: LongText = ""


class CheckInOut(Schema):
    id: int
    outcome_id: int
    health: Health
    note: str
    progress: float | None = Field(description="The outcome's computed progress at the time.")
    status: Status
    author_id: int | None
    author_label: str | None
    at: datetime

    @staticmethod
    def resolve_author_label(obj: CheckIn) -> str | None:
        return _label(obj.author)


class OutcomeOut(Schema):
    id: int
    title: str
    description: str
    level: Level
    line_id: int | None
    line_name: str | None
    product_id: int | None
    product_name: str | None
    parent_id: int | None
    pillar_ids: list[int]
    owner_id: int | None
    owner_name: str | None
    period: str
    start: date
    end: date
    weight: float
    progress: float | None
    forecast_progress: float | None
    status: Status
    refreshed_at: datetime | None
    latest_check_in: CheckInOut | None
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_line_name(obj: Outcome) -> str | None:
        return obj.line.name if obj.line is not None else None

    @staticmethod
    def resolve_product_name(obj: Outcome) -> str | None:
        return obj.product.name if obj.product is not None else None

    @staticmethod
    def resolve_owner_name(obj: Outcome) -> str | None:
        return obj.owner.name if obj.owner is not None else None

    @staticmethod
    def resolve_pillar_ids(obj: Outcome) -> list[int]:
        return sorted(pillar.pk for pillar in obj.pillars.all())

    @staticmethod
    def resolve_latest_check_in(obj: Outcome) -> CheckIn | None:
        return selectors.latest_check_in(obj)


# Key results ----------------------------------------------------------------------------------


class KeyResultIn(Schema):
    """PUT replaces every field: one left out gets its default (dates: the outcome's)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=300, pattern=r"^[^\x00]*$")
    source: Source
    metric: dict[str, Any] = Field(
        default_factory=dict, description="The binding's parameters; see docs/key-results.md."
    )
    unit: str = Field("", max_length=30, pattern=r"^[^\x00]*$")
    baseline: float
    target: float
    direction: Direction | None = Field(None, description="None: follows baseline → target.")
    start: date | None = Field(None, description="None: the outcome's start.")
    end: date | None = Field(None, description="None: the outcome's end.")
    weight: float = 1.0
    position: int | None = Field(None, ge=0, le=10_000, description="None: last (create).")


class KeyResultCheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    day: date | None = Field(None, description="The day measured; none: today.")
    value: float | None = Field(None, description="Required for manual key results.")
    note: LongText = ""


class KeyResultCheckInOut(Schema):
    id: int
    key_result_id: int
    day: date
    value: float | None
    note: str
    author_id: int | None
    author_label: str | None
    at: datetime

    @staticmethod
    def resolve_author_label(obj: KeyResultCheckIn) -> str | None:
        return _label(obj.author)


class KeyResultOut(Schema):
    id: int
    outcome_id: int
    title: str
    source: Source
    metric: dict[str, Any]
    unit: str
    baseline: float
    target: float
    direction: Direction
    start: date
    end: date
    weight: float
    position: int
    current: float | None
    progress: float | None
    forecast: float | None = Field(description="The value forecast at the end date.")
    forecast_progress: float | None
    status: Status
    refreshed_at: datetime | None
    refresh_error: str
    description: str = Field(description="What is measured, in words.")
    trace_url: str | None = Field(description="The page with the underlying data.")
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_description(obj: KeyResult) -> str:
        return bindings.describe(obj)

    @staticmethod
    def resolve_trace_url(obj: KeyResult) -> str | None:
        return bindings.trace_url(obj)


class PointOut(Schema):
    day: date
    value: float


class KeyResultHistoryOut(KeyResultOut):
    points: list[PointOut] = Field(description="The value per day, oldest first.")

    @staticmethod
    def resolve_points(obj: KeyResult) -> list[KeyResultPoint]:
        return list(selectors.key_result_points(obj))


# Tree, alignment, refresh ---------------------------------------------------------------------


class KeyResultBrief(Schema):
    id: int
    title: str
    unit: str
    current: float | None
    target: float
    progress: float | None
    status: Status


class OutcomeBrief(Schema):
    id: int
    title: str
    level: Level
    line_id: int | None
    product_id: int | None
    parent_id: int | None
    period: str
    progress: float | None
    forecast_progress: float | None
    status: Status
    version: int


class OutcomeNodeOut(OutcomeBrief):
    key_results: list[KeyResultBrief]
    children: list["OutcomeNodeOut"]

    @classmethod
    def of(cls, node: selectors.OutcomeNode) -> Self:
        brief = OutcomeBrief.model_validate(node.outcome).model_dump()
        return cls.model_validate(
            {
                **brief,
                "key_results": [KeyResultBrief.model_validate(kr) for kr in node.key_results],
                "children": [cls.of(child) for child in node.children],
            }
        )


class Named(Schema):
    id: int
    name: str


class AlignmentRowOut(Schema):
    pillar_id: int | None = Field(description="None for the outcomes serving no pillar.")
    name: str
    company: list[OutcomeBrief]
    aligned: list[OutcomeBrief] = Field(description="Line and product outcomes below them.")
    lines: list[Named]
    products: list[Named]

    @classmethod
    def of(cls, row: selectors.PillarRow) -> Self:
        return cls.model_validate(
            {
                "pillar_id": row.pillar.pk if row.pillar is not None else None,
                "name": row.name,
                "company": [OutcomeBrief.model_validate(o) for o in row.company],
                "aligned": [OutcomeBrief.model_validate(o) for o in row.aligned],
                "lines": [Named.model_validate(line) for line in row.lines],
                "products": [Named.model_validate(product) for product in row.products],
            }
        )
