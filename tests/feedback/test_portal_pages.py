"""The idea portal pages: a public portal for anyone (who gives an e-mail to submit or vote), a
sign-in-only portal that sends visitors to sign in, a disabled one hidden; the portal settings
page for whoever may change the line."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from quarterdeck.feedback.models import FeedbackItem, Portal, Vote
from quarterdeck.feedback.portal import portal_save, portal_submit
from tests.personas import Personas


@pytest.fixture
def public(personas: Personas) -> Portal:
    data = {"slug": "platform-ideas", "title": "Platform ideas", "visibility": "public"}
    return portal_save(actor=personas.manager, line=personas.platform, data=data)


@pytest.fixture
def idea(public: Portal) -> FeedbackItem:
    return portal_submit(
        portal=public, user=None, name="Ann", email="ann@customer.test",
        text="Dark mode for the dashboards", product_id=None,
    )  # fmt: skip


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anyone_reads_a_public_portal_sorted_by_votes(public: Portal, idea: FeedbackItem) -> None:
    other = portal_submit(
        portal=public, user=None, name="", email="bo@customer.test", text="Export to PDF"
    )
    Vote.objects.create(item=other, voter_email="x@y.test")
    Vote.objects.create(item=other, voter_email="z@y.test")
    FeedbackItem.objects.filter(pk=other.pk).update(votes=2)
    response = Client().get("/portal/platform-ideas/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Export to PDF") < html.index("Dark mode for the dashboards")
    assert 'name="email"' in html  # a public portal asks for the address


def test_anonymous_submit_needs_an_email(public: Portal) -> None:
    client = Client()
    refused = client.post("/portal/platform-ideas/submit/", {"text": "Bulk edit"})
    assert refused.status_code == 400
    assert "This field is required" in refused.content.decode()
    assert not FeedbackItem.objects.filter(text="Bulk edit").exists()
    done = client.post(
        "/portal/platform-ideas/submit/", {"text": "Bulk edit", "email": "cy@customer.test"}
    )
    assert done.status_code == 302
    item = FeedbackItem.objects.get(text="Bulk edit")
    assert item.source == "portal"
    assert item.public
    assert item.submitter_email == "cy@customer.test"


def test_a_product_of_another_line_is_a_field_error(personas: Personas, public: Portal) -> None:
    response = Client().post(
        "/portal/platform-ideas/submit/",
        {"text": "Idea", "email": "a@b.test", "product_id": personas.beacon.pk},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_votes_count_once_per_email(public: Portal, idea: FeedbackItem) -> None:
    client = Client()
    url = f"/portal/platform-ideas/ideas/{idea.pk}/vote/"
    assert client.post(url, {"email": "dee@customer.test"}).status_code == 302
    assert client.post(url, {"email": "dee@customer.test"}).status_code == 302
    idea.refresh_from_db()
    assert idea.votes == 1
    assert client.post(url, {"email": "not an address"}).status_code == 400


def test_signed_in_users_vote_without_an_email(
    personas: Personas, public: Portal, idea: FeedbackItem
) -> None:
    client = _signed_in(personas.contributor)
    assert 'name="email"' not in client.get("/portal/platform-ideas/").content.decode()
    client.post(f"/portal/platform-ideas/ideas/{idea.pk}/vote/")
    assert Vote.objects.filter(item=idea, voter_email=personas.contributor.email).exists()


def test_a_sign_in_portal_sends_visitors_to_sign_in(personas: Personas, public: Portal) -> None:
    portal_save(
        actor=personas.manager, line=personas.platform, data={"visibility": "signed_in"},
        expected_version=public.version,
    )  # fmt: skip
    response = Client().get("/portal/platform-ideas/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert _signed_in(personas.viewer).get("/portal/platform-ideas/").status_code == 200


def test_a_disabled_portal_is_hidden_but_from_its_managers(
    personas: Personas, public: Portal
) -> None:
    portal_save(
        actor=personas.manager, line=personas.platform, data={"enabled": False},
        expected_version=public.version,
    )  # fmt: skip
    assert Client().get("/portal/platform-ideas/").status_code == 404
    assert _signed_in(personas.manager).get("/portal/platform-ideas/").status_code == 200
    assert Client().get("/portal/nowhere/").status_code == 404


def test_portal_settings_for_whoever_may_change_the_line(personas: Personas) -> None:
    listing = _signed_in(personas.member).get("/feedback/portals/").content.decode()
    assert "Platform" in listing
    assert f"/feedback/portals/lines/{personas.platform.pk}/" not in listing  # Mia: not her line
    assert (
        _signed_in(personas.member)
        .get(f"/feedback/portals/lines/{personas.platform.pk}/")
        .status_code
        == 403
    )
    client = _signed_in(personas.manager)
    url = f"/feedback/portals/lines/{personas.platform.pk}/"
    bad = client.post(url, {"slug": "Not A Slug", "title": "", "visibility": "public"})
    assert bad.status_code == 400
    assert "This field is required" in bad.content.decode()
    ok = client.post(
        url,
        {"slug": "platform", "title": "Platform ideas", "visibility": "public", "enabled": "on"},
    )
    assert ok.status_code == 302
    portal = Portal.objects.get(line=personas.platform)
    assert (portal.slug, portal.visibility, portal.enabled) == ("platform", "public", True)
