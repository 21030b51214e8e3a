"""The portfolio at the HTTP edge: what the API reads and writes for lines, products, features."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja's PatchDict
# rebuilds these schemas at run time from their annotations.
from datetime import datetime
from typing import Any, Self

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import Id, LongText, SearchText, ShortText
from quarterdeck.portfolio.models import FeatureKind, PortfolioItem, Stage, StageChange
from quarterdeck.portfolio.selectors import FeatureNode, LineNode, ProductNode

# Input ----------------------------------------------------------------------------------------


class LinkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    label: ShortText = ""
    url: str = Field(max_length=2000, description="An http(s) address.")


class ItemIn(Schema):
    """Fields every portfolio item has. PUT replaces them all: a field left out gets its default."""

    model_config = ConfigDict(extra="forbid")

    name: ShortText
    description: LongText = ""
    owner_id: Id | None = Field(None, description="The person who owns the item.")
    stage: Stage = Stage.IDEA
    target_segments: list[ShortText] = Field(default_factory=list)
    links: list[LinkIn] = Field(default_factory=list)
    stage_reason: LongText = Field("", description="Why the stage changes; kept with the move.")


class LineIn(ItemIn):
    parent_id: Id | None = Field(None, description="The line this one sits in; none: top level.")


class ProductIn(ItemIn):
    line_id: Id


class FeatureIn(ItemIn):
    product_id: Id
    parent_id: Id | None = Field(None, description="The feature this one is a sub-feature of.")
    kind: FeatureKind = FeatureKind.FEATURE


class ItemFilters(Schema):
    owner_id: Id | None = None
    stage: Stage | None = None
    search: SearchText | None = None


class LineFilters(ItemFilters):
    parent_id: Id | None = None


class ProductFilters(ItemFilters):
    line_id: Id | None = Field(None, description="Products in this line or any line below it.")


class FeatureFilters(ItemFilters):
    product_id: Id | None = None
    line_id: Id | None = Field(None, description="Features in this line or any line below it.")
    parent_id: Id | None = None


class TreeFilters(Schema):
    line_id: Id | None = Field(None, description="Only this line and what is below it.")
    owner_id: Id | None = None
    stage: Stage | None = None


# Output ---------------------------------------------------------------------------------------


class Link(Schema):
    label: str
    url: str


class ItemOut(Schema):
    id: int
    name: str
    description: str
    owner_id: int | None
    owner_name: str | None
    stage: Stage
    target_segments: list[str]
    links: list[Link]
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner_name(obj: PortfolioItem) -> str | None:
        return obj.owner.name if obj.owner is not None else None


class LineOut(ItemOut):
    parent_id: int | None


class ProductOut(ItemOut):
    line_id: int


class FeatureOut(ItemOut):
    product_id: int
    parent_id: int | None
    kind: FeatureKind


class StageChangeOut(Schema):
    id: int
    from_stage: Stage | None = Field(description="None for the stage an item was created in.")
    to_stage: Stage
    reason: str
    actor_id: int | None
    actor_label: str | None
    at: datetime

    @staticmethod
    def resolve_from_stage(obj: StageChange) -> str | None:
        return obj.from_stage or None

    @staticmethod
    def resolve_actor_label(obj: StageChange) -> str | None:
        return str(obj.actor) if obj.actor is not None else None


class TreeItem(Schema):
    """The fields of an item in the tree; fetch the item itself for the rest."""

    id: int
    name: str
    stage: Stage
    owner_id: int | None
    owner_name: str | None
    version: int

    @classmethod
    def fields_of(cls, item: PortfolioItem) -> dict[str, Any]:
        return {
            "id": item.pk,
            "name": item.name,
            "stage": item.stage,
            "owner_id": item.owner_id,
            "owner_name": ItemOut.resolve_owner_name(item),
            "version": item.version,
        }


class FeatureNodeOut(TreeItem):
    kind: FeatureKind
    children: list["FeatureNodeOut"]

    @classmethod
    def of(cls, node: FeatureNode) -> Self:
        children = [cls.of(child) for child in node.children]
        fields = cls.fields_of(node.feature)
        return cls.model_validate({**fields, "kind": node.feature.kind, "children": children})


class ProductNodeOut(TreeItem):
    features: list[FeatureNodeOut]

    @classmethod
    def of(cls, node: ProductNode) -> Self:
        features = [FeatureNodeOut.of(child) for child in node.features]
        return cls.model_validate({**cls.fields_of(node.product), "features": features})


class LineNodeOut(TreeItem):
    children: list["LineNodeOut"]
    products: list[ProductNodeOut]

    @classmethod
    def of(cls, node: LineNode) -> Self:
        return cls.model_validate(
            {
                **cls.fields_of(node.line),
                "children": [cls.of(child) for child in node.children],
                "products": [ProductNodeOut.of(child) for child in node.products],
            }
        )
