"""The roadmap board at the HTTP edge: items, entries (lane, position, dates), moves, saved
views and share links. Rules (lanes, dates, filters) are checked by the services, so breaking
one answers 400 with the field named."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja reads them.
from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import Id, LongText, ShortText

RoadmapLane = Literal["now", "next", "later"]
MoveTo = Literal["now", "next", "later", "up", "down"]
ViewLayout = Literal["board", "timeline"]


class RoadmapFilters(Schema):
    line_id: Id | None = Field(None, description="A product line (its sub-lines included).")
    product_id: Id | None = None
    owner_id: Id | None = Field(None, description="The person who owns the initiative.")
    stages: str | None = Field(None, max_length=200, description="Comma-separated stages.")
    lanes: str | None = Field(None, max_length=50, description="Comma-separated lanes.")
    grain: Literal["month", "quarter"] | None = None


class ItemFilters(RoadmapFilters):
    unplaced: bool = Field(
        False, description="Also list open initiatives (idea/discovery/build) not on the roadmap."
    )


class NeedOut(Schema):
    feature_id: int
    name: str
    lane: str | None


class EntryOut(Schema):
    feature_id: int
    feature: str
    lane: RoadmapLane
    position: int = Field(description="0-based order within the lane.")
    start: date | None
    end: date | None
    scenario_id: int | None
    version: int
    updated_at: datetime


class RoadmapItemOut(Schema):
    feature_id: int
    feature: str
    product_id: int
    product: str
    line_id: int
    line: str
    owner: str | None
    stage: str
    lane: RoadmapLane | None = Field(description="None: not on the roadmap.")
    position: int | None
    start: date | None
    end: date | None
    version: int | None = Field(description="The entry's version (If-Match of a move).")
    score: float | None
    needs: list[NeedOut]
    warnings: list[str]
    may_change: bool


class EntryIn(Schema):
    """PUT places the initiative: lane, position (None: the lane's end, or where it is) and
    dates (both replaced; null clears)."""

    model_config = ConfigDict(extra="forbid")

    lane: RoadmapLane
    position: int | None = Field(None, ge=0, le=100_000)
    start: date | None = None
    end: date | None = None


class EntryMoveIn(Schema):
    """Either ``to`` (a lane — to its end — or up/down one place) or ``lane`` with ``position``
    or ``before_feature_id``."""

    model_config = ConfigDict(extra="forbid")

    to: MoveTo | None = None
    lane: RoadmapLane | None = None
    position: int | None = Field(None, ge=0, le=100_000)
    before_feature_id: Id | None = None


class ViewFiltersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    line_id: Id | None = None
    product_id: Id | None = None
    owner_id: Id | None = None
    stages: list[str] = Field(default_factory=list, max_length=10)
    lanes: list[str] = Field(default_factory=list, max_length=3)
    grain: Literal["month", "quarter"] = "quarter"
    start: date | None = None
    end: date | None = None


class ViewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: ShortText
    description: LongText = ""
    layout: ViewLayout = "board"
    shared: bool = False
    filters: ViewFiltersIn = Field(default_factory=ViewFiltersIn)


class ViewPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: ShortText | None = None
    description: LongText | None = None
    layout: ViewLayout | None = None
    shared: bool | None = None
    filters: ViewFiltersIn | None = None


class ViewOut(Schema):
    id: int
    name: str
    description: str
    layout: ViewLayout
    filters: dict[str, Any]
    shared: bool
    owner_id: int | None
    owner: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class ShareLinkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    label: ShortText = ""
    expires_days: int | None = Field(None, ge=1, le=366, description="Empty: until revoked.")


class ShareLinkOut(Schema):
    id: int
    view_id: int
    label: str
    created_by: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    active: bool


class NewLinkOut(ShareLinkOut):
    token: str = Field(description="Shown once: only its SHA-256 is stored.")
    path: str = Field(description="The public page: /share/<token>/")
