"""The Segment HTTP Tracking API over raw HTTP: every endpoint, JSON and gzip, the auth variants,
what lands in the events table, and every way a request or an event is refused."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.metrics.models import IngestionWarning, Source
from quarterdeck.metrics.services import source_revoke
from tests.metrics.ingest.conftest import Sender, basic, stored, track

HOUR_AGO = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(microsecond=0)
STAMP = HOUR_AGO.isoformat().replace("+00:00", "Z")

CALLS: dict[str, dict[str, Any]] = {
    "track": {"event": "Report Exported", "properties": {"format": "pdf"}},
    "identify": {"traits": {"plan": "pro"}, "anonymousId": "a1"},
    "group": {"groupId": "acme", "traits": {"name": "Acme"}},
    "page": {"name": "Pricing", "properties": {"path": "/pricing"}},
    "screen": {"name": "Home"},
    "alias": {"previousId": "a1"},
}
EXPECTED = {  # (type, event, anonymous_id, account_id)
    "track": ("track", "Report Exported", None, None),
    "identify": ("identify", None, "a1", None),
    "group": ("group", None, None, "acme"),
    "page": ("page", "Pricing", None, None),
    "screen": ("screen", "Screen Viewed", None, None),
    "alias": ("alias", None, "a1", None),
}


@pytest.mark.parametrize("compress", [False, True], ids=["json", "gzip"])
@pytest.mark.parametrize("kind", list(CALLS))
def test_each_endpoint_stores_its_row(
    send: Sender, source: Source, events_dir: Path, kind: str, compress: bool
) -> None:
    body = {"userId": "u1", "messageId": f"m-{kind}", "timestamp": STAMP, **CALLS[kind]}

    response = send.segment(f"/v1/{kind}", body, source.write_key, compress=compress)

    assert response.status_code == 200, response.content
    assert response.json() == {"success": True}
    (row,) = stored(events_dir)
    assert (row["type"], row["event"], row["anonymous_id"], row["account_id"]) == EXPECTED[kind]
    assert (row["event_id"], row["user_id"], row["source_id"]) == (
        f"m-{kind}",
        "u1",
        str(source.pk),
    )
    assert row["time"] == HOUR_AGO


def test_batch_with_every_type_and_the_batch_context(
    send: Sender, source: Source, events_dir: Path
) -> None:
    messages = [
        {"type": kind, "userId": "u1", "messageId": f"b-{kind}", "timestamp": STAMP, **call}
        for kind, call in CALLS.items()
    ]
    body = {"batch": messages, "context": {"groupId": "acme"}, "sentAt": STAMP}

    response = send.segment("/v1/batch", body, source.write_key, compress=True)

    assert response.status_code == 200, response.content
    rows = {row["event_id"]: row for row in stored(events_dir)}
    assert len(rows) == 6
    assert rows["b-track"]["account_id"] == "acme"  # from the batch's context
    assert json.loads(rows["b-track"]["properties"]) == {"format": "pdf"}
    assert json.loads(rows["b-identify"]["traits"]) == {"plan": "pro"}
    assert json.loads(rows["b-page"]["properties"]) == {"name": "Pricing", "path": "/pricing"}


def test_analytics_js_short_paths(send: Sender, source: Source, events_dir: Path) -> None:
    response = send.segment("/v1/t", track("short", timestamp=STAMP), source.write_key)
    assert response.status_code == 200
    assert [row["event_id"] for row in stored(events_dir)] == ["short"]


def test_write_key_in_the_body(send: Sender, source: Source, events_dir: Path) -> None:
    body = {"batch": [track("m1", timestamp=STAMP)], "writeKey": source.write_key}
    assert send.post("/v1/batch", body).status_code == 200
    assert len(stored(events_dir)) == 1


@pytest.mark.parametrize(
    ("headers", "body_key", "reason"),
    [
        ({}, None, "No write key"),
        ({"Authorization": basic("qdw_not-a-key")}, None, "Unknown write key"),
        ({}, "qdw_not-a-key", "Unknown write key"),
        ({"Authorization": "Basic !!!"}, None, "No write key"),
    ],
)
def test_missing_or_unknown_key_is_401(
    send: Sender, events_dir: Path, headers: dict[str, str], body_key: str | None, reason: str
) -> None:
    body: dict[str, Any] = {"batch": [track("m1")]}
    if body_key:
        body["writeKey"] = body_key
    response = send.post("/v1/batch", body, headers=headers)
    assert response.status_code == 401
    assert reason in response.json()["message"]
    assert stored(events_dir) == []


def test_revoked_key_stops_at_once_and_is_recorded(
    send: Sender, source: Source, events_dir: Path
) -> None:
    assert send.segment("/v1/track", track("before"), source.write_key).status_code == 200
    source_revoke(actor=None, source_id=source.pk)

    response = send.segment("/v1/track", track("after"), source.write_key)

    assert response.status_code == 401
    assert "revoked" in response.json()["message"]
    assert [row["event_id"] for row in stored(events_dir)] == ["before"]
    assert IngestionWarning.objects.filter(source=source, kind="revoked_key").exists()


def test_the_same_message_delivered_twice_is_stored_once(
    send: Sender, source: Source, events_dir: Path
) -> None:
    batch = {"batch": [track("m1", timestamp=STAMP), track("m2", timestamp=STAMP)]}
    for _ in range(3):
        assert send.segment("/v1/batch", batch, source.write_key).status_code == 200
    stored(events_dir)
    assert (
        send.segment("/v1/track", track("m1", timestamp=STAMP), source.write_key).status_code == 200
    )

    assert sorted(row["event_id"] for row in stored(events_dir)) == ["m1", "m2"]


def test_a_message_without_id_gets_one_from_its_content(
    send: Sender, source: Source, events_dir: Path
) -> None:
    message = {"type": "track", "event": "Clicked", "userId": "u1", "timestamp": STAMP}
    for delay in (1, 30):  # a retry: the same message with a new sentAt
        sent_at = (HOUR_AGO + dt.timedelta(seconds=delay)).isoformat()
        answer = send.segment(
            "/v1/batch", {"batch": [message], "sentAt": sent_at}, source.write_key
        )
        assert answer.status_code == 200
    send.segment("/v1/batch", {"batch": [{**message, "event": "Other"}]}, source.write_key)
    assert len(stored(events_dir)) == 2


def test_bad_events_are_refused_one_by_one_and_the_good_ones_kept(
    send: Sender, source: Source, events_dir: Path
) -> None:
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    bad = [
        {"type": "track", "event": "No ids", "messageId": "x1"},
        {"type": "launch", "userId": "u1", "messageId": "x2"},
        {"type": "track", "userId": "u1", "messageId": "x3"},
        track("x4", timestamp=future),
        track("x5", timestamp="1999-01-01T00:00:00Z"),
        track("x6", timestamp="last tuesday"),
        track("x7", properties=["not", "an", "object"]),
        track("x8", properties={"blob": "x" * 40_000}),
        {"type": "alias", "userId": "u1", "messageId": "x9"},
        {"type": "group", "userId": "u1", "messageId": "x10"},
        track("x11", userId={"id": 1}),
        "not a message",
        track("x13", properties={"huge": 10.0**300}),
    ]
    body = {"batch": [track("good", timestamp=STAMP), *bad]}

    raw = json.dumps(body).replace("1e+300", "1e400").encode()  # parses as infinity

    response = send.segment("/v1/batch", raw, source.write_key)

    assert response.status_code == 207, response.content
    answer = response.json()
    assert answer["stored"] == 1
    reasons = {item["index"]: item["reason"] for item in answer["rejected"]}
    assert sorted(reasons) == list(range(1, len(bad) + 1))
    assert "neither a userId nor an anonymousId" in reasons[1]
    assert "unknown message type 'launch'" in reasons[2]
    assert "needs an 'event' name" in reasons[3]
    assert "in the future" in reasons[4]
    assert "in the past" in reasons[5]
    assert "ISO 8601" in reasons[6]
    assert "properties must be a JSON object" in reasons[7]
    assert "the limit is 32,768" in reasons[8]
    assert "previousId" in reasons[9]
    assert "groupId" in reasons[10]
    assert "userId must be a string" in reasons[11]
    assert "must be a JSON object" in reasons[12]
    assert "out of range" in reasons[13]
    assert [row["event_id"] for row in stored(events_dir)] == ["good"]
    warnings = IngestionWarning.objects.filter(source=source, kind="invalid_event")
    assert warnings.count() == len(bad)


def test_only_bad_events_is_400_with_every_reason(
    send: Sender, source: Source, events_dir: Path
) -> None:
    response = send.segment("/v1/track", {"event": "x", "messageId": "m"}, source.write_key)
    assert response.status_code == 400
    assert response.json()["rejected"][0]["reason"].startswith("the message has neither")
    assert stored(events_dir) == []


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        (b"{not json", 400, "Not valid JSON"),
        (b"", 400, "empty"),
        (b'{"batch": {"a": 1}}', 400, "'batch' list"),
        (b"[1, 2]", 400, "JSON object"),
        (b'{"batch": [], "x": NaN}', 400, "NaN is not a JSON value"),
        (b"\xff\xfe", 400, "Not valid JSON"),
    ],
)
def test_malformed_bodies_are_4xx_with_the_reason(
    send: Sender, source: Source, body: bytes, status: int, text: str
) -> None:
    response = send.segment("/v1/batch", body, source.write_key)
    assert response.status_code == status
    assert text in response.json()["message"]
    assert IngestionWarning.objects.filter(source=source, kind="invalid_body").exists()


def test_a_broken_gzip_body_is_400(send: Sender, source: Source) -> None:
    headers = {"Authorization": basic(source.write_key), "Content-Encoding": "gzip"}
    response = send.post("/v1/batch", b"\x1f\x8b\x08\x00garbage", headers=headers)
    assert response.status_code == 400
    assert "gzip" in response.json()["message"]


def test_an_unknown_content_encoding_is_415(send: Sender, source: Source) -> None:
    headers = {"Authorization": basic(source.write_key), "Content-Encoding": "br"}
    assert send.post("/v1/batch", b"{}", headers=headers).status_code == 415


def test_batch_limits(send: Sender, source: Source, events_dir: Path) -> None:
    many = {"batch": [track(f"m{i}", timestamp=STAMP) for i in range(2501)]}
    response = send.segment("/v1/batch", many, source.write_key, compress=True)
    assert response.status_code == 413
    assert "2,500" in response.json()["message"]

    big = {"batch": [track(f"m{i}", properties={"p": "x" * 20_000}) for i in range(30)]}
    response = send.segment("/v1/batch", big, source.write_key)
    assert response.status_code == 413
    assert "500,000" in response.json()["message"] or "512,000" in response.json()["message"]

    assert stored(events_dir) == []
    exactly = {"batch": [track(f"m{i}", timestamp=STAMP) for i in range(2500)]}
    assert send.segment("/v1/batch", exactly, source.write_key).status_code == 200
    assert len(stored(events_dir)) == 2500


def test_single_calls_are_limited_to_32_kb(send: Sender, source: Source) -> None:
    body = track("m1", properties={"p": "x" * 33_000})
    assert send.segment("/v1/track", body, source.write_key).status_code == 413


def test_a_gzip_bomb_is_refused_without_inflating_it(send: Sender, source: Source) -> None:
    bomb = gzip.compress(b'{"batch": [' + b" " * 50_000_000 + b"]}")
    assert len(bomb) < 100_000
    headers = {"Authorization": basic(source.write_key), "Content-Encoding": "gzip"}
    response = send.post("/v1/batch", bomb, headers=headers)
    assert response.status_code == 413
    assert "decompressed" in response.json()["message"]


def test_overload_answers_429_with_retry_after_and_keeps_nothing(
    send: Sender, source: Source, events_dir: Path, settings: Any
) -> None:
    assert (
        send.segment("/v1/track", track("m1", timestamp=STAMP), source.write_key).status_code == 200
    )
    settings.INGEST_MAX_BACKLOG_MB = 0  # the one event waiting is already too much

    response = send.segment("/v1/track", track("m2", timestamp=STAMP), source.write_key)

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert IngestionWarning.objects.filter(source=source, kind="overloaded").exists()
    assert [row["event_id"] for row in stored(events_dir)] == ["m1"]
    assert (
        send.segment("/v1/track", track("m2", timestamp=STAMP), source.write_key).status_code == 200
    )


def test_only_post_and_cors_preflight(send: Sender) -> None:
    assert send.client.get("/v1/batch").status_code == 405
    preflight = send.client.options("/v1/batch")
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_the_worker_task_compacts(send: Sender, source: Source, events_dir: Path) -> None:
    from quarterdeck.metrics.tasks import compact_events

    send.segment("/v1/track", track("m1", timestamp=STAMP), source.write_key)
    result = compact_events.enqueue()  # the tests' backend runs it at once
    assert result.return_value == {"stored": 1, "duplicates": 0, "days": 1}
    assert list(events_dir.glob("date=*/part-*.parquet"))
