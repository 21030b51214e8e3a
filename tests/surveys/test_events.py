"""Answers from events: PostHog `survey sent` as the official SDKs send it, and a Segment track
event, through the real ingestion endpoints, compaction and the sync (also as a task)."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from quarterdeck.metrics.services import events_flush, source_create
from quarterdeck.surveys.events import surveys_sync_events
from quarterdeck.surveys.models import Survey
from quarterdeck.surveys.tasks import sync_survey_events
from tests.personas import Personas

pytestmark = pytest.mark.django_db
STAMP = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(microsecond=0).isoformat()


@pytest.fixture(autouse=True)
def events_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "events"
    settings.EVENTS_DIR = folder
    return folder


def survey_sent(
    uuid: str, user: str, response: Any, survey_id: str = "sv-1", **more: Any
) -> dict[str, Any]:
    """What posthog-js sends when a survey is answered (an NPS rating question and an open one)."""
    properties = {
        "$survey_id": survey_id,
        "$survey_name": "Atlas NPS",
        "$survey_response": response,
        "$survey_response_1": more.pop("comment", ""),
        "$groups": {"company": "acme"},
        **more,
    }
    return {"event": "survey sent", "distinct_id": user, "uuid": uuid, "timestamp": STAMP,
            "properties": properties}  # fmt: skip


def test_posthog_survey_sent_becomes_answers_once(personas: Personas) -> None:
    source = source_create(actor=None, data={"name": "Web", "product_ids": [personas.atlas.pk]})
    survey = Survey.objects.create(
        name="Atlas NPS", kind="nps", scale_min=0, scale_max=10, product=personas.atlas,
        event_name="survey sent", event_survey_id="sv-1",
        score_property="$survey_response", comment_property="$survey_response_1",
    )  # fmt: skip
    batch = [
        survey_sent("e1", "d1", "10", comment="Love the maps", journey_stage="Onboarding"),
        survey_sent("e2", "d2", 3, comment="Slow"),
        survey_sent("e3", "d3", "eleven"),  # no usable score, no comment: invalid
        survey_sent("e4", "d4", "12", comment="Off the scale but said something"),
        survey_sent("e5", "d5", "9", survey_id="another-survey"),
    ]
    response = Client().post(
        "/batch/", {"api_key": source.write_key, "batch": batch}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    events_flush()

    result = surveys_sync_events()
    assert result.summary()["Atlas NPS"] == {
        "survey": "Atlas NPS", "events": 4, "created": 3, "updated": 0, "invalid": 1,
    }  # fmt: skip
    answers = {a.external_id: a for a in survey.responses.all()}
    assert set(answers) == {"event:e1", "event:e2", "event:e4"}
    first = answers["event:e1"]
    assert (first.score, first.comment, first.respondent, first.account, first.stage) == (
        10, "Love the maps", "d1", "acme", "Onboarding",
    )  # fmt: skip
    assert first.product == personas.atlas
    assert answers["event:e4"].score is None  # a verbatim without a usable score

    again = sync_survey_events.enqueue().return_value  # the worker's task: nothing doubles
    assert again["Atlas NPS"]["created"] == 0
    assert survey.responses.count() == 3


def test_segment_track_event_with_a_configured_mapping(personas: Personas) -> None:
    source = source_create(actor=None, data={"name": "App", "product_ids": []})
    survey = Survey.objects.create(
        name="Support CSAT", kind="csat", scale_min=1, scale_max=5,
        event_name="CSAT Answered", score_property="rating", comment_property="why",
    )  # fmt: skip
    key = "Basic " + base64.b64encode(f"{source.write_key}:".encode()).decode()
    properties = {"rating": 4, "why": "Quick", "segment": "SMB"}
    body = {"userId": "u1", "messageId": "m1", "timestamp": STAMP, "type": "track",
            "event": "CSAT Answered", "properties": properties}  # fmt: skip
    response = Client().post(
        "/v1/track", body, content_type="application/json", headers={"Authorization": key}
    )
    assert response.status_code == 200, response.content
    events_flush()
    surveys_sync_events()
    answer = survey.responses.get()
    assert (answer.score, answer.comment, answer.segment, answer.source) == (
        4,
        "Quick",
        "SMB",
        "event",
    )


def test_compaction_schedules_the_sync(personas: Personas) -> None:
    from quarterdeck.metrics.services import events_append
    from quarterdeck.metrics.storage.rows import EventRow, encode_row, micros
    from quarterdeck.metrics.tasks import compact_events

    survey = Survey.objects.create(
        name="Atlas NPS", kind="nps", scale_min=0, scale_max=10,
        event_name="survey sent", score_property="$survey_response",
    )  # fmt: skip
    moment = micros(dt.datetime.now(dt.UTC))
    row: EventRow = {"event_id": "x1", "source_id": "1", "type": "track", "event": "survey sent",
           "user_id": "u1", "anonymous_id": None, "account_id": None, "time": moment,
           "received_at": moment, "properties": '{"$survey_response": 8}',
           "traits": None}  # fmt: skip
    events_append(encode_row(row))
    compact_events.enqueue()  # the immediate backend of the tests runs the sync inline
    assert survey.responses.get().score == 8
