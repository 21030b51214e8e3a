"""Product lines, products and features through /api/v1: CRUD, filters, pages, tree, history."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from quarterdeck.accounts.models import User
from tests.api.client import Api, etag_of
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ApiAs = Callable[[User | None], Api]


def test_line_create_read_replace_patch_delete(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    max_ = personas.people["max"]
    created = api.post(
        "/lines",
        {
            "name": "Data",
            "description": "Pipelines and warehouse",
            "owner_id": max_.pk,
            "stage": "discovery",
            "target_segments": ["analysts"],
            "links": [{"label": "Wiki", "url": "https://wiki.example.com/data"}],
            "parent_id": personas.platform.pk,
        },
    )
    assert created.status_code == 201, created.json()
    line = created.json()
    assert etag_of(created) == line["version"] == 1
    assert line["owner_name"] == "Max Manager"
    assert line["parent_id"] == personas.platform.pk
    assert line["links"] == [{"label": "Wiki", "url": "https://wiki.example.com/data"}]

    got = api.get(f"/lines/{line['id']}")
    assert got.status_code == 200
    assert got.headers["ETag"] == '"1"'
    assert got.json()["target_segments"] == ["analysts"]

    replaced = api.put(f"/lines/{line['id']}", {"name": "Data platform"}, if_match=1)
    assert replaced.status_code == 200, replaced.json()
    body = replaced.json()
    # PUT replaces every editable field: what was left out is back to its default.
    assert (body["name"], body["description"], body["owner_id"]) == ("Data platform", "", None)
    assert (body["stage"], body["links"], body["parent_id"]) == ("idea", [], None)
    assert etag_of(replaced) == body["version"] == 2

    patched = api.patch(f"/lines/{line['id']}", {"description": "Everything data"}, if_match=2)
    assert patched.status_code == 200, patched.json()
    assert patched.json()["name"] == "Data platform"  # PATCH leaves unsent fields alone
    assert patched.json()["description"] == "Everything data"
    assert etag_of(patched) == 3

    assert api.delete(f"/lines/{line['id']}", if_match=3).status_code == 204
    assert api.get(f"/lines/{line['id']}").status_code == 404


def test_product_create_read_replace_patch_delete(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.manager)  # Max changes his own line's subtree
    mia = personas.people["mia"]
    created = api.post(
        "/products", {"name": "Compass", "line_id": personas.platform.pk, "owner_id": mia.pk}
    )
    assert created.status_code == 201, created.json()
    product = created.json()
    assert (product["line_id"], product["owner_name"], product["stage"]) == (
        personas.platform.pk,
        "Mia Member",
        "idea",
    )
    path = f"/products/{product['id']}"
    assert api.get(path).json()["name"] == "Compass"

    replaced = api.put(
        path, {"name": "Compass 2", "line_id": personas.platform.pk, "stage": "build"}, if_match=1
    )
    assert replaced.status_code == 200, replaced.json()
    assert (replaced.json()["name"], replaced.json()["owner_id"]) == ("Compass 2", None)

    patched = api.patch(path, {"target_segments": ["SMB", "Mid-market"]}, if_match=2)
    assert patched.json()["target_segments"] == ["SMB", "Mid-market"]
    assert patched.json()["stage"] == "build"

    assert api.delete(path, if_match=3).status_code == 204
    assert api.get(path).status_code == 404


def test_feature_create_read_replace_patch_delete(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.member)  # Mia owns Atlas and so changes what is below it
    atlas, search = personas.atlas, personas.search
    created = api.post(
        "/features",
        {
            "name": "Saved searches",
            "product_id": atlas.pk,
            "parent_id": search.pk,
            "kind": "feature",
        },
    )
    assert created.status_code == 201, created.json()
    feature = created.json()
    assert (feature["product_id"], feature["parent_id"]) == (atlas.pk, search.pk)
    path = f"/features/{feature['id']}"

    replaced = api.put(
        path, {"name": "Saved searches", "product_id": atlas.pk, "kind": "initiative"}, if_match=1
    )
    assert replaced.status_code == 200, replaced.json()
    assert (replaced.json()["kind"], replaced.json()["parent_id"]) == ("initiative", None)

    patched = api.patch(path, {"parent_id": search.pk}, if_match=2)
    assert patched.status_code == 200, patched.json()
    assert patched.json()["parent_id"] == search.pk
    assert patched.json()["kind"] == "initiative"

    assert api.delete(path, if_match=3).status_code == 204
    assert api.get(path).status_code == 404


def test_deleting_an_item_with_children_is_refused(personas: Personas, api_as: ApiAs) -> None:
    response = api_as(personas.leader).delete(f"/products/{personas.atlas.pk}", if_match=1)
    assert response.status_code == 400
    assert "still has 1 item" in response.json()["message"]


def _names(response_json: dict[str, object]) -> list[str]:
    items = response_json["items"]
    assert isinstance(items, list)
    return [item["name"] for item in items]


def test_list_filters(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.viewer)
    p = personas
    assert _names(api.get("/lines").json()) == ["Growth", "Platform"]
    assert _names(api.get("/lines", owner_id=p.people["gus"].pk).json()) == ["Growth"]
    assert _names(api.get("/lines", search="plat").json()) == ["Platform"]
    assert _names(api.get("/lines", parent_id=p.platform.pk).json()) == []
    assert _names(api.get("/products", line_id=p.growth.pk).json()) == ["Beacon"]
    assert _names(api.get("/products", stage="build").json()) == ["Atlas"]
    assert _names(api.get("/products", owner_id=p.people["mia"].pk).json()) == ["Atlas"]
    assert _names(api.get("/features", product_id=p.atlas.pk).json()) == ["Atlas Search"]
    assert _names(api.get("/features", line_id=p.growth.pk).json()) == []
    assert _names(api.get("/features", stage="discovery", search="search").json()) == [
        "Atlas Search"
    ]


def test_products_of_a_line_include_its_sub_lines(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    sub = api.post("/lines", {"name": "Platform APIs", "parent_id": personas.platform.pk}).json()
    assert api.post("/products", {"name": "Gateway", "line_id": sub["id"]}).status_code == 201
    names = _names(api.get("/products", line_id=personas.platform.pk).json())
    assert names == ["Atlas", "Gateway"]
    assert _names(api.get("/lines", parent_id=personas.platform.pk).json()) == ["Platform APIs"]


def test_lists_are_paginated_with_a_count(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.viewer)
    first = api.get("/products", limit=1).json()
    second = api.get("/products", limit=1, offset=1).json()
    assert (first["count"], second["count"]) == (2, 2)
    assert _names(first) + _names(second) == ["Atlas", "Beacon"]
    assert api.get("/products", offset=5).json() == {"items": [], "count": 2}
    too_many = api.get("/products", limit=100_000)
    assert too_many.status_code == 422
    assert "limit" in too_many.json()["fields"]


def test_tree_nests_lines_products_and_features(personas: Personas, api_as: ApiAs) -> None:
    tree = api_as(personas.viewer).get("/portfolio/tree").json()
    assert [line["name"] for line in tree] == ["Growth", "Platform"]
    platform = tree[1]
    assert [product["name"] for product in platform["products"]] == ["Atlas"]
    atlas = platform["products"][0]
    assert [feature["name"] for feature in atlas["features"]] == ["Atlas Search"]
    assert atlas["owner_name"] == "Mia Member"


def test_tree_filters_keep_the_path_to_each_match(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.viewer)
    tree = api.get("/portfolio/tree", owner_id=personas.people["otto"].pk).json()
    assert [(line["name"], [p["name"] for p in line["products"]]) for line in tree] == [
        ("Growth", ["Beacon"])
    ]
    only_platform = api.get("/portfolio/tree", line_id=personas.platform.pk).json()
    assert [line["name"] for line in only_platform] == ["Platform"]
    assert api.get("/portfolio/tree", stage="sunset").json() == []


def test_every_write_is_in_the_history_with_a_diff(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.manager)
    product = api.post("/products", {"name": "Ledger", "line_id": personas.platform.pk}).json()
    path = f"/products/{product['id']}"
    api.patch(path, {"description": "Double entry"}, if_match=1)
    api.put(path, {"name": "Ledger", "line_id": personas.platform.pk}, if_match=2)
    history = api.get(f"{path}/history").json()
    assert history["count"] == 3
    replaced, patched, created = history["items"]
    assert created["action"] == "create"
    assert created["changes"]["name"] == [None, "Ledger"]
    assert patched["action"] == "update"
    assert patched["changes"] == {"description": ["", "Double entry"]}
    assert replaced["changes"] == {"description": ["Double entry", ""]}
    assert {entry["actor_label"] for entry in history["items"]} == {"max@example.com"}

    assert api.delete(path, if_match=3).status_code == 204
    deleted = api_as(personas.admin).get("/audit", object_type="product", action="delete")
    assert deleted.json()["items"][0]["changes"]["name"] == ["Ledger", None]


@pytest.mark.parametrize("kind", ["lines", "products", "features"])
def test_history_of_every_item_kind(personas: Personas, api_as: ApiAs, kind: str) -> None:
    item_id = {"lines": personas.growth, "products": personas.beacon, "features": personas.search}
    api = api_as(personas.leader)
    path = f"/{kind}/{item_id[kind].pk}"
    assert api.patch(path, {"description": "Now described"}, if_match=1).status_code == 200
    entries = api.get(f"{path}/history").json()["items"]
    assert entries[0]["changes"] == {"description": ["", "Now described"]}
    assert entries[0]["actor_id"] == personas.leader.pk


@pytest.mark.parametrize("kind", ["lines", "products", "features"])
def test_a_stage_move_by_patch_records_actor_and_reason(
    personas: Personas, api_as: ApiAs, kind: str
) -> None:
    item_id = {"lines": personas.growth, "products": personas.beacon, "features": personas.search}
    api = api_as(personas.leader)
    path = f"/{kind}/{item_id[kind].pk}"
    old_stage = api.get(path).json()["stage"]
    moved = api.patch(
        path, {"stage": "mature", "stage_reason": "Usage flat for 2 quarters"}, if_match=1
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["stage"] == "mature"
    stages = api.get(f"{path}/stages").json()
    assert stages["count"] == 1
    move = stages["items"][0]
    assert (move["from_stage"], move["to_stage"]) == (old_stage, "mature")
    assert move["reason"] == "Usage flat for 2 quarters"
    assert (move["actor_id"], move["actor_label"]) == (personas.leader.pk, "Lena Leader")


def test_a_created_item_starts_its_stage_history(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    line = api.post("/lines", {"name": "Labs", "stage": "idea"}).json()
    stages = api.get(f"/lines/{line['id']}/stages").json()["items"]
    assert [(s["from_stage"], s["to_stage"], s["reason"]) for s in stages] == [
        (None, "idea", "Created")
    ]
