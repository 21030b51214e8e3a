"""Merging duplicates carries votes, submitters and links; dismissing keeps the pair apart."""

from __future__ import annotations

import pytest

from quarterdeck.feedback.models import (
    DuplicateCandidate,
    FeedbackItem,
    FeedbackLink,
    Vote,
)
from quarterdeck.portfolio.models import Feature
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _pair(personas: Personas) -> tuple[FeedbackItem, FeedbackItem, DuplicateCandidate]:
    api = Api(personas.member)
    first = api.post("/feedback", {
        "text": "The CSV export button does nothing when I click it",
        "submitter_email": "ann@example.com", "tags": ["export"],
    }).json()["id"]  # fmt: skip
    later = api.post("/feedback", {
        "text": "When I click the CSV export button it does nothing",
        "submitter_email": "bob@example.com", "tags": ["bug"],
    }).json()["id"]  # fmt: skip
    candidate = DuplicateCandidate.objects.get(item_id=later, original_id=first)
    return FeedbackItem.objects.get(pk=first), FeedbackItem.objects.get(pk=later), candidate


def _vote(item: FeedbackItem, *emails: str) -> None:
    for email in emails:
        Vote.objects.create(item=item, voter_email=email)
    item.votes = len(emails)
    item.save()


def test_merge_carries_votes_submitters_and_links(personas: Personas) -> None:
    first, later, candidate = _pair(personas)
    _vote(first, "x@example.com", "y@example.com")
    _vote(later, "y@example.com", "z@example.com")  # y voted for both: one vote after
    export = Feature.objects.create(name="Export", product=personas.atlas)
    FeedbackLink.objects.filter(item__in=[first, later]).delete()  # only the links made here
    FeedbackLink.objects.create(item=first, feature=export, importance="nice_to_have")
    FeedbackLink.objects.create(item=later, feature=export, importance="critical", state="accepted")
    FeedbackLink.objects.create(item=later, feature=personas.search, importance="important")

    response = Api(personas.member).post(f"/feedback/duplicates/{candidate.pk}/merge", None)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == first.pk
    assert response.json()["votes"] == 3

    first.refresh_from_db()
    later.refresh_from_db()
    assert set(first.vote_set.values_list("voter_email", flat=True)) == {
        "x@example.com", "y@example.com", "z@example.com",
    }  # fmt: skip
    assert later.duplicate_of == first
    assert later.status == "closed"
    assert later.votes == 0
    assert later.submitter_email == "bob@example.com"  # still told when it ships
    export_link = FeedbackLink.objects.get(item=first, feature=export)
    assert (export_link.importance, export_link.state) == ("critical", "accepted")
    assert FeedbackLink.objects.filter(item=first, feature=personas.search).exists()
    assert not FeedbackLink.objects.filter(item=later).exists()
    assert first.status == "linked"
    assert first.tags == ["export", "bug"]
    candidate.refresh_from_db()
    assert candidate.state == "merged"
    assert candidate.decided_by == personas.member
    again = Api(personas.member).post(f"/feedback/duplicates/{candidate.pk}/merge", None)
    assert again.status_code == 400


def test_dismiss_and_who_may_decide(personas: Personas) -> None:
    _, _, candidate = _pair(personas)
    path = f"/feedback/duplicates/{candidate.pk}"
    assert Api(personas.contributor).post(f"{path}/merge", None).status_code == 403
    assert Api(personas.viewer).post(f"{path}/dismiss", None).status_code == 403
    response = Api(personas.manager).post(f"{path}/dismiss", None)
    assert response.status_code == 200
    assert response.json()["state"] == "dismissed"
    assert not FeedbackItem.objects.filter(duplicate_of__isnull=False).exists()
    assert Api(personas.member).post("/feedback/duplicates/999999/merge", None).status_code == 404


def test_a_dismissed_pair_is_not_suggested_again(personas: Personas) -> None:
    _first, later, candidate = _pair(personas)
    Api(personas.member).post(f"/feedback/duplicates/{candidate.pk}/dismiss", None)
    from quarterdeck.feedback.pipeline import process_items

    process_items([later.pk])
    candidate.refresh_from_db()
    assert candidate.state == "dismissed"
    assert DuplicateCandidate.objects.count() == 1
