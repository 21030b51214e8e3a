"""Every main page renders for every persona; admin pages only for admins."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ClientFor = Callable[..., Client]


def read_pages(p: Personas) -> list[str]:
    return [
        "/",
        "/portfolio/",
        f"/portfolio/lines/{p.platform.pk}/",
        f"/portfolio/products/{p.atlas.pk}/",
        f"/portfolio/features/{p.search.pk}/",
        "/people/",
        f"/people/{p.people['mia'].pk}/",
        "/people/org-chart/",
        "/teams/",
        f"/teams/{p.team.pk}/",
        "/account/",
        "/account/password/",
    ]


@pytest.mark.parametrize(
    "role", ["admin", "leader", "manager", "member", "contributor", "viewer", "outsider"]
)
def test_read_pages_render_for_every_persona(
    personas: Personas, client_for: ClientFor, role: str
) -> None:
    client = client_for(personas.by_role()[role])
    for url in read_pages(personas):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'<main id="main"' in response.content, url


def test_signed_out_visitors_are_sent_to_login(personas: Personas, client: Client) -> None:
    response = client.get("/portfolio/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/portfolio/")


@pytest.mark.parametrize("url", ["/admin-tools/audit/", "/admin-tools/users/"])
def test_admin_pages_are_for_admins_only(
    personas: Personas, client_for: ClientFor, url: str
) -> None:
    assert client_for(personas.admin).get(url).status_code == 200
    for role in ("leader", "manager", "member", "contributor", "viewer"):
        response = client_for(personas.by_role()[role]).get(url)
        assert response.status_code == 403, role
        assert b"You may not do this" in response.content


def test_audit_log_filters_and_pages(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.admin)
    client.post(f"/portfolio/features/{personas.search.pk}/delete/", {"version": 1})
    page = client.get("/admin-tools/audit/?object_type=feature&action=delete").content.decode()
    assert "1 entry." in page
    assert "Atlas Search" in page
    assert "0 entries." in client.get("/admin-tools/audit/?object_type=person").content.decode()
    bad = client.get("/admin-tools/audit/?actor=99999999999999999999&page=x")
    assert bad.status_code == 400
    assert "were not understood" in bad.content.decode()


def test_admin_navigation_shows_only_to_admins(personas: Personas, client_for: ClientFor) -> None:
    admin_page = client_for(personas.admin).get("/").content.decode()
    leader_page = client_for(personas.leader).get("/").content.decode()
    assert 'href="/admin-tools/audit/"' in admin_page
    assert 'href="/admin/"' in admin_page
    assert 'href="/admin-tools/audit/"' not in leader_page
    for link in (
        'href="/portfolio/"',
        'href="/people/"',
        'href="/people/org-chart/"',
        'href="/teams/"',
    ):
        assert link in leader_page


def test_home_shows_stage_chart_my_products_and_recent_changes(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.member)
    client.post(
        f"/portfolio/products/{personas.atlas.pk}/inline/owner/",
        {"owner_id": personas.people["mia"].pk, "version": personas.atlas.version},
    )
    client.post(
        f"/portfolio/products/{personas.atlas.pk}/edit/", product_form(personas, description="Maps")
    )
    page = client.get("/").content.decode()
    assert 'class="stage-chart"' in page
    assert "Products (2)" in page
    assert f'href="/portfolio/products/{personas.atlas.pk}/"' in page  # she owns Atlas
    assert "Maps" in page  # her own change is among the recent ones


def product_form(p: Personas, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Atlas",
        "line_id": p.platform.pk,
        "owner_id": p.people["mia"].pk,
        "stage": p.atlas.stage,
        "stage_was": p.atlas.stage,
        "description": "",
        "target_segments": "",
        "links": "",
        "version": p.atlas.version,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "url",
    [
        "/portfolio/?owner=abc",
        "/portfolio/?line=999999",
        "/portfolio/?stage=nonsense",
        "/people/?team=abc",
        "/people/?level=ceo",
    ],
)
def test_bad_filters_answer_400_with_the_reason(
    personas: Personas, client_for: ClientFor, url: str
) -> None:
    response = client_for(personas.leader).get(url)
    assert response.status_code == 400
    assert b"were not understood" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/portfolio/products/999999/",
        "/portfolio/lines/999999/edit/",
        "/portfolio/features/999999/",
        "/people/999999/",
        "/teams/999999/",
        "/no-such-page/",
        "/portfolio/products/99999999999999999999/",
    ],
)
def test_unknown_ids_give_the_404_page(personas: Personas, client_for: ClientFor, url: str) -> None:
    response = client_for(personas.leader).get(url)
    assert response.status_code == 404
    assert b"Nothing here" in response.content


def test_a_bad_host_gets_the_400_page_without_a_traceback(
    personas: Personas, client: Client
) -> None:
    response = client.get("/login/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert b"That request did not make sense" in response.content
    assert b"Traceback" not in response.content


@pytest.mark.parametrize(
    "url",
    ["/portfolio/features/new/?product=99999999999999999999", "/portfolio/lines/new/?parent=-1"],
)
def test_out_of_range_ids_in_links_are_ignored(
    personas: Personas, client_for: ClientFor, url: str
) -> None:
    assert client_for(personas.leader).get(url).status_code == 200


def test_audit_log_pagination_keeps_the_filters(personas: Personas, client_for: ClientFor) -> None:
    for number in range(55):
        audit_record(
            actor=personas.admin,
            action=Action.UPDATE,
            obj=personas.atlas,
            before={"n": number},
            after={"n": number + 1},
            object_type="product",
        )
    client = client_for(personas.admin)
    first = client.get("/admin-tools/audit/?object_type=product").content.decode()
    assert "55 entries, page 1 of 2." in first
    assert 'href="?object_type=product&amp;page=2"' in first
    second = client.get("/admin-tools/audit/?object_type=product&page=2").content.decode()
    assert second.count('class="history-entry"') == 5
