"""Adding and changing teams through the pages: who may, errors and conflicts."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from quarterdeck.audit.models import AuditEntry
from quarterdeck.people.models import Person, Team
from tests.personas import Personas
from tests.web.html_forms import form_values

pytestmark = pytest.mark.django_db

ClientFor = Callable[..., Client]


def team_form(team: Team | None = None, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": team.name if team else "",
        "description": team.description if team else "",
        "member_ids": [person.pk for person in team.members.all()] if team else [],
    }
    if team is not None:
        data["version"] = team.version
    data.update(changes)
    return data


def member_names(team_id: int) -> list[str]:
    return sorted(Team.objects.get(pk=team_id).members.values_list("name", flat=True))


def test_a_leader_creates_a_team_with_members(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.leader)
    assert 'href="/teams/new/">New team</a>' in client.get("/teams/").content.decode()
    assert client.get("/teams/new/").status_code == 200
    mia, otto = personas.people["mia"], personas.people["otto"]
    response = client.post(
        "/teams/new/",
        team_form(name="Maps guild", description="Maps work", member_ids=[mia.pk, otto.pk]),
    )
    team = Team.objects.get(name="Maps guild")
    assert response.status_code == 302
    assert response["Location"] == f"/teams/{team.pk}/"
    assert team.description == "Maps work"
    assert member_names(team.pk) == ["Mia Member", "Otto Outsider"]
    page = client.get(f"/teams/{team.pk}/").content.decode()
    assert ">Otto Outsider</a>" in page
    actions = AuditEntry.objects.filter(object_type="team", object_id=str(team.pk))
    assert sorted(actions.values_list("action", flat=True)) == ["create", "update"]


def test_a_manager_edits_a_teams_name_and_members(
    personas: Personas, client_for: ClientFor
) -> None:
    team, mia, otto = personas.team, personas.people["mia"], personas.people["otto"]
    client = client_for(personas.manager)
    page = client.get(f"/teams/{team.pk}/").content.decode()
    assert f'href="/teams/{team.pk}/edit/">Edit</a>' in page
    form = client.get(f"/teams/{team.pk}/edit/").content.decode()
    assert re.search(rf'value="{mia.pk}"[^>]*checked', form)  # the current members are ticked
    response = client.post(
        f"/teams/{team.pk}/edit/", team_form(team, name="Core squad", member_ids=[otto.pk])
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Core squad"
    assert member_names(team.pk) == ["Otto Outsider"]
    # Mia and Otto moved, so an edit of their record opened before this one is now stale.
    assert Person.objects.get(pk=mia.pk).version == 2
    assert Person.objects.get(pk=otto.pk).version == 2
    members = AuditEntry.objects.get(object_type="team", changes__has_key="members")
    assert members.changes["members"] == [[mia.pk], [otto.pk]]


def test_saving_an_untouched_team_form_changes_nothing(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.leader)
    url = f"/teams/{personas.team.pk}/edit/"
    assert client.post(url, form_values(client.get(url).content.decode())).status_code == 302
    personas.team.refresh_from_db()
    assert personas.team.version == 1
    assert not AuditEntry.objects.filter(object_type="team").exists()


@pytest.mark.parametrize("role", ["member", "contributor", "viewer", "outsider"])
def test_others_may_not_add_or_change_teams(
    personas: Personas, client_for: ClientFor, role: str
) -> None:
    team = personas.team
    client = client_for(personas.by_role()[role])
    assert "New team" not in client.get("/teams/").content.decode()
    assert f"/teams/{team.pk}/edit/" not in client.get(f"/teams/{team.pk}/").content.decode()
    assert client.get("/teams/new/").status_code == 403
    assert client.post("/teams/new/", team_form(name="Rogue")).status_code == 403
    assert client.get(f"/teams/{team.pk}/edit/").status_code == 403
    assert client.post(f"/teams/{team.pk}/edit/", team_form(team, name="X")).status_code == 403
    assert not Team.objects.filter(name__in=["Rogue", "X"]).exists()


def test_team_form_errors_name_the_field(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.leader)
    blank = client.post("/teams/new/", team_form(name=" "))
    assert blank.status_code == 400
    assert "This field is required." in blank.content.decode()
    Team.objects.create(name="Taken")
    taken = client.post("/teams/new/", team_form(name="Taken"))
    assert taken.status_code == 400
    assert "Already in use." in taken.content.decode()
    unknown = client.post("/teams/new/", team_form(name="Ghosts", member_ids=[987654]))
    assert unknown.status_code == 400
    assert "Select a valid choice" in unknown.content.decode()
    assert not Team.objects.filter(name="Ghosts").exists()
    assert client.get("/teams/987654/edit/").status_code == 404


def test_a_stale_team_form_keeps_the_users_values_and_moves_on(
    personas: Personas, client_for: ClientFor
) -> None:
    team, mia, otto = personas.team, personas.people["mia"], personas.people["otto"]
    client = client_for(personas.leader)
    stale = team_form(team)
    assert client.post(f"/teams/{team.pk}/edit/", team_form(team, name="A")).status_code == 302
    mine = dict(stale, description="Mine", member_ids=[mia.pk, otto.pk])
    conflict = client.post(f"/teams/{team.pk}/edit/", mine)
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "Someone else changed this team" in page
    assert "Mine</textarea>" in page
    assert re.search(r'name="version" value="2"', page)
    team.refresh_from_db()
    assert (team.name, team.description, member_names(team.pk)) == ("A", "", ["Mia Member"])
    # Saving the moved-on form applies the user's values, knowingly.
    again = client.post(f"/teams/{team.pk}/edit/", form_values(page))
    assert again.status_code == 302
    assert member_names(team.pk) == ["Mia Member", "Otto Outsider"]


def test_a_person_form_opened_before_a_team_change_conflicts(
    personas: Personas, client_for: ClientFor
) -> None:
    mia, team = personas.people["mia"], personas.team
    client = client_for(personas.leader)
    person_url = f"/people/{mia.pk}/edit/"
    opened = form_values(client.get(person_url).content.decode())
    assert client.post(f"/teams/{team.pk}/edit/", team_form(team, member_ids=[])).status_code == 302
    assert client.post(person_url, opened).status_code == 409
    assert member_names(team.pk) == []  # the stale form did not put Mia back
