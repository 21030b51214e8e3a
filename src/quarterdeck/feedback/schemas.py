"""Feedback items, duplicates and portals at the HTTP edge."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja's PatchDict
# rebuilds these schemas at run time from their annotations.
from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import NO_NUL, Id

SourceName = Literal["form", "api", "csv", "survey", "portal", "support", "sales", "email"]
StatusName = Literal["new", "triaged", "linked", "closed"]
SentimentName = Literal["positive", "neutral", "negative"]
Text200 = Field("", max_length=200, pattern=NO_NUL)
HUGE = 1_000_000


class FeedbackIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        max_length=HUGE,
        description="Kept whole; the model reads its first 256 word pieces (model_truncated).",
    )
    product_id: Id | None = None
    line_id: Id | None = Field(None, description="Default: the product's line.")
    source: SourceName = "api"
    external_id: str = Field(
        "",
        max_length=200,
        pattern=NO_NUL,
        description="Id in the source system, unique per source.",
    )
    submitter_name: str = Text200
    submitter_email: str = Text200
    account: str = Field(
        "", max_length=200, pattern=NO_NUL, description="Account id as in the revenue data."
    )
    account_name: str = Text200
    segment: str = Field("", max_length=100, pattern=NO_NUL)
    received_at: datetime | None = Field(None, description="Default: now.")
    tags: list[str] = Field(default_factory=list, max_length=30)


class FeedbackPatch(FeedbackIn):
    status: StatusName = "new"
    public: bool = Field(False, description="Shown on its product line's portal.")


class Ref(Schema):
    id: int
    name: str


class FeedbackOut(Schema):
    id: int
    text: str
    source: str
    external_id: str
    submitter_name: str | None = Field(description="null: hidden from you.")
    submitter_email: str | None = Field(description="null: hidden from you.")
    account: str | None = Field(description="null: hidden from you.")
    account_name: str | None = Field(description="null: hidden from you.")
    segment: str
    product: Ref | None
    line: Ref | None
    received_at: datetime
    tags: list[str]
    sentiment: str
    sentiment_score: float | None
    status: str
    theme: Ref | None
    theme_score: float | None
    duplicate_of: int | None
    votes: int
    public: bool
    model_truncated: bool
    notice: str = Field(description="Why the model read only part of the text, when it did.")
    processed_at: datetime | None
    created_at: datetime
    version: int


class FeedbackQuery(Schema):
    q: str = Field("", max_length=200, pattern=NO_NUL, description="Words in the text.")
    status: StatusName | None = None
    source: SourceName | None = None
    product_id: Id | None = None
    line_id: Id | None = None
    theme_id: Id | None = None
    feature_id: Id | None = None
    sentiment: SentimentName | None = None
    tag: str = Field("", max_length=50, pattern=NO_NUL)
    account: str = Field("", max_length=200, pattern=NO_NUL)
    since: datetime | None = None
    until: datetime | None = None
    has_duplicates: bool | None = Field(None, description="With open duplicate suggestions.")


class ItemBrief(Schema):
    id: int
    text: str
    received_at: datetime
    votes: int
    status: str


class CandidateOut(Schema):
    id: int
    item: ItemBrief = Field(description="The later item.")
    original: ItemBrief = Field(description="The earlier item it may repeat.")
    score: float
    state: str


class RowErrorOut(Schema):
    file: str
    row: int
    column: str
    reason: str


class ImportOut(Schema):
    message: str
    file: str
    rows: int
    created: int
    updated: int
    skipped_rows: int
    date_format: str
    errors: list[RowErrorOut]


class SurveyImportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    survey_id: Id | None = Field(None, description="Default: every survey.")


class CreatedOut(Schema):
    created: int


class PortalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    line_id: Id
    slug: str = Field("", max_length=80, pattern=NO_NUL, description="Default: from the line.")
    title: str = Field("", max_length=200, pattern=NO_NUL)
    intro: str = Field("", max_length=20_000, pattern=NO_NUL)
    visibility: Literal["public", "signed_in"] = "signed_in"
    enabled: bool = True


class PortalPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(max_length=80, pattern=NO_NUL)
    title: str = Field(max_length=200, pattern=NO_NUL)
    intro: str = Field(max_length=20_000, pattern=NO_NUL)
    visibility: Literal["public", "signed_in"]
    enabled: bool


class PortalOut(Schema):
    slug: str
    title: str
    intro: str
    visibility: str
    enabled: bool
    line: Ref
    version: int


class IdeaIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=20_000, pattern=NO_NUL)
    product_id: Id | None = None
    name: str = Text200
    email: str = Field("", max_length=200, pattern=NO_NUL, description="Public portals only.")


class IdeaOut(Schema):
    id: int
    text: str
    product: Ref | None
    received_at: datetime
    votes: int
    status: str


class VoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    email: str = Field("", max_length=200, pattern=NO_NUL, description="Public portals only.")
    name: str = Text200
