"""PostHog capture over raw HTTP: /batch/, /capture/, /e/ and /i/v0/e/, the body encodings the
SDKs use, the key variants, and the mapping of $identify, $create_alias, $groupidentify,
$set and $groups."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from quarterdeck.metrics.models import IngestionWarning, Source
from quarterdeck.metrics.services import source_update
from tests.metrics.ingest.conftest import Sender, stored

HOUR_AGO = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(microsecond=0)
STAMP = HOUR_AGO.isoformat()


def event(uuid: str, name: str = "report exported", **properties: Any) -> dict[str, Any]:
    return {"event": name, "distinct_id": "d1", "uuid": uuid, "timestamp": STAMP,
            "properties": properties}  # fmt: skip


@pytest.mark.parametrize("path", ["/batch/", "/capture/", "/e/", "/i/v0/e/", "/batch", "/capture"])
@pytest.mark.parametrize("compress", [False, True], ids=["json", "gzip"])
def test_each_endpoint_takes_a_batch(
    send: Sender, source: Source, events_dir: Path, path: str, compress: bool
) -> None:
    sent_at = (HOUR_AGO + dt.timedelta(seconds=10)).isoformat()  # the client sent it 10 s later
    body = {"api_key": source.write_key, "batch": [event("e1"), event("e2")], "sent_at": sent_at}

    response = send.post(path, body, compress=compress)

    assert response.status_code == 200, response.content
    assert response.json() == {"status": 1}
    rows = stored(events_dir)
    assert [(r["event_id"], r["type"], r["event"], r["user_id"]) for r in rows] == [
        ("e1", "track", "report exported", "d1"),
        ("e2", "track", "report exported", "d1"),
    ]
    assert rows[0]["received_at"] - rows[0]["time"] == dt.timedelta(seconds=10)  # skew rule


def test_one_event_with_token_at_the_top(send: Sender, source: Source, events_dir: Path) -> None:
    response = send.post("/capture/", {**event("e1"), "token": source.write_key})
    assert response.status_code == 200
    assert len(stored(events_dir)) == 1


def test_posthog_js_list_with_the_token_in_properties_gzip_js(
    send: Sender, source: Source, events_dir: Path
) -> None:
    events = [event("e1", "$pageview", token=source.write_key, **{"$current_url": "/x"})]
    body = gzip.compress(json.dumps(events).encode())
    sent_ms = int(HOUR_AGO.timestamp() * 1000) + 5000  # ?_= is when posthog-js sent it
    query = urlencode({"compression": "gzip-js", "_": str(sent_ms), "ver": "1.0"})

    response = send.post(f"/e/?{query}", body, content_type="text/plain")

    assert response.status_code == 200, response.content
    (row,) = stored(events_dir)
    assert (row["type"], row["event"]) == ("page", "$pageview")
    assert json.loads(row["properties"]) == {"$current_url": "/x"}  # the key is not stored
    assert row["received_at"] - row["time"] == dt.timedelta(seconds=5)


@pytest.mark.parametrize("encoded", [True, False], ids=["base64", "plain"])
def test_form_encoded_data(send: Sender, source: Source, events_dir: Path, encoded: bool) -> None:
    payload = json.dumps({**event("e1"), "api_key": source.write_key})
    value = base64.b64encode(payload.encode()).decode() if encoded else payload
    form = urlencode({"data": value}).encode()
    query = "?compression=base64" if encoded else ""

    response = send.post(f"/e/{query}", form, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200, response.content
    assert len(stored(events_dir)) == 1


def test_identity_and_group_events_become_their_rows(
    send: Sender, source: Source, events_dir: Path
) -> None:
    batch = [
        event("i1", "$identify", **{"$anon_distinct_id": "anon-1", "$set": {"plan": "pro"}}),
        event("a1", "$create_alias", alias="old-id"),
        event(
            "g1",
            "$groupidentify",
            **{"$group_type": "company", "$group_key": "acme", "$group_set": {"name": "Acme"}},
        ),
        event("s1", "$set", **{"$set": {"email": "d1@example.com"}}),
        event("t1", "exported", **{"$groups": {"company": "acme", "project": "p1"}}),
        event("t2", "$screen"),
    ]
    response = send.post("/batch/", {"api_key": source.write_key, "batch": batch})
    assert response.status_code == 200, response.content

    rows = {row["event_id"]: row for row in stored(events_dir)}
    summary = {
        key: (row["type"], row["event"], row["user_id"], row["anonymous_id"], row["account_id"])
        for key, row in rows.items()
    }
    assert summary == {
        "i1": ("identify", None, "d1", "anon-1", None),
        "a1": ("alias", None, "d1", "old-id", None),
        "g1": ("group", None, "d1", None, "acme"),
        "s1": ("identify", None, "d1", None, None),
        "t1": ("track", "exported", "d1", None, "acme"),
        "t2": ("screen", "$screen", "d1", None, None),
    }
    assert json.loads(rows["i1"]["traits"]) == {"plan": "pro"}
    assert json.loads(rows["g1"]["traits"]) == {"name": "Acme"}
    assert json.loads(rows["s1"]["traits"]) == {"email": "d1@example.com"}


def test_the_account_group_type_is_set_per_source(
    send: Sender, source: Source, events_dir: Path
) -> None:
    source_update(
        actor=None, source_id=source.pk, data={"account_group_type": "organization"},
        expected_version=None,
    )  # fmt: skip
    batch = [
        event("t1", "exported", **{"$groups": {"company": "acme", "organization": "org-9"}}),
        event("g1", "$groupidentify", **{"$group_type": "company", "$group_key": "acme"}),
    ]
    response = send.post("/batch/", {"api_key": source.write_key, "batch": batch})

    assert response.status_code == 207
    assert "group type 'company'" in response.json()["rejected"][0]["reason"]
    assert [row["account_id"] for row in stored(events_dir)] == ["org-9"]


def test_bad_events_are_refused_with_reasons(
    send: Sender, source: Source, events_dir: Path
) -> None:
    batch = [
        event("ok"),
        {"event": "no id", "uuid": "x1", "properties": {}},
        {"distinct_id": "d1", "uuid": "x2"},
        event("x3", "$create_alias"),
        {**event("x4"), "timestamp": "2999-01-01T00:00:00Z"},
        {**event("x5"), "properties": "text"},
    ]
    response = send.post("/batch/", {"api_key": source.write_key, "batch": batch})

    assert response.status_code == 207
    reasons = [item["reason"] for item in response.json()["rejected"]]
    assert reasons == [
        "the event has no distinct_id",
        "the event has no name ('event')",
        "$create_alias needs properties.alias",
        reasons[3],
        "properties must be a JSON object, got str",
    ]
    assert "in the future" in reasons[3]
    assert [row["event_id"] for row in stored(events_dir)] == ["ok"]
    assert IngestionWarning.objects.filter(source=source).count() == 5


def test_duplicates_are_stored_once(send: Sender, source: Source, events_dir: Path) -> None:
    body = {"api_key": source.write_key, "batch": [event("e1"), event("e1"), event("e2")]}
    send.post("/batch/", body)
    send.post("/batch/", body)
    assert sorted(row["event_id"] for row in stored(events_dir)) == ["e1", "e2"]


@pytest.mark.parametrize(
    ("body", "content_type", "path", "status"),
    [
        (b"{oops", "application/json", "/batch/", 400),
        (b"data=%%%", "application/x-www-form-urlencoded", "/e/", 400),
        (b"nope", "text/plain", "/e/?compression=gzip-js", 400),
        (b"x", "text/plain", "/e/?compression=lz64", 415),
        (b'{"api_key": "KEY", "batch": 42}', "application/json", "/capture/", 400),
        (b"[42]", "application/json", "/capture/", 401),  # no key to be found
    ],
)
def test_malformed_bodies(
    send: Sender, source: Source, body: bytes, content_type: str, path: str, status: int
) -> None:
    body = body.replace(b"KEY", source.write_key.encode())
    response = send.post(path, body, content_type=content_type)
    assert response.status_code == status
    assert response.json()["detail"]


def test_unknown_api_key_is_401(send: Sender, events_dir: Path) -> None:
    response = send.post("/batch/", {"api_key": "phc_nope", "batch": [event("e1")]})
    assert response.status_code == 401
    assert response.json()["detail"] == "Unknown write key."
    assert stored(events_dir) == []
