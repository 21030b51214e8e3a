"""Request and response shapes of the links, themes, demand and close-the-loop API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from quarterdeck.lib.api_edge import Id, LongText, ShortText

ImportanceName = Literal["nice_to_have", "important", "critical"]
Offset = int  # bounded in the Field below
MAX_OFFSET = 10_000_000


class Ref(Schema):
    id: int
    name: str


class LinkOut(Schema):
    id: int
    item_id: int
    feature: Ref
    product: Ref
    state: str = Field(description="suggested, accepted or rejected")
    importance: str
    score: float | None = Field(description="The model's similarity when it suggested the link.")
    passage: str = Field(description="The highlighted part; empty = the whole item.")
    passage_start: int | None
    passage_end: int | None
    decided_at: dt.datetime | None
    created_at: dt.datetime


class LinkIn(Schema):
    feature_id: Id
    importance: ImportanceName = "important"
    passage_start: int | None = Field(None, ge=0, le=MAX_OFFSET)
    passage_end: int | None = Field(None, ge=0, le=MAX_OFFSET)


class LinkPatch(Schema):
    importance: ImportanceName | None = None
    passage_start: int | None = Field(None, ge=0, le=MAX_OFFSET)
    passage_end: int | None = Field(None, ge=0, le=MAX_OFFSET)


class AcceptIn(Schema):
    importance: ImportanceName | None = None


class ThemeOut(Schema):
    id: int
    name: str
    auto_label: str
    renamed: bool
    keywords: list[str]
    size: int
    version: int
    updated_at: dt.datetime


class ExampleOut(Schema):
    id: int
    text: str
    received_at: dt.datetime
    score: float | None


class ThemeDetailOut(ThemeOut):
    examples: list[ExampleOut] = Field(description="The items nearest the theme's centre.")


class ThemeRenameIn(Schema):
    name: ShortText


class ThemeMergeIn(Schema):
    theme_ids: list[Id] = Field(min_length=2, max_length=100)
    name: ShortText = ""


class ThemeRunOut(Schema):
    id: int
    items: int
    themes: int
    seconds: float
    started_at: dt.datetime
    finished_at: dt.datetime | None


class WeekOut(Schema):
    week: dt.date = Field(description="The Monday that starts the ISO week.")
    count: int


class DemandOut(Schema):
    kind: str
    id: int
    name: str
    product: str
    stage: str
    score: float
    count: int
    accounts: int
    importance: float
    revenue: float | None = Field(
        description="Current MRR of the linked accounts; null for those who may not see revenue."
    )
    segments: dict[str, float] = Field(description="The score per customer segment.")
    latest: dt.datetime | None


class RecipientOut(Schema):
    email: str
    name: str
    items: list[int]


class MessageOut(Schema):
    email: str
    subject: str
    body: str


class NoticeOut(Schema):
    id: int
    subject: str
    sent_at: dt.datetime
    recipients: int


class LoopPreviewOut(Schema):
    subject: str
    body: str
    launched: bool = Field(description="The feature is at launch or later: it may be sent.")
    recipients: list[RecipientOut]
    messages: list[MessageOut]
    last_sent: NoticeOut | None


class LoopIn(Schema):
    subject: ShortText = ""
    body: LongText = ""
    force: bool = Field(False, description="Send again although a notice was already sent.")
