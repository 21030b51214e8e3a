"""Surveys at the HTTP edge."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja's PatchDict
# rebuilds these schemas at run time from their annotations.
from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import NO_NUL, Id

Text200 = Field("", max_length=200, pattern=NO_NUL)


class SurveyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100, pattern=NO_NUL)
    kind: Literal["nps", "csat", "ces"]
    scale_min: int | None = Field(
        None, description="Lowest point; default 0 (NPS), 1 (CSAT, CES). NPS is always 0-10."
    )
    scale_max: int | None = Field(None, description="Highest point; default 10 / 5 / 7.")
    question: str = Field("", max_length=500, pattern=NO_NUL)
    product_id: Id | None = None
    event_name: str = Field(
        "", max_length=200, pattern=NO_NUL, description="e.g. 'survey sent' (PostHog)."
    )
    event_survey_id: str = Field(
        "", max_length=200, pattern=NO_NUL, description="Only events with this $survey_id."
    )
    score_property: str = Field(
        "", max_length=200, pattern=NO_NUL, description="e.g. '$survey_response'."
    )
    comment_property: str = Field(
        "", max_length=200, pattern=NO_NUL, description="e.g. '$survey_response_1'."
    )


class ProductRef(Schema):
    id: int
    name: str


class SummaryOut(Schema):
    count: int = Field(description="Answers with a score.")
    value: float | None = Field(
        description="The headline: NPS (-100..100), CSAT top-2 share (0..1) or CES mean."
    )
    mean: float | None
    share_positive: float | None = Field(
        description="Promoters' share (NPS), top-2 share (CSAT), easy share (CES)."
    )
    positive: int = Field(description="Promoters / top-2 / easy answers.")
    neutral: int
    negative: int = Field(description="Detractors / bottom answers.")


class SurveyOut(Schema):
    id: int
    name: str
    kind: str
    scale_min: int
    scale_max: int
    question: str
    product: ProductRef | None
    event_name: str
    event_survey_id: str
    score_property: str
    comment_property: str
    created_at: datetime
    version: int
    summary: SummaryOut


class ResponseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    score: int | None = Field(None, description="On the survey's scale; null: a verbatim only.")
    comment: str = Field("", max_length=20_000, pattern=NO_NUL)
    answered_at: datetime = Field(description="ISO 8601; without a zone: the workspace zone.")
    respondent: str = Field("", max_length=200, pattern=NO_NUL, description="User id or email.")
    account: str = Text200
    product_id: Id | None = Field(None, description="Default: the survey's product.")
    segment: str = Field("", max_length=100, pattern=NO_NUL)
    stage: str = Field("", max_length=100, pattern=NO_NUL, description="Journey stage.")
    external_id: str = Field(
        "", max_length=200, pattern=NO_NUL, description="Your id: sending it again updates."
    )


class ResponsesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    responses: list[ResponseIn] = Field(min_length=1, max_length=1000)


class StoredOut(Schema):
    created: int
    updated: int


class ResponseOut(Schema):
    id: int
    score: int | None
    group: str | None = Field(
        description="promoter/passive/detractor or positive/neutral/negative."
    )
    comment: str
    answered_at: datetime
    respondent: str
    account: str
    product: ProductRef | None
    segment: str
    stage: str
    source: str
    external_id: str


class ResultRowOut(SummaryOut):
    key: str


class ResultsOut(Schema):
    survey_id: int
    kind: str
    by: str
    grain: str
    overall: SummaryOut
    groups: list[ResultRowOut]


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


class SyncOut(Schema):
    task_id: str
