"""Public share links: work without sign-in, show no write controls, 404 after revoke, after
expiry and when tampered with; exports behind the link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from quarterdeck.roadmap import board
from quarterdeck.roadmap.models import ShareLink
from tests.personas import Personas

ClientFor = Callable[[Any], Client]


def _shared(p: Personas) -> tuple[ShareLink, str]:
    board.entry_place(actor=None, feature_id=p.search.pk, lane="now")
    view = board.view_create(actor=p.member, data={"name": "Atlas roadmap"})
    return board.link_create(actor=p.member, view_id=view.pk, label="deck")


def test_link_works_without_sign_in_and_read_only(personas: Personas) -> None:
    link, token = _shared(personas)
    response = Client().get(f"/share/{token}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    page = response.content.decode()
    assert "Atlas roadmap" in page
    assert "Atlas Search" in page
    for write in ("<form", "/move/", 'draggable="true"', 'class="nav"', "Sign out"):
        assert write not in page
    link.refresh_from_db()
    assert link.last_used_at is not None
    assert ShareLink.objects.get(pk=link.pk).token_hash != token  # only the hash is stored
    csv = Client().get(f"/share/{token}/export.csv")
    assert csv.status_code == 200
    assert "Atlas Search" in csv.content.decode()


def test_revoked_expired_tampered_are_404(personas: Personas) -> None:
    link, token = _shared(personas)
    assert Client().get(f"/share/{token[:-2]}xx/").status_code == 404
    assert Client().get("/share/not-a-token/").status_code == 404
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert Client().get(f"/share/{token}/").status_code == 404
    ShareLink.objects.filter(pk=link.pk).update(expires_at=None)
    assert Client().get(f"/share/{token}/").status_code == 200
    board.link_revoke(actor=personas.member, link_id=link.pk)
    assert Client().get(f"/share/{token}/").status_code == 404
    assert Client().get(f"/share/{token}/export.csv").status_code == 404


def test_link_pages_show_url_once_and_revoke(personas: Personas, client_for: ClientFor) -> None:
    view = board.view_create(actor=personas.member, data={"name": "Atlas roadmap"})
    client = client_for(personas.member)
    made = client.post(f"/roadmap/views/{view.pk}/links/", {"label": "deck", "expires_days": "3"})
    assert made.status_code == 201
    assert "/share/" in made.content.decode()
    link = ShareLink.objects.get(view=view)
    listing = client.get(f"/roadmap/views/{view.pk}/links/").content.decode()
    assert "deck" in listing
    assert "/share/" not in listing
    assert client_for(personas.viewer).get(f"/roadmap/views/{view.pk}/links/").status_code == 404
    client.post(f"/roadmap/links/{link.pk}/revoke/")
    assert ShareLink.objects.get(pk=link.pk).revoked_at is not None


def test_deleting_the_view_kills_its_links(personas: Personas) -> None:
    link, token = _shared(personas)
    board.view_delete(actor=personas.leader, view_id=link.view_id, expected_version=None)
    assert Client().get(f"/share/{token}/").status_code == 404
