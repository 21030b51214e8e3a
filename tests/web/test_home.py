"""The home page: a compact feed of recent changes and the user's area of the portfolio."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from quarterdeck.portfolio.models import Product
from tests.personas import Personas
from tests.web.test_pages import product_form

pytestmark = pytest.mark.django_db

ClientFor = Callable[..., Client]


def section(page: str, heading_id: str) -> str:
    """The HTML of the card whose heading has this id."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page, re.S)
    assert match, f"no section {heading_id}"
    return match.group(0)


def edit_atlas(client: Client, p: Personas, **changes: object) -> None:
    atlas = Product.objects.get(pk=p.atlas.pk)
    data = product_form(p, stage=atlas.stage, stage_was=atlas.stage, version=atlas.version)
    data.update(changes)
    response = client.post(f"/portfolio/products/{atlas.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_recent_changes_say_what_changed_in_one_line_each(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.leader)
    edit_atlas(client, personas, stage="launch", stage_reason="Beta is done")
    edit_atlas(
        client,
        personas,
        description="Maps for fleets. " * 5,
        links="Spec https://example.com/specs/atlas/fleet-maps",
    )
    recent = section(client.get("/").content.decode(), "recent-heading")
    assert 'class="diff"' not in recent  # no before/after tables: the item's History has those
    entries = re.findall(r'<li class="feed-entry">(.*?)</li>', recent, re.S)
    assert len(entries) == 2
    newest, oldest = (re.sub(r"\s+", " ", entry) for entry in entries)
    assert "Updated" in oldest
    assert f'<a href="/portfolio/products/{personas.atlas.pk}/">Atlas</a>' in oldest
    assert "product" in oldest
    assert "stage Build → Launch" in oldest
    assert "Lena Leader" in oldest
    assert "just now" in oldest
    assert "description, links changed" in newest  # long values are named, not quoted


def test_recent_changes_show_the_latest_ten(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.leader)
    for n in range(12):
        edit_atlas(client, personas, description=f"v{n}")
    recent = section(client.get("/").content.decode(), "recent-heading")
    assert recent.count('class="feed-entry"') == 10
    assert "description v10 → v11" in recent
    assert "description set to v0" not in recent  # the oldest two fell off


def test_a_leaders_area_is_their_whole_reporting_line(
    personas: Personas, client_for: ClientFor
) -> None:
    area = section(client_for(personas.leader).get("/").content.decode(), "area-heading")
    for item in (personas.platform, personas.growth, personas.atlas, personas.beacon):
        assert f">{item.name}</a>" in area
    assert ">Max Manager</a>'s group" in area
    assert ">Gus Group</a>'s group" in area
    assert ">Atlas Search</a>" not in area  # lines and products; features are in the portfolio
    assert 'class="badge stage-launch"' in area  # Beacon's stage
    assert 'href="/portfolio/">See all in the portfolio' in area  # several owners: no filter


def test_a_managers_area_is_their_group_only(personas: Personas, client_for: ClientFor) -> None:
    area = section(client_for(personas.manager).get("/").content.decode(), "area-heading")
    assert ">Platform</a>" in area  # his own line
    assert ">Atlas</a>" in area  # Mia reports to him
    assert ">Beacon</a>" not in area
    assert ">Growth</a>" not in area


def test_a_members_area_is_what_they_own(personas: Personas, client_for: ClientFor) -> None:
    mia = personas.people["mia"]
    area = section(client_for(personas.member).get("/").content.decode(), "area-heading")
    assert ">Atlas</a>" in area
    assert ">Atlas Search</a>" in area
    assert ">Beacon</a>" not in area
    assert f'href="/portfolio/?owner={mia.pk}">See all in the portfolio' in area


def test_users_without_a_person_are_told_why_their_area_is_empty(
    personas: Personas, client_for: ClientFor
) -> None:
    area = section(client_for(personas.viewer).get("/").content.decode(), "area-heading")
    assert "not linked to a person in the org" in area
    assert "<table" not in area


def test_a_large_area_is_capped_with_a_link_to_the_rest(
    personas: Personas, client_for: ClientFor
) -> None:
    mia = personas.people["mia"]
    Product.objects.bulk_create(
        Product(name=f"Extra {n:02}", line=personas.platform, owner=mia) for n in range(20)
    )
    area = section(client_for(personas.leader).get("/").content.decode(), "area-heading")
    assert area.count("<tr>") - 1 == 15  # rows of items, less the header row
    assert "Showing 15 of 24." in area
    assert ">See all in the portfolio</a>" in area
