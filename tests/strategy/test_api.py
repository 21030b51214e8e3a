"""The strategy API as the named personas: round trips, versions, field errors, permissions."""

from __future__ import annotations

from typing import Any

import pytest

from quarterdeck.strategy.models import KeyResultPoint
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db
Q4 = "2026-Q4"


def created(api: Api, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post(path, body)
    assert response.status_code == 201, response.content
    data: dict[str, Any] = response.json()
    return data


def outcome_body(**data: Any) -> dict[str, Any]:
    return {"title": "Activation", "level": "company", "period": Q4, **data}


def kr_body(**data: Any) -> dict[str, Any]:
    return {"title": "Weekly actives", "source": "manual", "baseline": 100, "target": 150, **data}


@pytest.fixture
def outcomes(personas: Personas) -> dict[str, dict[str, Any]]:
    """A company outcome, Atlas's (Mia's) and Beacon's (Otto's), each with a manual key result."""
    leader = Api(personas.leader)
    company = created(leader, "/outcomes", outcome_body())
    found = {
        "company": company,
        "atlas": created(
            leader,
            "/outcomes",
            outcome_body(level="product", product_id=personas.atlas.pk, parent_id=company["id"]),
        ),
        "beacon": created(
            leader, "/outcomes", outcome_body(level="product", product_id=personas.beacon.pk)
        ),
        "platform": created(
            leader, "/outcomes", outcome_body(level="line", line_id=personas.platform.pk)
        ),
    }
    for name, outcome in found.items():
        outcome["kr"] = created(leader, f"/outcomes/{outcome['id']}/key-results", kr_body())
        found[name] = outcome
    return found


# Round trips ----------------------------------------------------------------------------------


def test_outcome_round_trip(personas: Personas) -> None:
    api = Api(personas.member)
    body = outcome_body(
        level="product", product_id=personas.atlas.pk, owner_id=personas.people["mia"].pk
    )
    response = api.post("/outcomes", body)
    assert response.status_code == 201
    assert response.headers["ETag"] == '"1"'
    outcome = response.json()
    assert (outcome["start"], outcome["end"], outcome["status"]) == (
        "2026-10-01",
        "2026-12-31",
        "no_data",
    )
    assert (outcome["product_name"], outcome["owner_name"]) == ("Atlas", "Mia Member")
    path = f"/outcomes/{outcome['id']}"
    changed = {**body, "title": "Activation 2"}
    assert api.put(path, changed).status_code == 428
    assert api.put(path, changed, if_match=1).json()["title"] == "Activation 2"
    conflict = api.put(path, changed, if_match=1)
    assert conflict.status_code == 412
    assert conflict.json()["current_version"] == 2
    assert api.get(path).headers["ETag"] == '"2"'
    listed = api.get("/outcomes", level="product", period=Q4).json()
    assert [o["id"] for o in listed["items"]] == [outcome["id"]]
    assert api.get("/outcomes", level="company").json()["count"] == 0
    assert api.delete(path).status_code == 428
    assert api.delete(path, if_match=2).status_code == 204
    assert api.get(path).status_code == 404


def test_bad_input_names_the_fields(personas: Personas) -> None:
    api = Api(personas.leader)
    response = api.post("/outcomes", outcome_body(line_id=personas.platform.pk, period="2026-Q9"))
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"line_id", "period"}
    outcome = created(api, "/outcomes", outcome_body())
    bad = api.post(
        f"/outcomes/{outcome['id']}/key-results", kr_body(target=100, start="2020-01-01")
    )
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"target", "start"}
    bad = api.post(f"/outcomes/{outcome['id']}/key-results", kr_body(direction="decrease"))
    assert set(bad.json()["fields"]) == {"direction"}


def test_key_result_round_trip_and_history(personas: Personas) -> None:
    api = Api(personas.leader)
    outcome = created(api, "/outcomes", outcome_body())
    kr = created(api, f"/outcomes/{outcome['id']}/key-results", kr_body(unit="users"))
    assert (kr["direction"], kr["start"], kr["status"]) == ("increase", "2026-10-01", "no_data")
    assert isinstance(kr["description"], str)
    assert kr["description"]
    path = f"/key-results/{kr['id']}"
    assert api.put(path, kr_body(target=90)).status_code == 428
    changed = api.put(path, kr_body(target=90), if_match=1).json()
    assert (changed["direction"], changed["version"]) == ("decrease", 2)
    check_in = api.post(f"{path}/check-ins", {"day": "2026-10-05", "value": 95, "note": "w1"})
    assert check_in.status_code == 201
    assert check_in.json()["author_label"] == "lena@example.com" or check_in.json()["author_id"]
    assert api.get(f"{path}/check-ins").json()["count"] == 1
    KeyResultPoint.objects.create(key_result_id=kr["id"], day="2026-10-05", value=95)
    history = api.get(f"{path}/history").json()
    assert history["points"] == [{"day": "2026-10-05", "value": 95.0}]
    assert "trace_url" in history
    assert history["description"] == kr["description"]
    listed = api.get(f"/outcomes/{outcome['id']}/key-results").json()
    assert [k["id"] for k in listed["items"]] == [kr["id"]]
    assert api.delete(path, if_match=2).status_code == 204


def test_outcome_check_ins(personas: Personas) -> None:
    api = Api(personas.leader)
    outcome = created(api, "/outcomes", outcome_body())
    path = f"/outcomes/{outcome['id']}/check-ins"
    assert api.post(path, {"health": "at_risk", "note": "Slow start"}).status_code == 201
    assert api.get(path).json()["items"][0]["note"] == "Slow start"
    latest = api.get(f"/outcomes/{outcome['id']}").json()["latest_check_in"]
    assert latest["health"] == "at_risk"


def test_tree_and_alignment(personas: Personas, outcomes: dict[str, dict[str, Any]]) -> None:
    api = Api(personas.viewer)
    tree = api.get("/outcomes/tree", period=Q4).json()
    company = next(node for node in tree if node["id"] == outcomes["company"]["id"])
    assert [child["id"] for child in company["children"]] == [outcomes["atlas"]["id"]]
    assert company["key_results"][0]["title"] == "Weekly actives"
    rows = api.get("/strategy/alignment").json()
    assert rows[-1]["name"] == "Unaligned"
    assert len(rows[-1]["aligned"]) == 4


def test_vision_and_sign_offs(personas: Personas) -> None:
    leader = Api(personas.leader)
    vision = leader.get("/strategy/vision")
    assert vision.json()["sign_offs"] == {"cpo": None, "cto": None}
    body = {"statement": "The deck.", "horizon": "2026-2028", "cpo_id": personas.people["lena"].pk}
    assert leader.put("/strategy/vision", body).status_code == 428
    assert Api(personas.manager).put("/strategy/vision", body, if_match=1).status_code == 403
    updated = leader.put("/strategy/vision", body, if_match=1)
    assert updated.status_code == 200
    assert updated.headers["ETag"] == '"2"'
    assert updated.json()["cpo_name"] == "Lena Leader"
    assert (
        Api(personas.admin).post("/strategy/vision/sign-offs", {"role": "cpo"}).status_code == 403
    )
    signed = leader.post("/strategy/vision/sign-offs", {"role": "cpo", "note": "Yes"})
    assert signed.status_code == 201
    assert signed.json()["vision_version"] == 2
    assert leader.get("/strategy/vision").json()["sign_offs"]["cpo"]["note"] == "Yes"
    no_cto = leader.post("/strategy/vision/sign-offs", {"role": "cto"})
    assert no_cto.status_code == 400
    assert "role" in no_cto.json()["fields"]


def test_pillars_api(personas: Personas) -> None:
    leader = Api(personas.leader)
    pillar = created(leader, "/pillars", {"name": "Trust"})
    path = f"/pillars/{pillar['id']}"
    linked = leader.put(f"{path}/links", {"line_ids": [personas.platform.pk]}, if_match=1)
    assert linked.json()["line_ids"] == [personas.platform.pk]
    assert leader.put(path, {"name": "Trust", "description": "x"}, if_match=1).status_code == 412
    assert leader.put(path, {"name": "Trust", "description": "x"}, if_match=2).status_code == 200
    assert Api(personas.viewer).get("/pillars").json()["count"] == 1
    assert leader.delete(path, if_match=3).status_code == 204


def test_refresh_is_for_leaders(personas: Personas, outcomes: dict[str, dict[str, Any]]) -> None:
    assert Api(personas.member).post("/outcomes/refresh", None).status_code == 403
    report = Api(personas.leader).post("/outcomes/refresh", None)
    assert report.status_code == 200
    assert report.json()["outcomes"] == 4


# Permissions ----------------------------------------------------------------------------------


def _writes(api: Api, outcome: dict[str, Any]) -> list[int]:
    """Status of each write on the outcome and its key result, as one user."""
    o_path, kr_path = f"/outcomes/{outcome['id']}", f"/key-results/{outcome['kr']['id']}"
    body = {
        k: outcome[k] for k in ("title", "level", "line_id", "product_id", "period", "parent_id")
    }
    return [
        api.put(o_path, {**body, "description": "x"}, if_match=outcome["version"]).status_code,
        api.post(f"{o_path}/check-ins", {"health": "on_track"}).status_code,
        api.post(f"{o_path}/key-results", kr_body()).status_code,
        api.put(kr_path, kr_body(unit="u"), if_match=outcome["kr"]["version"]).status_code,
        api.post(f"{kr_path}/check-ins", {"day": "2026-10-02", "value": 1}).status_code,
    ]


OK = [200, 201, 201, 200, 201]
DENIED = [403] * 5


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("member", {"atlas"}),
        ("manager", {"atlas", "platform"}),
        ("outsider", {"beacon"}),
        ("leader", {"atlas", "beacon", "platform", "company"}),
        ("viewer", set()),
        ("contributor", set()),
    ],
)
def test_who_changes_which_outcome(
    personas: Personas, outcomes: dict[str, dict[str, Any]], role: str, allowed: set[str]
) -> None:
    api = Api(getattr(personas, role))
    for name, outcome in outcomes.items():
        assert api.get(f"/outcomes/{outcome['id']}").status_code == 200
        assert api.get(f"/key-results/{outcome['kr']['id']}/history").status_code == 200
        assert _writes(api, outcome) == (OK if name in allowed else DENIED), (role, name)


def test_readers_never_write(personas: Personas, outcomes: dict[str, dict[str, Any]]) -> None:
    for user in (personas.viewer, personas.contributor, personas.member):
        api = Api(user)
        assert api.post("/outcomes", outcome_body()).status_code == 403
        assert api.post("/pillars", {"name": "P"}).status_code == 403
        assert api.post("/outcomes/refresh", None).status_code == 403
        assert api.delete(f"/outcomes/{outcomes['company']['id']}", if_match=1).status_code == 403
    assert (
        Api(personas.viewer)
        .post("/outcomes", outcome_body(level="product", product_id=personas.atlas.pk))
        .status_code
        == 403
    )
    assert Api(None).get("/outcomes").status_code == 401


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("leader", 200),
        ("manager", 403),
        ("member", 403),
        ("contributor", 403),
        ("viewer", 403),
        ("outsider", 403),
    ],
)
def test_who_links_pillars(personas: Personas, role: str, status: int) -> None:
    pillar = created(Api(personas.leader), "/pillars", {"name": "Trust"})
    response = Api(getattr(personas, role)).put(
        f"/pillars/{pillar['id']}/links", {"product_ids": [personas.atlas.pk]}, if_match=1
    )
    assert response.status_code == status


def test_schema_choices_match_the_models() -> None:
    """The API spells choices as literals (OpenAPI names clash otherwise); keep them in step."""
    from typing import get_args

    from quarterdeck.strategy import models, schemas

    pairs = [
        (schemas.Level, models.Level),
        (schemas.Status, models.Status),
        (schemas.Health, models.Health),
        (schemas.Source, models.Source),
        (schemas.Direction, models.Direction),
        (schemas.SignOffRole, models.SignOffRole),
    ]
    for literal, choices in pairs:
        assert set(get_args(literal)) == set(choices.values)
