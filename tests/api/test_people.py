"""People, teams, the org chart and ownership through /api/v1."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from quarterdeck.accounts.models import User
from tests.api.client import Api, etag_of
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ApiAs = Callable[[User | None], Api]


def test_person_create_read_replace_patch_delete(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.manager)  # Max adds people to his own reporting line
    max_ = personas.people["max"]
    created = api.post(
        "/people",
        {
            "name": "Nia New",
            "email": "nia@example.com",
            "title": "PM",
            "level": "pm",
            "manager_id": max_.pk,
            "team_ids": [personas.team.pk],
            "location": "Lisbon",
        },
    )
    assert created.status_code == 201, created.json()
    person = created.json()
    assert etag_of(created) == person["version"] == 1
    assert (person["manager_name"], person["team_ids"], person["role_label"]) == (
        "Max Manager",
        [personas.team.pk],
        "PM",
    )
    path = f"/people/{person['id']}"
    assert api.get(path).headers["ETag"] == '"1"'

    replaced = api.put(path, {"name": "Nia New", "manager_id": max_.pk}, if_match=1)
    assert replaced.status_code == 200, replaced.json()
    body = replaced.json()
    assert (body["email"], body["level"], body["team_ids"], body["location"]) == (
        None,
        None,
        [],
        "",
    )

    patched = api.patch(path, {"level": "senior_pm", "function": "product"}, if_match=2)
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["level"], patched.json()["manager_id"]) == ("senior_pm", max_.pk)

    assert api.delete(path, if_match=3).status_code == 204
    assert api.get(path).status_code == 404


def test_people_filters_and_pages(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.viewer)
    p = personas

    def names(**query: object) -> list[str]:
        return [item["name"] for item in api.get("/people", **query).json()["items"]]

    assert names(manager_id=p.people["lena"].pk) == ["Gus Group", "Max Manager"]
    assert names(team_id=p.team.pk) == ["Mia Member"]
    assert names(function="sales") == ["Carl Contributor"]
    assert names(level="group_pm") == ["Gus Group", "Max Manager"]
    assert names(search="otto") == ["Otto Outsider"]
    page = api.get("/people", limit=2, offset=2).json()
    assert page["count"] == 7
    assert [item["name"] for item in page["items"]] == ["Gus Group", "Lena Leader"]


def test_what_a_person_owns(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.viewer)
    owns = api.get(f"/people/{personas.people['mia'].pk}/owns").json()
    assert [item["name"] for item in owns["lines"]] == []
    assert [item["name"] for item in owns["products"]] == ["Atlas"]
    assert [item["name"] for item in owns["features"]] == ["Atlas Search"]
    max_owns = api.get(f"/people/{personas.people['max'].pk}/owns").json()
    assert [item["name"] for item in max_owns["lines"]] == ["Platform"]
    assert api.get("/people/999999/owns").status_code == 404


def test_org_chart_nests_reporting_lines(personas: Personas, api_as: ApiAs) -> None:
    chart = api_as(personas.viewer).get("/org-chart").json()
    roots = {node["name"]: node for node in chart}
    assert set(roots) == {"Ada Admin", "Carl Contributor", "Lena Leader"}
    lena = roots["Lena Leader"]
    assert lena["role_label"] == "Head of Product"
    reports = {node["name"]: node for node in lena["reports"]}
    assert set(reports) == {"Gus Group", "Max Manager"}
    assert [node["name"] for node in reports["Max Manager"]["reports"]] == ["Mia Member"]
    assert [node["name"] for node in reports["Gus Group"]["reports"]] == ["Otto Outsider"]


def test_person_history_shows_the_diff(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    path = f"/people/{personas.people['otto'].pk}"
    assert (
        api.patch(path, {"title": "Senior PM", "location": "Oslo"}, if_match=1).status_code == 200
    )
    entry = api.get(f"{path}/history").json()["items"][0]
    assert entry["action"] == "update"
    assert entry["changes"] == {"location": ["", "Oslo"], "title": ["PM", "Senior PM"]}
    assert entry["actor_label"] == "lena@example.com"


def test_team_create_read_replace_patch_delete(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.manager)
    created = api.post("/teams", {"name": "Growth squad", "description": "Experiments"})
    assert created.status_code == 201, created.json()
    team = created.json()
    assert (team["member_ids"], etag_of(created)) == ([], 1)
    path = f"/teams/{team['id']}"
    assert api.get(path).json()["name"] == "Growth squad"

    replaced = api.put(path, {"name": "Growth team"}, if_match=1)
    assert (replaced.json()["name"], replaced.json()["description"]) == ("Growth team", "")
    patched = api.patch(path, {"description": "Activation"}, if_match=2)
    assert (patched.json()["name"], patched.json()["description"]) == ("Growth team", "Activation")

    history = api.get(f"{path}/history").json()
    assert [entry["action"] for entry in history["items"]] == ["update", "update", "create"]
    assert history["items"][0]["changes"] == {"description": ["", "Activation"]}

    assert api.delete(path, if_match=3).status_code == 204
    assert api.get(path).status_code == 404


def test_team_list_shows_members(personas: Personas, api_as: ApiAs) -> None:
    teams = api_as(personas.viewer).get("/teams").json()
    assert teams["count"] == 1
    assert teams["items"][0]["member_ids"] == [personas.people["mia"].pk]
