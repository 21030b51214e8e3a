"""Saved insights over the API: create, read, change with If-Match, delete; the audit trail; who
may change or pin one; the result of a saved insight (JSON and CSV)."""

from __future__ import annotations

from typing import Any

from quarterdeck.analytics.export import rows_csv
from quarterdeck.audit.models import AuditEntry
from tests.analytics.conftest import RANGE, Query, Store
from tests.api.client import Api, etag_of
from tests.personas import Personas


def _create(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/insights", body)
    assert response.status_code == 201, response.content
    assert etag_of(response) == 1
    created: dict[str, Any] = response.json()
    return created


def test_create_read_change_delete_with_versions_and_audit(
    store: Store, atlas_query: Query
) -> None:
    mia = Api(store.personas.member)
    query = atlas_query("feature-adoption", features=[store.search.pk])
    created = _create(mia, {"name": "Search adoption", "query": query})
    path = f"/insights/{created['id']}"
    assert created["owner"]["email"] == "mia@example.com"
    assert created["product"] == {"id": store.personas.atlas.pk, "name": "Atlas"}
    assert (created["kind"], created["query"], created["may_change"]) == (
        "feature-adoption",
        query,
        True,
    )

    assert mia.patch(path, {"name": "x"}).status_code == 428
    stale = mia.patch(path, {"name": "x"}, if_match=7)
    assert (stale.status_code, stale.json()["current_version"]) == (412, 1)
    changed = mia.patch(path, {"description": "Who searches", "pinned": True}, if_match=1)
    assert changed.status_code == 200, changed.content
    assert (changed.json()["version"], etag_of(changed)) == (2, 2)
    assert mia.get(path).json()["description"] == "Who searches"
    assert mia.patch(path, {"pinned": True}, if_match=2).json()["version"] == 2  # no change

    assert mia.delete(path, if_match=1).status_code == 412
    assert mia.delete(path, if_match=2).status_code == 204
    assert mia.get(path).status_code == 404
    entries = AuditEntry.objects.filter(object_type="saved_insight", object_id=str(created["id"]))
    assert [(e.action, e.actor_label) for e in entries.order_by("id")] == [
        ("create", "mia@example.com"),
        ("update", "mia@example.com"),
        ("delete", "mia@example.com"),
    ]
    update = entries.get(action="update")
    assert update.changes == {"description": ["", "Who searches"], "pinned": [False, True]}


def test_owner_leaders_and_admins_change_an_insight_others_read_it(
    store: Store, atlas_query: Query
) -> None:
    p = store.personas
    created = _create(Api(p.member), {"name": "Mine", "query": atlas_query("lifecycle")})
    path = f"/insights/{created['id']}"
    for reader in (p.outsider, p.manager):
        response = Api(reader).get(path)
        assert response.status_code == 200
        assert response.json()["may_change"] is False
        assert Api(reader).patch(path, {"name": "Theirs"}, if_match=1).status_code == 403
        assert Api(reader).delete(path, if_match=1).status_code == 403
    assert Api(p.leader).patch(path, {"name": "Renamed"}, if_match=1).status_code == 200
    assert Api(p.admin).delete(path, if_match=2).status_code == 204
    assert Api(p.viewer).get("/insights").status_code == 403


def test_pinning_needs_the_right_to_change_the_product(store: Store, atlas_query: Query) -> None:
    p = store.personas
    body = {"name": "Pinned", "query": atlas_query("lifecycle"), "pinned": True}
    refused = Api(p.outsider).post("/insights", body)  # Otto does not own Atlas
    assert refused.status_code == 403
    assert "pins insights" in refused.json()["message"]
    assert Api(p.member).post("/insights", body).status_code == 201  # Mia owns it
    no_product = Api(p.member).post(
        "/insights", {"name": "P", "query": {"kind": "lifecycle", **RANGE}, "pinned": True}
    )
    assert no_product.status_code == 400
    assert "pinned" in no_product.json()["fields"]


def test_bad_saved_insights_name_the_field(personas: Personas) -> None:
    mia = Api(personas.member)
    bad_query = mia.post("/insights", {"name": "x", "query": {"kind": "funnel", **RANGE}})
    assert bad_query.status_code == 400
    assert "query.events" in bad_query.json()["fields"]
    blank = mia.post("/insights", {"name": "  ", "query": {"kind": "lifecycle", **RANGE}})
    assert blank.json()["fields"] == {"name": ["Required."]}
    other = Api(personas.member).post(
        "/insights",
        {
            "name": "x",
            "query": {"kind": "lifecycle", "product_id": personas.atlas.pk + 99, **RANGE},
        },
    )
    assert other.status_code == 404


def test_list_filters_by_product(store: Store, atlas_query: Query) -> None:
    mia = Api(store.personas.member)
    _create(mia, {"name": "B on Atlas", "query": atlas_query("lifecycle")})
    _create(mia, {"name": "A everywhere", "query": {"kind": "lifecycle", **RANGE}})
    everything = mia.get("/insights").json()
    assert [i["name"] for i in everything["items"]] == ["A everywhere", "B on Atlas"]
    atlas = mia.get("/insights", product_id=store.personas.atlas.pk).json()
    assert [i["name"] for i in atlas["items"]] == ["B on Atlas"]


def test_the_result_of_a_saved_insight_matches_a_run(store: Store, atlas_query: Query) -> None:
    mia = Api(store.personas.member)
    query = atlas_query("funnel", features=[store.search.pk, store.maps.pk])
    created = _create(mia, {"name": "Search → maps", "query": query})
    result = mia.get(f"/insights/{created['id']}/result").json()
    run = mia.post("/metrics/run", query).json()
    assert result["rows"] == run["rows"]
    assert [row["count"] for row in result["rows"]] == [3, 1]
    csv_response = mia.get(f"/insights/{created['id']}/result", format="csv")
    assert (
        csv_response["Content-Disposition"] == f'attachment; filename="insight-{created["id"]}.csv"'
    )
    assert csv_response.content.decode() == rows_csv(run["rows"])
