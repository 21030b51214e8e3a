"""The revenue module at the HTTP edge."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja reads them.
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import Id, ShortText

StatusName = Literal[
    "trialing",
    "active",
    "past_due",
    "canceled",
    "unpaid",
    "incomplete",
    "incomplete_expired",
    "paused",
]


class CustomerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    external_id: ShortText = Field(description="The billing system's customer id (unique).")
    name: ShortText = ""
    account_id: ShortText = Field("", description="The account id the product events carry.")


class CustomerOut(Schema):
    id: int
    external_id: str
    name: str
    account_id: str
    created_at: datetime
    version: int


class ItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    product_id: Id | None = Field(None, description="The product it pays for (None: unmapped).")
    amount: Decimal = Field(ge=0, lt=10**9, decimal_places=4, description="Per unit and interval.")
    quantity: int = Field(1, ge=0, le=10**7)


class ItemOut(Schema):
    product_id: int | None
    product: str | None
    amount: Decimal
    quantity: int


class SubscriptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    external_id: ShortText
    customer_id: Id
    status: StatusName = "active"
    currency: str = Field(min_length=3, max_length=3, description="ISO code, e.g. EUR.")
    interval: Literal["day", "week", "month", "year"] = "month"
    interval_count: int = Field(1, ge=1, le=365)
    started_at: date
    trial_end: date | None = None
    canceled_at: date | None = None
    ended_at: date | None = None
    items: list[ItemIn] = Field(default_factory=list, max_length=100)


class SubscriptionOut(Schema):
    id: int
    external_id: str
    customer_id: int
    customer: str
    status: str
    currency: str
    interval: str
    interval_count: int
    started_at: date
    trial_end: date | None
    canceled_at: date | None
    ended_at: date | None
    items: list[ItemOut]
    version: int


class RateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    currency: str = Field(min_length=3, max_length=3)
    rate: Decimal = Field(gt=0, lt=10**9, decimal_places=8)
    valid_from: date | None = Field(None, description="Default: for all history.")


class RateOut(Schema):
    id: int
    currency: str
    rate: Decimal
    valid_from: date
    version: int


class RatesOut(Schema):
    reporting_currency: str
    rates: list[RateOut]


class MetricsQuery(Schema):
    metric: str = Field("mrr", max_length=40, description="mrr, arr, movements, nrr, grr, ...")
    product: Id | None = Field(None, description="Only this product's items.")
    line: Id | None = Field(None, description="Only the products of this line and its sub-lines.")
    start: date | None = Field(None, alias="from", description="Default: 11 months before `to`.")
    end: date | None = Field(None, alias="to", description="Default: today.")
    grain: Literal["month", "quarter", "year"] = "month"


class MetricPointOut(Schema):
    start: date
    end: date = Field(description="Exclusive.")
    value: float | None = None
    new: float | None = None
    expansion: float | None = None
    contraction: float | None = None
    churn: float | None = None
    reactivation: float | None = None


class MetricsOut(Schema):
    metric: str
    currency: str
    product_id: int | None
    line_id: int | None
    grain: str
    points: list[MetricPointOut]


class IssueOut(Schema):
    file: str
    row: int | None
    column: str | None
    message: str


class ImportOut(Schema):
    written: bool
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: int
    unmapped_items: int
    errors: list[IssueOut]
