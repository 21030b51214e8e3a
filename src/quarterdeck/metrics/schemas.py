"""Event sources at the HTTP edge. The whole write key is in the answer only for those who
manage sources (leaders and admins); others get its first characters."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja's PatchDict
# rebuilds these schemas at run time from their annotations.
from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import NO_NUL, Id
from quarterdeck.metrics.models import WarningKind


class SourceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100, pattern=NO_NUL)
    product_ids: list[Id] = Field(default_factory=list, description="The products it feeds.")
    account_group_type: str = Field(
        "company",
        max_length=100,
        pattern=NO_NUL,
        description="PostHog: the group type whose key is the account ($groups.<type>).",
    )


class ProductRef(Schema):
    id: int
    name: str


class SourceOut(Schema):
    id: int
    name: str
    products: list[ProductRef]
    account_group_type: str
    write_key: str | None = Field(
        description="The whole key; null unless you manage sources (see key_hint)."
    )
    key_hint: str = Field(description="The key's first characters.")
    is_active: bool = Field(description="False once the key is revoked.")
    created_at: datetime
    revoked_at: datetime | None
    version: int


class WarningOut(Schema):
    id: int
    kind: WarningKind
    message: str
    sample: str
    count: int = Field(description="How often it happened between first_at and at.")
    first_at: datetime
    at: datetime
