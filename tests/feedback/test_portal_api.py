"""The portal over the API: public vs signed-in, anonymous ideas and votes, one vote per e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from quarterdeck.feedback.models import FeedbackItem, Portal
from tests.api.client import Api, etag_of
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _portal(personas: Personas, visibility: str) -> str:
    response = Api(personas.manager).post(
        "/portals", {"line_id": personas.platform.pk, "visibility": visibility}
    )
    assert response.status_code == 201, response.content
    slug: str = response.json()["slug"]
    return slug


def _anonymous(method: str, path: str, body: Any = None) -> Any:
    return Api(None).send(method, path, body)


def test_only_who_may_change_the_line_opens_its_portal(personas: Personas) -> None:
    body = {"line_id": personas.platform.pk}
    assert Api(personas.member).post("/portals", body).status_code == 403
    assert Api(personas.outsider).post("/portals", body).status_code == 403
    created = Api(personas.manager).post("/portals", body)
    assert created.status_code == 201
    assert created.json()["slug"] == "platform"
    assert created.json()["title"] == "Platform ideas"
    twice = Api(personas.leader).post("/portals", body)
    assert twice.status_code == 400
    assert "line_id" in twice.json()["fields"]


def test_a_public_portal_takes_anonymous_ideas_and_votes(personas: Personas) -> None:
    slug = _portal(personas, "public")
    assert _anonymous("GET", f"/portals/{slug}").status_code == 200
    idea = {"text": "Let me export invoices to PDF", "email": "pat@example.com", "name": "Pat"}
    created = _anonymous(
        "POST", f"/portals/{slug}/items", {**idea, "product_id": personas.atlas.pk}
    )
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    item = FeedbackItem.objects.get(pk=item_id)
    assert (item.source, item.public, item.line) == ("portal", True, personas.platform)
    assert item.submitter_email == "pat@example.com"
    assert item.processed_at is not None
    listed = _anonymous("GET", f"/portals/{slug}/items").json()
    assert [i["id"] for i in listed["items"]] == [item_id]
    assert "submitter_email" not in listed["items"][0]

    vote = f"/portals/{slug}/items/{item_id}/vote"
    for email in ("a@example.com", "A@Example.com", "b@example.com"):
        assert _anonymous("POST", vote, {"email": email}).status_code == 200
    assert FeedbackItem.objects.get(pk=item_id).votes == 2  # one vote per e-mail address
    withdrawn = Api(None).client.delete(f"/api/v1{vote}?email=b@example.com")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["votes"] == 1


def test_public_portal_needs_an_email_and_a_product_of_its_line(personas: Personas) -> None:
    slug = _portal(personas, "public")
    no_email = _anonymous("POST", f"/portals/{slug}/items", {"text": "Idea"})
    assert no_email.status_code == 400
    assert "email" in no_email.json()["fields"]
    elsewhere = _anonymous(
        "POST", f"/portals/{slug}/items",
        {"text": "Idea", "email": "p@example.com", "product_id": personas.beacon.pk},
    )  # fmt: skip
    assert elsewhere.status_code == 400
    assert "Atlas" in elsewhere.json()["fields"]["product_id"][0]
    empty = _anonymous("POST", f"/portals/{slug}/items", {"text": " ", "email": "p@example.com"})
    assert empty.status_code == 400
    assert "text" in empty.json()["fields"]
    assert not FeedbackItem.objects.exists()


def test_a_signed_in_portal_answers_401_to_visitors_and_403_to_viewers(
    personas: Personas,
) -> None:
    slug = _portal(personas, "signed_in")
    assert _anonymous("GET", f"/portals/{slug}").status_code == 401
    assert _anonymous("GET", f"/portals/{slug}/items").status_code == 401
    anonymous_idea = _anonymous("POST", f"/portals/{slug}/items", {"text": "x", "email": "a@b.co"})
    assert anonymous_idea.status_code == 401
    assert Api(personas.viewer).get(f"/portals/{slug}/items").status_code == 200
    viewer_idea = Api(personas.viewer).post(f"/portals/{slug}/items", {"text": "Idea"})
    assert viewer_idea.status_code == 403
    created = Api(personas.contributor).post(f"/portals/{slug}/items", {"text": "Bulk edit"})
    assert created.status_code == 201
    item = FeedbackItem.objects.get(pk=created.json()["id"])
    assert item.submitter_email == personas.contributor.email
    assert item.created_by == personas.contributor
    vote = f"/portals/{slug}/items/{item.pk}/vote"
    assert Api(personas.viewer).post(vote, {}).status_code == 403
    assert _anonymous("POST", vote, {"email": "x@example.com"}).status_code == 401
    assert Api(personas.member).post(vote, {"email": "ignored@example.com"}).status_code == 200
    assert Api(personas.member).post(vote, {}).json()["votes"] == 1
    assert item.vote_set.get().voter_email == personas.member.email


def test_a_disabled_portal_is_hidden_and_settings_need_if_match(personas: Personas) -> None:
    slug = _portal(personas, "public")
    api = Api(personas.manager)
    read = api.get(f"/portals/{slug}")
    assert api.patch(f"/portals/{slug}", {"enabled": False}).status_code == 428
    changed = api.patch(f"/portals/{slug}", {"enabled": False}, if_match=etag_of(read))
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    assert _anonymous("GET", f"/portals/{slug}").status_code == 404
    assert api.get(f"/portals/{slug}").status_code == 200  # its managers still see it
    assert (
        Api(personas.member).patch(f"/portals/{slug}", {"title": "x"}, if_match=2).status_code
        == 403
    )
    assert api.delete(f"/portals/{slug}", if_match=2).status_code == 204
    assert not Portal.objects.exists()


def test_a_session_write_to_a_portal_needs_the_csrf_token(personas: Personas) -> None:
    slug = _portal(personas, "public")
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.contributor)
    response = client.post(
        f"/api/v1/portals/{slug}/items", {"text": "Idea"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not FeedbackItem.objects.exists()
