"""Lost-update protection (ETag / If-Match) and who may write what, through /api/v1."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import AuditEntry
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ApiAs = Callable[[User | None], Api]


def _paths(p: Personas) -> dict[str, str]:
    return {
        "line": f"/lines/{p.growth.pk}",
        "product": f"/products/{p.beacon.pk}",
        "feature": f"/features/{p.search.pk}",
        "person": f"/people/{p.people['otto'].pk}",
        "team": f"/teams/{p.team.pk}",
    }


KINDS = ["line", "product", "feature", "person", "team"]


def _full_body(p: Personas, kind: str) -> dict[str, object]:
    """A valid PUT body: every kind needs a name; products and features also their parent."""
    parent = {"product": {"line_id": p.growth.pk}, "feature": {"product_id": p.atlas.pk}}
    return {"name": "Renamed", **parent.get(kind, {})}


@pytest.mark.parametrize("kind", KINDS)
def test_writes_without_if_match_get_428(personas: Personas, api_as: ApiAs, kind: str) -> None:
    api = api_as(personas.admin)
    path = _paths(personas)[kind]
    for response in (
        api.patch(path, {"description" if kind != "person" else "title": "x"}),
        api.put(path, _full_body(personas, kind)),
        api.delete(path),
    ):
        assert response.status_code == 428, response.json()
        assert "If-Match" in response.json()["message"]
    assert api.get(path).json()["version"] == 1


@pytest.mark.parametrize("kind", KINDS)
def test_writes_with_a_stale_version_get_412(personas: Personas, api_as: ApiAs, kind: str) -> None:
    api = api_as(personas.admin)
    path = _paths(personas)[kind]
    field = "title" if kind == "person" else "description"
    first = api.patch(path, {field: "first"}, if_match=1)
    assert first.status_code == 200, first.json()
    assert first.headers["ETag"] == '"2"'
    for response in (
        api.patch(path, {field: "second"}, if_match=1),
        api.delete(path, if_match='W/"1"'),
    ):
        assert response.status_code == 412, response.json()
        assert response.json()["current_version"] == 2
    assert api.get(path).json()[field] == "first"
    assert api.patch(path, {field: "x"}, if_match="yesterday").status_code == 400


def test_the_etag_of_a_read_is_the_one_to_send_back(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.leader)
    path = f"/products/{personas.beacon.pk}"
    etag = api.get(path).headers["ETag"]
    assert api.patch(path, {"description": "a"}, if_match=etag).status_code == 200
    assert api.patch(path, {"description": "b"}, if_match=etag).status_code == 412
    etag = api.get(path).headers["ETag"]
    assert api.patch(path, {"description": "b"}, if_match=etag).status_code == 200


def test_member_changes_her_own_product_only(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.member)
    mine = api.patch(f"/products/{personas.atlas.pk}", {"description": "Mine"}, if_match=1)
    assert mine.status_code == 200, mine.json()
    theirs = api.patch(f"/products/{personas.beacon.pk}", {"description": "Nope"}, if_match=1)
    assert theirs.status_code == 403
    assert "Beacon" in theirs.json()["message"]
    assert (
        api.patch(f"/lines/{personas.platform.pk}", {"description": "x"}, if_match=1).status_code
        == 403
    )
    assert api.delete(f"/products/{personas.beacon.pk}", if_match=1).status_code == 403


def test_manager_changes_his_groups_subtree_only(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.manager)
    p = personas
    assert api.patch(f"/lines/{p.platform.pk}", {"description": "x"}, if_match=1).status_code == 200
    assert api.patch(f"/products/{p.atlas.pk}", {"description": "x"}, if_match=1).status_code == 200
    assert (
        api.patch(f"/features/{p.search.pk}", {"description": "x"}, if_match=1).status_code == 200
    )
    assert api.patch(f"/lines/{p.growth.pk}", {"description": "x"}, if_match=1).status_code == 403
    assert (
        api.patch(f"/products/{p.beacon.pk}", {"description": "x"}, if_match=1).status_code == 403
    )
    moved = api.patch(f"/products/{p.atlas.pk}", {"line_id": p.growth.pk}, if_match=2)
    assert moved.status_code == 403  # moving into another group's line is a write there
    assert api.post("/products", {"name": "X", "line_id": p.growth.pk}).status_code == 403
    assert api.post("/lines", {"name": "Top level"}).status_code == 403
    mia, otto = p.people["mia"].pk, p.people["otto"].pk
    assert api.patch(f"/people/{mia}", {"title": "Senior PM"}, if_match=1).status_code == 200
    assert api.patch(f"/people/{otto}", {"title": "Senior PM"}, if_match=1).status_code == 403


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_readers_cannot_write(personas: Personas, api_as: ApiAs, role: str) -> None:
    api = api_as(personas.by_role()[role])
    p = personas
    before = AuditEntry.objects.count()
    attempts = [
        api.post("/lines", {"name": "X", "parent_id": p.platform.pk}),
        api.post("/products", {"name": "X", "line_id": p.platform.pk}),
        api.post("/features", {"name": "X", "product_id": p.atlas.pk}),
        api.post("/people", {"name": "X"}),
        api.post("/teams", {"name": "X"}),
        api.patch(f"/lines/{p.platform.pk}", {"name": "X"}, if_match=1),
        api.put(f"/products/{p.atlas.pk}", {"name": "X", "line_id": p.platform.pk}, if_match=1),
        api.patch(f"/features/{p.search.pk}", {"stage": "build"}, if_match=1),
        api.patch(f"/people/{p.people['mia'].pk}", {"title": "X"}, if_match=1),
        api.patch(f"/teams/{p.team.pk}", {"name": "X"}, if_match=1),
        api.delete(f"/features/{p.search.pk}", if_match=1),
        api.delete(f"/teams/{p.team.pk}"),  # 403 comes before asking for If-Match
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert AuditEntry.objects.count() == before
    assert api.get(f"/products/{p.atlas.pk}").status_code == 200  # but they read


@pytest.mark.parametrize("role", ["leader", "manager", "member", "contributor", "viewer"])
def test_the_audit_log_is_for_admins_only(personas: Personas, api_as: ApiAs, role: str) -> None:
    assert api_as(personas.by_role()[role]).get("/audit").status_code == 403


def test_admin_reads_and_filters_the_audit_log(personas: Personas, api_as: ApiAs) -> None:
    leader = api_as(personas.leader)
    leader.patch(f"/products/{personas.beacon.pk}", {"description": "x"}, if_match=1)
    leader.patch(f"/teams/{personas.team.pk}", {"description": "y"}, if_match=1)
    admin = api_as(personas.admin)
    everything = admin.get("/audit").json()
    assert {entry["object_type"] for entry in everything["items"]} >= {"product", "team"}
    products = admin.get("/audit", object_type="product", actor_id=personas.leader.pk).json()
    assert products["count"] == 1
    assert products["items"][0]["object_id"] == str(personas.beacon.pk)
    by_id = admin.get(
        "/audit", object_type="team", object_id=str(personas.team.pk), action="update"
    )
    assert by_id.json()["items"][0]["changes"] == {"description": ["", "y"]}
    assert admin.get("/audit", action="create", object_type="team").json()["count"] == 0
