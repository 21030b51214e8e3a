"""Tracking definitions at the HTTP edge: a product's event conditions, a feature's usage."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja reads them.
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import NO_NUL

Op = Literal[
    "eq", "neq", "in", "not_in", "contains", "gt", "gte", "lt", "lte", "is_set", "is_not_set"
]


class ConditionSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(max_length=200, pattern=NO_NUL, description="Property name, or a column.")
    op: Op = "eq"
    value: str | float | list[str] | None = Field(
        None, description="Text for eq/neq/contains, a list for in/not_in, a number for gt/lt."
    )
    on: Literal["properties", "traits", "column"] = "properties"


class SourceRef(Schema):
    id: int
    name: str
    is_active: bool


class ProductTrackingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    conditions: list[ConditionSchema] = Field(default_factory=list, max_length=20)


class ProductTrackingOut(Schema):
    product_id: int
    tracked: bool = Field(description="Whether any event belongs to the product yet.")
    sources: list[SourceRef] = Field(description="Event sources feeding the product.")
    conditions: list[ConditionSchema]
    version: int = Field(description="0 while nothing was set.")


class FeatureUsageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    event: str = Field("", max_length=200, pattern=NO_NUL, description="Empty: any event.")
    conditions: list[ConditionSchema] = Field(default_factory=list, max_length=20)


class FeatureUsageOut(Schema):
    feature_id: int
    defined: bool
    event: str
    conditions: list[ConditionSchema]
    version: int = Field(description="0 while nothing was set.")
