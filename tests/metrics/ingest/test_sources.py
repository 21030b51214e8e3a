"""Event sources through the API, the pages and the CLI: who manages them, who reads the key,
revoking and replacing keys, and the warnings a source's page shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from quarterdeck.audit.models import AuditEntry
from quarterdeck.cli import cli
from quarterdeck.metrics.models import Source
from tests.api.client import Api, etag_of
from tests.metrics.ingest.conftest import Sender, track
from tests.personas import Personas


def test_leader_creates_a_source_with_a_fresh_key(personas: Personas) -> None:
    api = Api(personas.leader)
    body = {"name": "Atlas web", "product_ids": [personas.atlas.pk]}

    response = api.post("/sources", body)

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["write_key"].startswith("qdw_")
    assert len(created["write_key"]) > 30
    assert created["products"] == [{"id": personas.atlas.pk, "name": "Atlas"}]
    assert created["account_group_type"] == "company"
    other = api.post("/sources", {"name": "Other"}).json()
    assert other["write_key"] != created["write_key"]
    entry = AuditEntry.objects.get(object_type="event_source", object_id=str(created["id"]))
    assert created["write_key"] not in str(entry.changes)  # the key stays out of the audit log


def test_members_read_without_the_key_and_contributors_not_at_all(
    personas: Personas, source: Source
) -> None:
    seen = Api(personas.member).get(f"/sources/{source.pk}").json()
    assert seen["write_key"] is None
    assert seen["key_hint"] == source.write_key[:8] + "…"
    assert Api(personas.admin).get(f"/sources/{source.pk}").json()["write_key"] == source.write_key
    assert Api(personas.contributor).get("/sources").status_code == 403
    assert Api(personas.member).post("/sources", {"name": "Mine"}).status_code == 403


def test_bad_input_is_a_clear_400(personas: Personas, source: Source) -> None:
    api = Api(personas.leader)
    assert api.post("/sources", {"name": "web app"}).json()["fields"]["name"] == [
        "Another source already has this name."
    ]
    missing = api.post("/sources", {"name": "X", "product_ids": [999999]})
    assert missing.status_code == 400
    assert "999999" in missing.json()["fields"]["product_ids"][0]
    assert api.post("/sources", {"name": ""}).status_code == 400


def test_patch_needs_if_match_and_changes_the_group_type(
    personas: Personas, source: Source
) -> None:
    api = Api(personas.leader)
    version = etag_of(api.get(f"/sources/{source.pk}"))
    assert api.patch(f"/sources/{source.pk}", {"name": "X"}).status_code == 428

    response = api.patch(
        f"/sources/{source.pk}", {"account_group_type": "organization"}, if_match=version
    )

    assert response.status_code == 200
    assert response.json()["account_group_type"] == "organization"
    stale = api.patch(f"/sources/{source.pk}", {"name": "Y"}, if_match=version)
    assert stale.status_code == 412


def test_revoke_and_new_key_over_the_api(personas: Personas, source: Source, send: Sender) -> None:
    api = Api(personas.leader)
    old_key = source.write_key

    revoked = api.post(f"/sources/{source.pk}/revoke", {})
    assert revoked.status_code == 200
    assert revoked.json()["is_active"] is False
    assert send.segment("/v1/track", track("m1"), old_key).status_code == 401

    renewed = api.post(f"/sources/{source.pk}/new-key", {}).json()
    assert renewed["is_active"] is True
    assert renewed["write_key"] != old_key
    assert send.segment("/v1/track", track("m2"), renewed["write_key"]).status_code == 200
    assert send.segment("/v1/track", track("m3"), old_key).status_code == 401


def test_warnings_are_listed_in_the_api(personas: Personas, source: Source, send: Sender) -> None:
    send.segment("/v1/batch", {"batch": [{"type": "track", "messageId": "x"}]}, source.write_key)
    warnings = Api(personas.member).get(f"/sources/{source.pk}/warnings").json()
    assert [w["kind"] for w in warnings] == ["invalid_event"]
    assert '"messageId": "x"' in warnings[0]["sample"]


# Pages -------------------------------------------------------------------------------------


def page(user: Any, path: str, data: dict[str, Any] | None = None) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(path, data or {}) if data is not None else client.get(path)


def test_sources_page_lists_and_links(personas: Personas, source: Source) -> None:
    html = page(personas.member, "/sources/").content.decode()
    assert "Web app" in html
    assert f"/sources/{source.pk}/" in html
    assert "New source" not in html  # members do not manage
    assert "New source" in page(personas.leader, "/sources/").content.decode()
    assert "Event sources" in page(personas.leader, "/").content.decode()  # the nav entry
    assert "Event sources" not in page(personas.viewer, "/").content.decode()


def test_the_full_key_shows_only_to_managers(personas: Personas, source: Source) -> None:
    assert source.write_key in page(personas.leader, f"/sources/{source.pk}/").content.decode()
    member_view = page(personas.member, f"/sources/{source.pk}/").content.decode()
    assert source.write_key not in member_view
    assert source.key_hint in member_view


def test_create_edit_and_revoke_on_the_pages(personas: Personas) -> None:
    created = page(
        personas.leader,
        "/sources/new/",
        {"name": "Beacon app", "product_ids": [personas.beacon.pk], "account_group_type": "co"},
    )
    assert created.status_code == 302
    source = Source.objects.get(name="Beacon app")
    assert list(source.products.all()) == [personas.beacon]

    edited = page(
        personas.leader,
        f"/sources/{source.pk}/edit/",
        {"name": "Beacon web", "account_group_type": "org", "version": source.version},
    )
    assert edited.status_code == 302
    page(personas.leader, f"/sources/{source.pk}/revoke/", {})
    source.refresh_from_db()
    assert (source.name, source.account_group_type) == ("Beacon web", "org")
    assert not source.is_active
    assert "Revoked" in page(personas.member, f"/sources/{source.pk}/").content.decode()


def test_the_form_shows_errors(personas: Personas, source: Source) -> None:
    response = page(personas.leader, "/sources/new/", {"name": "Web app"})
    assert response.status_code == 400
    assert "Another source already has this name." in response.content.decode()


def test_warnings_are_visible_on_the_source_page(
    personas: Personas, source: Source, send: Sender
) -> None:
    bad = {"batch": [{"type": "track", "event": "No ids", "messageId": "x"}] * 3}
    send.segment("/v1/batch", bad, source.write_key)
    send.segment("/v1/batch", b"{broken", source.write_key)

    html = page(personas.member, f"/sources/{source.pk}/").content.decode()

    assert "the message has neither a userId nor an anonymousId" in html
    assert "Not valid JSON" in html
    assert "{broken" in html  # the sample payload
    assert '<td class="num">3</td>' in html  # the same problem three times: one line


# CLI ---------------------------------------------------------------------------------------


def run(*args: str) -> Any:
    # Wide enough that Rich never wraps a name or key, whatever the ambient width (CI's
    # PostgreSQL run once squeezed "Mobile" onto two lines).
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})


def test_cli_create_list_revoke(personas: Personas, send: Sender, events_dir: Path) -> None:
    created = run("source", "create", "Mobile", "--product", "Atlas", "--product", "Growth/Beacon")
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    source = Source.objects.get(name="Mobile")
    assert key == source.write_key
    assert {p.name for p in source.products.all()} == {"Atlas", "Beacon"}

    listed = run("source", "list")
    assert "Mobile" in listed.output
    assert key in listed.output

    revoked = run("source", "revoke", "mobile")
    assert revoked.exit_code == 0, revoked.output
    assert send.segment("/v1/track", track("m1"), key).status_code == 401
    assert "revoked" in run("source", "list").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("source", "create", "X", "--product", "Nope"), "There is no product named 'Nope'"),
        (("source", "revoke", "Nope"), "There is no event source named 'Nope'"),
    ],
)
def test_cli_errors_are_one_line(personas: Personas, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output
