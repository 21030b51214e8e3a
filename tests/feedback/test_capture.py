"""Capture: the quick-add path through the API, bad input, enormous text, survey verbatims."""

from __future__ import annotations

import pytest

from quarterdeck.audit.models import AuditEntry
from quarterdeck.feedback.models import FeedbackItem
from quarterdeck.surveys.models import Response, Survey
from tests.api.client import Api, etag_of
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_an_item_added_through_the_api_is_processed_before_the_answer(
    personas: Personas,
) -> None:
    body = {
        "text": "I love how fast the search is, it finds every invoice at once",
        "product_id": personas.atlas.pk,
        "account": "acc_42",
        "account_name": "Northwind",
        "tags": ["search", " search ", "speed"],
    }
    response = Api(personas.contributor).post("/feedback", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["sentiment"] == "positive"
    assert out["sentiment_score"] > 0.3
    assert out["processed_at"] is not None
    assert out["line"] == {"id": personas.platform.pk, "name": "Platform"}
    assert out["tags"] == ["search", "speed"]
    assert out["model_truncated"] is False
    assert out["notice"] == ""
    assert etag_of(response) == out["version"] == 1
    item = FeedbackItem.objects.get(pk=out["id"])
    assert item.embedding is not None
    assert len(item.embedding) == 384 * 4
    assert item.created_by == personas.contributor
    assert AuditEntry.objects.filter(object_type="feedback_item", object_id=str(item.pk)).exists()


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"text": "   "}, "text", "empty"),
        ({"text": "ok", "product_id": 999_999}, "product_id", "no product with id 999999"),
        ({"text": "ok", "submitter_email": "not-an-address"}, "submitter_email", "not an e-mail"),
        ({"text": "ok", "line_id": 999_999}, "line_id", "no product line"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    personas: Personas, body: dict[str, object], field: str, words: str
) -> None:
    response = Api(personas.member).post("/feedback", body)
    assert response.status_code == 400, response.content
    assert words in response.json()["fields"][field][0]
    assert not FeedbackItem.objects.exists()


def test_unknown_product_error_lists_the_known_products(personas: Personas) -> None:
    response = Api(personas.member).post("/feedback", {"text": "x", "product_id": 999_999})
    assert "Atlas" in response.json()["fields"]["product_id"][0]


def test_an_enormous_text_is_kept_whole_and_flagged_with_a_notice(personas: Personas) -> None:
    text = " ".join(f"word{i % 97} is slow" for i in range(40_000))  # ≈ 500 kB
    response = Api(personas.member).post("/feedback", {"text": text})
    assert response.status_code == 201, response.content[:300]
    out = response.json()
    assert out["text"] == text
    assert out["model_truncated"] is True
    assert "256 word pieces" in out["notice"]
    assert FeedbackItem.objects.get(pk=out["id"]).text == text


def test_a_changed_text_is_processed_again_and_the_version_checked(personas: Personas) -> None:
    api = Api(personas.member)
    created = api.post("/feedback", {"text": "The export is great, thank you"}).json()
    item = FeedbackItem.objects.get(pk=created["id"])
    old_hash = item.text_hash
    stale = api.patch(f"/feedback/{item.pk}", {"text": "x"}, if_match=0)
    assert stale.status_code == 412
    changed = api.patch(
        f"/feedback/{item.pk}", {"text": "The export is broken and useless"}, if_match=1
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["sentiment"] == "negative"
    item.refresh_from_db()
    assert item.text_hash != old_hash
    assert item.version == 2


def test_same_external_id_twice_is_refused(personas: Personas) -> None:
    api = Api(personas.member)
    assert api.post("/feedback", {"text": "a", "external_id": "T-1"}).status_code == 201
    again = api.post("/feedback", {"text": "b", "external_id": "T-1"})
    assert again.status_code == 400
    assert "external_id" in again.json()["fields"]


def _survey(personas: Personas) -> Survey:
    survey = Survey.objects.create(
        name="Atlas NPS", kind="nps", scale_min=0, scale_max=10, product=personas.atlas
    )
    answers = [
        (9, "Search is so quick now", "acc_1", "smb"),
        (3, "Invoices never arrive by email", "acc_2", "enterprise"),
        (8, "", "acc_3", "smb"),  # no comment: not customer voice
    ]
    for n, (score, comment, account, segment) in enumerate(answers):
        Response.objects.create(
            survey=survey, score=score, comment=comment, account=account, segment=segment,
            answered_at=f"2025-03-0{n + 1}T10:00:00Z", source="api", external_id=f"r{n}",
        )  # fmt: skip
    return survey


def test_survey_verbatims_become_items_once(personas: Personas) -> None:
    survey = _survey(personas)
    api = Api(personas.member)
    first = api.post("/feedback/import-surveys", {"survey_id": survey.pk})
    assert first.status_code == 200, first.content
    assert first.json() == {"created": 2}
    again = api.post("/feedback/import-surveys", {})
    assert again.json() == {"created": 0}
    item = FeedbackItem.objects.get(account="acc_2")
    assert item.source == "survey"
    assert item.product == personas.atlas
    assert item.segment == "enterprise"
    assert item.received_at.day == 2
    assert item.survey_response is not None
    assert item.survey_response.score == 3
    assert api.post("/feedback/import-surveys", {"survey_id": 999_999}).status_code == 404
    denied = Api(personas.contributor).post("/feedback/import-surveys", {})
    assert denied.status_code == 403
