"""Links from feedback to features: suggestions, accept/reject, passages, and learning."""

from __future__ import annotations

import numpy as np
import pytest

from quarterdeck.feedback.links import suggest_links
from quarterdeck.feedback.ml.vectors import from_bytes
from quarterdeck.feedback.models import FeatureProfile, FeedbackItem, FeedbackLink
from quarterdeck.portfolio.models import Feature
from tests.api.client import Api
from tests.feedback.insight_factory import item, items
from tests.personas import Personas

pytestmark = pytest.mark.django_db

CHASING = [
    "Our customers keep paying late and we have to chase them by phone",
    "Chasing late payers takes our accountant a whole day every month",
]
LATER = "Clients forget to pay and we spend hours chasing the money"


@pytest.fixture
def features(personas: Personas) -> dict[str, Feature]:
    """Atlas's features: 'Dunning' is jargon the model cannot read without examples."""
    atlas = personas.atlas
    return {
        "search": personas.search,
        "dunning": Feature.objects.create(name="Dunning", product=atlas),
        "templates": Feature.objects.create(
            name="Invoice templates",
            product=atlas,
            description="Design the layout of the invoices you send",
        ),
        "export": Feature.objects.create(
            name="CSV export", product=atlas, description="Download your reports as CSV files"
        ),
    }


def _suggest(it: FeedbackItem) -> list[FeedbackLink]:
    assert it.embedding is not None
    return suggest_links(it, from_bytes(bytes(it.embedding)))


def test_suggestions_rank_by_meaning_and_skip_decided_features(
    personas: Personas, features: dict[str, Feature]
) -> None:
    it = item("Please let me download the monthly report as a CSV file", product=personas.atlas)
    suggested = _suggest(it)
    assert suggested
    assert suggested[0].feature == features["export"]
    assert all(link.state == "suggested" and (link.score or 0) >= 0.3 for link in suggested)
    api = Api(personas.member)
    link_id = suggested[0].pk
    assert api.post(f"/feedback/links/{link_id}/reject", {}).status_code == 200
    again = _suggest(it)  # a rejected feature is not suggested again, and the rejection stays
    assert features["export"].pk not in {link.feature_id for link in again}
    assert FeedbackLink.objects.get(pk=link_id).state == "rejected"


def test_accept_links_the_item_and_sets_importance(
    personas: Personas, features: dict[str, Feature]
) -> None:
    it = item("Exporting reports to CSV would save me an hour a week", product=personas.atlas)
    (first, *_) = _suggest(it)
    api = Api(personas.member)
    response = api.post(f"/feedback/links/{first.pk}/accept", {"importance": "critical"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "accepted"
    assert response.json()["importance"] == "critical"
    it.refresh_from_db()
    assert it.status == "linked"
    listed = api.get(f"/feedback/{it.pk}/links").json()
    assert listed[0]["id"] == first.pk  # accepted first
    assert api.delete(f"/feedback/links/{first.pk}").status_code == 204
    it.refresh_from_db()
    assert it.status == "triaged"


def test_a_passage_can_be_linked_and_bad_offsets_are_named(
    personas: Personas, features: dict[str, Feature]
) -> None:
    text = "Search is slow. Also, I would love a CSV export of my invoices."
    it = item(text, product=personas.atlas)
    api = Api(personas.member)
    start = text.index("I would")
    body = {"feature_id": features["export"].pk, "importance": "important"}
    response = api.post(
        f"/feedback/{it.pk}/links", {**body, "passage_start": start, "passage_end": len(text)}
    )
    assert response.status_code == 201, response.content
    assert response.json()["passage"] == "I would love a CSV export of my invoices."
    assert response.json()["state"] == "accepted"
    bad = api.post(f"/feedback/{it.pk}/links", {**body, "passage_start": 5, "passage_end": 500})
    assert bad.status_code == 400
    assert "passage_end" in bad.json()["fields"]
    half = api.post(f"/feedback/{it.pk}/links", {**body, "passage_start": 5})
    assert half.status_code == 400
    assert "passage_end" in half.json()["fields"]
    patched = api.patch(f"/feedback/links/{response.json()['id']}", {"importance": "critical"})
    assert patched.status_code == 200
    assert patched.json()["importance"] == "critical"


def test_accepted_links_improve_the_ranking_of_a_later_item(
    personas: Personas, features: dict[str, Feature]
) -> None:
    """'Dunning' means nothing to the model: a later item about chasing late payers gets no
    suggestion for it, until people link two such items to it by hand."""
    dunning = features["dunning"]
    later = item(LATER, product=personas.atlas)
    assert dunning.pk not in {link.feature_id for link in _suggest(later)}
    api = Api(personas.member)
    for taught in items(CHASING, product=personas.atlas):
        body = {"feature_id": dunning.pk, "importance": "important"}
        assert api.post(f"/feedback/{taught.pk}/links", body).status_code == 201
    profile = FeatureProfile.objects.get(feature=dunning)
    assert profile.accepted_count == 2
    after = _suggest(later)
    assert after[0].feature_id == dunning.pk
    assert after[0].score is not None
    assert after[0].score > 0.4


def test_rejections_push_similar_items_away(
    personas: Personas, features: dict[str, Feature]
) -> None:
    export = features["export"]
    rejected = item("I want to export the whole customer list to Excel", product=personas.atlas)
    similar = item("Exporting my customers into a spreadsheet please", product=personas.atlas)
    before = {link.feature_id: link.score or 0.0 for link in _suggest(similar)}
    link = next(link for link in _suggest(rejected) if link.feature_id == export.pk)
    assert Api(personas.member).post(f"/feedback/links/{link.pk}/reject", {}).status_code == 200
    profile = FeatureProfile.objects.get(feature=export)
    assert profile.rejected_count == 1
    assert profile.rejected_centroid is not None
    after = {link.feature_id: link.score or 0.0 for link in _suggest(similar)}
    assert after.get(export.pk, 0.0) < before[export.pk]


def test_profile_follows_the_feature_text(personas: Personas, features: dict[str, Feature]) -> None:
    it = item("Please add a way to find invoices by customer name", product=personas.atlas)
    _suggest(it)
    old = from_bytes(bytes(FeatureProfile.objects.get(feature=features["dunning"]).text_embedding))
    features["dunning"].description = "Automatic reminders to customers who pay late"
    features["dunning"].save()
    _suggest(it)
    new = from_bytes(bytes(FeatureProfile.objects.get(feature=features["dunning"]).text_embedding))
    assert float(np.dot(old, new)) < 0.99


def test_viewers_and_contributors_do_not_triage(
    personas: Personas, features: dict[str, Feature]
) -> None:
    it = item("Export to CSV please", product=personas.atlas)
    (first, *_) = _suggest(it)
    for user in (personas.viewer, personas.contributor):
        api = Api(user)
        assert api.get(f"/feedback/{it.pk}/links").status_code == 200
        assert api.post(f"/feedback/links/{first.pk}/accept", {}).status_code == 403
        body = {"feature_id": features["export"].pk}
        assert api.post(f"/feedback/{it.pk}/links", body).status_code == 403
    assert Api(personas.member).get("/feedback/links/999999/accept").status_code in {404, 405}
    assert Api(personas.member).post("/feedback/links/999999/accept", {}).status_code == 404
