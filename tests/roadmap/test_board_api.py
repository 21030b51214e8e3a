"""The roadmap board API: items, entries (If-Match), moves, saved views, share links."""

from __future__ import annotations

from quarterdeck.audit.models import AuditEntry
from quarterdeck.portfolio.models import Feature, Stage
from quarterdeck.roadmap import board
from tests.api.client import Api
from tests.personas import Personas


def test_items_list_filters_and_unplaced(personas: Personas) -> None:
    board.entry_place(actor=None, feature_id=personas.search.pk, lane="next")
    Feature.objects.create(product=personas.beacon, name="Beacon Idea", stage=Stage.IDEA)
    api = Api(personas.viewer)
    items = api.get("/roadmap/items").json()
    assert [(i["feature"], i["lane"], i["may_change"]) for i in items] == [
        ("Atlas Search", "next", False)
    ]
    both = api.get("/roadmap/items", unplaced="true").json()
    assert {i["feature"]: i["lane"] for i in both} == {"Atlas Search": "next", "Beacon Idea": None}
    assert api.get("/roadmap/items", lanes="now").json() == []
    bad = api.get("/roadmap/items", stages="done")
    assert bad.status_code == 400
    assert "stages" in bad.json()["fields"]
    assert Api(None).get("/roadmap/items").status_code == 401


def test_entry_put_move_delete_with_versions(personas: Personas) -> None:
    api = Api(personas.member)
    path = f"/roadmap/entries/{personas.search.pk}"
    assert api.get(path).status_code == 404
    assert api.put(path, {"lane": "later"}).status_code == 428
    created = api.put(
        path, {"lane": "later", "start": "2027-01-01", "end": "2027-02-01"}, if_match=0
    )
    assert created.status_code == 200, created.json()
    assert created.headers["ETag"] == '"1"'
    again = api.put(path, {"lane": "now"}, if_match=0)  # "not placed yet" — but it is now
    assert again.status_code == 412
    moved = api.send("POST", path + "/move", {"to": "now"}, if_match=1)
    assert moved.status_code == 200
    assert moved.json()["lane"] == "now"
    stale = api.send("POST", path + "/move", {"to": "next"}, if_match=1)
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    bad = api.put(path, {"lane": "now", "start": "2027-03-01", "end": "2027-01-01"}, if_match=2)
    assert bad.status_code == 400
    assert "end" in bad.json()["fields"]
    assert (
        Api(personas.viewer).send("POST", path + "/move", {"to": "next"}, if_match=2).status_code
        == 403
    )
    assert Api(personas.outsider).delete(path, if_match=2).status_code == 403
    assert api.delete(path, if_match=2).status_code == 204
    assert api.get(path).status_code == 404
    kinds = set(
        AuditEntry.objects.filter(object_type="roadmap_entry").values_list("action", flat=True)
    )
    assert kinds == {"create", "update", "delete"}


def test_views_crud_and_visibility(personas: Personas) -> None:
    mia = Api(personas.member)
    created = mia.post(
        "/roadmap/views", {"name": "Atlas", "filters": {"product_id": personas.atlas.pk}}
    )
    assert created.status_code == 201, created.json()
    view_id = created.json()["id"]
    assert Api(personas.viewer).get(f"/roadmap/views/{view_id}").status_code == 404
    assert Api(personas.admin).get(f"/roadmap/views/{view_id}").status_code == 200
    assert Api(personas.viewer).post("/roadmap/views", {"name": "Mine"}).status_code == 403
    bad = mia.post("/roadmap/views", {"name": "X", "filters": {"stages": ["nope"]}})
    assert bad.status_code == 400
    assert "filters.stages" in bad.json()["fields"]
    assert mia.patch(f"/roadmap/views/{view_id}", {"shared": True}).status_code == 428
    shared = mia.patch(f"/roadmap/views/{view_id}", {"shared": True}, if_match=1)
    assert shared.status_code == 200
    assert shared.json()["version"] == 2
    assert Api(personas.viewer).get(f"/roadmap/views/{view_id}").status_code == 200
    assert (
        Api(personas.viewer)
        .patch(f"/roadmap/views/{view_id}", {"name": "V"}, if_match=2)
        .status_code
        == 403
    )
    assert (
        Api(personas.leader)
        .patch(f"/roadmap/views/{view_id}", {"name": "L"}, if_match=2)
        .status_code
        == 200
    )
    names = [v["name"] for v in Api(personas.viewer).get("/roadmap/views").json()]
    assert names == ["L"]
    assert mia.delete(f"/roadmap/views/{view_id}", if_match=2).status_code == 412
    assert mia.delete(f"/roadmap/views/{view_id}", if_match=3).status_code == 204


def test_view_items(personas: Personas) -> None:
    board.entry_place(actor=None, feature_id=personas.search.pk, lane="now")
    other = Feature.objects.create(product=personas.beacon, name="Beacon B", stage=Stage.BUILD)
    board.entry_place(actor=None, feature_id=other.pk, lane="now")
    view = board.view_create(
        actor=personas.member,
        data={"name": "A", "shared": True, "filters": {"product_id": personas.atlas.pk}},
    )
    items = Api(personas.viewer).get(f"/roadmap/views/{view.pk}/items").json()
    assert [i["feature"] for i in items] == ["Atlas Search"]


def test_links_create_list_revoke(personas: Personas) -> None:
    view = board.view_create(actor=personas.member, data={"name": "A"})
    mia = Api(personas.member)
    made = mia.post(f"/roadmap/views/{view.pk}/links", {"label": "Board deck", "expires_days": 7})
    assert made.status_code == 201
    body = made.json()
    assert body["path"] == f"/share/{body['token']}/"
    assert body["active"] is True
    listed = mia.get(f"/roadmap/views/{view.pk}/links").json()
    assert "token" not in listed[0]
    assert listed[0]["label"] == "Board deck"
    assert Api(personas.viewer).get(f"/roadmap/views/{view.pk}/links").status_code == 404
    assert Api(personas.outsider).post(f"/roadmap/links/{body['id']}/revoke", {}).status_code == 404
    revoked = Api(personas.leader).post(f"/roadmap/links/{body['id']}/revoke", {})
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False
    bad = mia.post(f"/roadmap/views/{view.pk}/links", {"expires_days": 0})
    assert bad.status_code == 422
