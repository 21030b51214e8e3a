"""Bad input gets a 4xx JSON answer that names the field and what is wrong — never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from quarterdeck.accounts.models import User
from quarterdeck.portfolio.models import ProductLine
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ApiAs = Callable[[User | None], Api]


def _error(response: Any, status: int, field: str) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"message", "fields"}
    assert field in body["fields"], body
    return " ".join(body["fields"][field])


def test_empty_name(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    assert "required" in _error(api.post("/lines", {"name": "  "}), 400, "name")
    patch = api.patch(f"/products/{personas.atlas.pk}", {"name": ""}, if_match=1)
    assert "required" in _error(patch, 400, "name")
    assert "required" in _error(api.post("/teams", {"name": ""}), 400, "name").lower()
    assert "required" in _error(api.post("/products", {"line_id": 1}), 422, "name").lower()


def test_unknown_stage_and_other_enums(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    stage = _error(api.post("/lines", {"name": "X", "stage": "shipped"}), 422, "stage")
    assert "'idea'" in stage
    assert "'sunset'" in stage
    _error(api.patch(f"/features/{personas.search.pk}", {"kind": "epic"}, if_match=1), 422, "kind")
    _error(api.get("/products", stage="shipped"), 422, "stage")
    _error(api.post("/people", {"name": "X", "function": "wizardry"}), 422, "function")
    _error(api_as(personas.admin).get("/users", role="owner"), 422, "role")


def test_unknown_references(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    owner = _error(api.post("/lines", {"name": "X", "owner_id": 999_999}), 400, "owner_id")
    assert "no person with id 999999" in owner
    _error(api.post("/lines", {"name": "X", "parent_id": 999_999}), 400, "parent_id")
    _error(api.post("/people", {"name": "X", "manager_id": 999_999}), 400, "manager_id")
    _error(api.post("/people", {"name": "X", "team_ids": [999_999]}), 400, "team_ids")
    for path in ("/lines/999999", "/products/999999", "/features/999999", "/people/999999"):
        response = api.get(path)
        assert response.status_code == 404
        assert "999999" in response.json()["message"]
    assert api.patch("/teams/999999", {"name": "X"}, if_match=1).status_code == 404
    assert api.delete("/lines/999999").status_code == 404  # 404 before asking for If-Match
    _error(api.get("/lines/0"), 422, "line_id")
    _error(api.get(f"/lines/{2**70}"), 422, "line_id")
    _error(api.get("/lines/abc"), 422, "line_id")


def test_links_must_be_http(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    links = [{"label": "ok", "url": "https://example.com"}, {"url": "javascript:alert(1)"}]
    message = _error(api.post("/lines", {"name": "X", "links": links}), 400, "links")
    assert "Link 2" in message
    assert "http" in message
    _error(api.post("/lines", {"name": "X", "links": [{"label": "no url"}]}), 422, "links.0.url")


def test_parent_cycles_are_refused(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    child = api.post("/lines", {"name": "Child", "parent_id": personas.platform.pk}).json()
    cycle = api.patch(f"/lines/{personas.platform.pk}", {"parent_id": child["id"]}, if_match=1)
    assert "under itself" in _error(cycle, 400, "parent_id")
    itself = api.patch(
        f"/lines/{personas.platform.pk}", {"parent_id": personas.platform.pk}, if_match=1
    )
    _error(itself, 400, "parent_id")
    assert ProductLine.objects.get(pk=personas.platform.pk).parent_id is None
    sub = api.post(
        "/features",
        {"name": "Sub", "product_id": personas.atlas.pk, "parent_id": personas.search.pk},
    ).json()
    loop = api.patch(f"/features/{personas.search.pk}", {"parent_id": sub["id"]}, if_match=1)
    _error(loop, 400, "parent_id")
    boss = api.patch(
        f"/people/{personas.people['lena'].pk}",
        {"manager_id": personas.people["mia"].pk},
        if_match=1,
    )
    assert "reports to them" in _error(boss, 400, "manager_id")


@pytest.mark.parametrize(
    "raw", ['{"name": "X",', "not json", b"\xff\xfe{}", '{"name": "X"} trailing']
)
def test_malformed_json(personas: Personas, api_as: ApiAs, raw: str | bytes) -> None:
    response = api_as(personas.leader).send("POST", "/lines", raw=raw)
    assert "Not valid JSON" in _error(response, 400, "body")


@pytest.mark.parametrize("body", ["[]", '"a string"', "42", "null"])
def test_json_that_is_not_an_object(personas: Personas, api_as: ApiAs, body: str) -> None:
    response = api_as(personas.leader).send("POST", "/lines", raw=body)
    assert 400 <= response.status_code < 500
    assert "message" in response.json()


def test_unknown_and_mistyped_fields(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    _error(api.post("/lines", {"name": "X", "colour": "red"}), 422, "colour")
    patch = api.patch(f"/lines/{personas.platform.pk}", {"colour": "red"}, if_match=1)
    _error(patch, 422, "colour")
    _error(api.post("/lines", {"name": "X", "owner_id": "Max"}), 422, "owner_id")
    _error(api.post("/lines", {"name": "X", "target_segments": "SMB"}), 422, "target_segments")
    _error(api.post("/lines", {"name": "X" * 201}), 422, "name")
    _error(api.post("/lines", {"name": "nul\x00byte"}), 422, "name")
    _error(api.get("/lines", limit=0), 422, "limit")
    _error(api.get("/lines", offset=-1), 422, "offset")
    _error(api.get("/lines", owner_id="me"), 422, "owner_id")


def test_duplicate_names_in_one_place(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    duplicate = api.post("/products", {"name": "Atlas", "line_id": personas.platform.pk})
    assert "Already" in _error(duplicate, 400, "name")
    taken = api_as(personas.admin).post("/users", {"email": "mia@example.com"})
    assert "already exists" in _error(taken, 400, "email")
    _error(api_as(personas.admin).post("/users", {"email": "not-an-address"}), 400, "email")
