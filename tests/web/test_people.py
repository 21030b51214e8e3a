"""The people directory, person pages and edits, teams and the org chart."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from quarterdeck.people.models import Person
from tests.personas import Personas
from tests.web.html_forms import form_values

pytestmark = pytest.mark.django_db

ClientFor = Callable[..., Client]


def person_form(person: Person, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": person.name,
        "email": person.email or "",
        "title": person.title,
        "function": person.function,
        "level": person.level,
        "manager_id": person.manager_id or "",
        "location": person.location,
        "version": person.version,
    }
    data.update(changes)
    return data


def test_directory_filters(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.viewer)
    everyone = client.get("/people/").content.decode()
    assert all(f">{p.name}</a>" in everyone for p in personas.people.values())
    sales = client.get("/people/?function=sales").content.decode()
    assert ">Carl Contributor</a>" in sales
    assert ">Mia Member</a>" not in sales
    pms = client.get("/people/?level=pm&q=mia").content.decode()
    assert ">Mia Member</a>" in pms
    assert ">Otto Outsider</a>" not in pms
    squad = client.get(
        f"/people/?team={personas.team.pk}", headers={"HX-Request": "true"}
    ).content.decode()
    assert squad.lstrip().startswith('<section id="people-results"')
    assert ">Mia Member</a>" in squad
    assert "1 person</p>" in squad  # Max shows only as her manager


def test_person_page_shows_manager_reports_teams_and_what_they_own(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.viewer)
    mia = client.get(f"/people/{personas.people['mia'].pk}/").content.decode()
    assert f'href="/people/{personas.people["max"].pk}/">Max Manager</a>' in mia
    assert "Platform squad" in mia
    assert f'href="/portfolio/products/{personas.atlas.pk}/">Atlas</a>' in mia
    assert f'href="/portfolio/features/{personas.search.pk}/">Atlas Search</a>' in mia
    lena = client.get(f"/people/{personas.people['lena'].pk}/").content.decode()
    assert ">Max Manager</a>" in lena
    assert ">Gus Group</a>" in lena


def test_managers_edit_their_reports_only(personas: Personas, client_for: ClientFor) -> None:
    mia, otto = personas.people["mia"], personas.people["otto"]
    client = client_for(personas.manager)
    response = client.post(
        f"/people/{mia.pk}/edit/", person_form(mia, title="Senior PM", team_ids=[personas.team.pk])
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=mia.pk).title == "Senior PM"
    assert client.get(f"/people/{otto.pk}/edit/").status_code == 403
    assert client.post(f"/people/{otto.pk}/edit/", person_form(otto, title="x")).status_code == 403
    for role in ("member", "contributor", "viewer"):
        assert (
            client_for(personas.by_role()[role]).get(f"/people/{mia.pk}/edit/").status_code == 403
        )
    assert (
        f'href="/people/{mia.pk}/edit/"'
        not in client_for(personas.member).get(f"/people/{mia.pk}/").content.decode()
    )


def test_person_form_errors_and_conflicts(personas: Personas, client_for: ClientFor) -> None:
    mia = personas.people["mia"]
    client = client_for(personas.leader)
    bad = client.post(
        f"/people/{mia.pk}/edit/", person_form(mia, email="not-an-address", manager_id="x")
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Enter a valid email address." in page
    assert "Select a valid choice" in page
    taken = client.post(f"/people/{mia.pk}/edit/", person_form(mia, email="max@example.com"))
    assert taken.status_code == 400
    assert "Another person already has this e-mail address." in taken.content.decode()
    assert client.post(f"/people/{mia.pk}/edit/", person_form(mia, title="A")).status_code == 302
    stale = client.post(f"/people/{mia.pk}/edit/", person_form(mia, title="B"))
    assert stale.status_code == 409
    assert "Someone else changed this person" in stale.content.decode()
    assert Person.objects.get(pk=mia.pk).title == "A"
    assert re.search(r'name="version" value="2"', stale.content.decode())


def test_org_chart_draws_a_box_per_person_and_the_ownership_table(
    personas: Personas, client_for: ClientFor
) -> None:
    page = client_for(personas.viewer).get("/people/org-chart/").content.decode()
    assert '<svg class="org-chart"' in page
    boxes = re.findall(r'<a href="/people/(\d+)/" class="org-box"', page)
    assert sorted(map(int, boxes)) == sorted(p.pk for p in personas.people.values())
    assert page.count("<path d=") == 4  # Lena→Max, Lena→Gus, Max→Mia, Gus→Otto
    # Carl and Ada have neither manager nor reports: a row under the chart, with a caption.
    assert "No manager or reports recorded" in page
    assert "1 product<" in page  # Mia owns Atlas
    assert "Who owns what" in page
    assert f'href="/portfolio/lines/{personas.platform.pk}/">Platform</a>' in page


def test_teams_pages(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.contributor)
    assert (
        f'href="/teams/{personas.team.pk}/">Platform squad</a>'
        in client.get("/teams/").content.decode()
    )
    assert ">Mia Member</a>" in client.get(f"/teams/{personas.team.pk}/").content.decode()


def test_saving_an_untouched_person_form_changes_nothing(
    personas: Personas, client_for: ClientFor
) -> None:
    mia = personas.people["mia"]
    client = client_for(personas.leader)
    url = f"/people/{mia.pk}/edit/"
    assert client.post(url, form_values(client.get(url).content.decode())).status_code == 302
    mia.refresh_from_db()
    assert mia.version == 1
    assert list(mia.teams.all()) == [personas.team]


def test_person_history_is_shown_to_the_reporting_line_only(
    personas: Personas, client_for: Any
) -> None:
    from quarterdeck.people.services import person_update

    mia = personas.people["mia"]
    person_update(
        actor=personas.manager, person_id=mia.pk, data={"level": "senior_pm"}, expected_version=1
    )
    for user in (personas.manager, personas.leader, personas.admin):
        html = client_for(user).get(f"/people/{mia.pk}/").content.decode()
        assert 'id="history-heading"' in html
        assert "Senior PM" in html
    for user in (personas.outsider, personas.viewer, personas.member):
        html = client_for(user).get(f"/people/{mia.pk}/").content.decode()
        assert 'id="history-heading"' not in html


def test_team_page_shows_its_history(personas: Personas, client_for: Any) -> None:
    from quarterdeck.people.services import team_update

    team_update(
        actor=personas.leader,
        team_id=personas.team.pk,
        data={"description": "Owns search and maps"},
        expected_version=1,
    )
    html = client_for(personas.viewer).get(f"/teams/{personas.team.pk}/").content.decode()
    assert 'id="history-heading"' in html
    assert "Owns search and maps" in html
