"""The official SDKs from PyPI, pointed at a running Quarterdeck (nothing else changed): what
they send is stored, once, and readable with DuckDB from the Parquet files."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from posthog import request as posthog_request
from posthog.client import Client as PostHog
from segment.analytics import request as segment_request  # type: ignore[import-untyped]
from segment.analytics.client import Client as Segment  # type: ignore[import-untyped]

from quarterdeck.metrics.models import Source
from quarterdeck.metrics.services import source_create
from tests.metrics.ingest.conftest import stored

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_source(live_server: Any) -> Iterator[Source]:
    yield source_create(actor=None, data={"name": "SDK app"})
    # The SDKs keep HTTP connections open in module-level sessions: close them while the live
    # server shares this test's database with its threads.
    segment_request._session.close()
    posthog_request.reset_sessions()
    gc.collect()  # and the ones only garbage (an exception's traceback) still holds


def by_type(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["type"], []).append(row)
    return found


@pytest.mark.parametrize("gzip", [False, True], ids=["json", "gzip"])
def test_segment_analytics_python(
    live_server: Any, live_source: Source, events_dir: Path, gzip: bool
) -> None:
    client = Segment(live_source.write_key, host=live_server.url, sync_mode=True, gzip=gzip)
    client.track("u1", "Signed Up", {"plan": "pro"}, context={"groupId": "acme"})
    client.identify("u1", {"email": "u1@example.com"}, anonymous_id="a1")
    client.group("u1", "acme", {"name": "Acme"})
    client.page("u1", "Docs", "Pricing", {"path": "/pricing"})
    client.screen("u1", "App", "Home")
    client.alias("a1", "u1")
    client.flush()

    rows = stored(events_dir)
    assert len(rows) == len({row["event_id"] for row in rows}) == 6
    kinds = by_type(rows)
    assert kinds["track"][0]["event"] == "Signed Up"
    assert kinds["track"][0]["account_id"] == "acme"
    assert json.loads(kinds["track"][0]["properties"]) == {"plan": "pro"}
    assert (kinds["identify"][0]["user_id"], kinds["identify"][0]["anonymous_id"]) == ("u1", "a1")
    assert kinds["group"][0]["account_id"] == "acme"
    assert kinds["page"][0]["event"] == "Pricing"
    assert (kinds["alias"][0]["user_id"], kinds["alias"][0]["anonymous_id"]) == ("u1", "a1")
    skew = max(abs((row["received_at"] - row["time"]).total_seconds()) for row in rows)
    assert skew < 5  # sentAt and timestamp came from the same clock: the skew rule applied


def test_segment_retries_are_stored_once(
    live_server: Any, live_source: Source, events_dir: Path
) -> None:
    client = Segment(live_source.write_key, host=live_server.url, sync_mode=True)
    for _ in range(3):  # what a retry after a lost answer looks like: the same messageId
        client.track("u1", "Clicked", message_id="retried-1")
    assert [row["event_id"] for row in stored(events_dir)] == ["retried-1"]


def test_a_revoked_key_is_refused_from_the_next_request(
    live_server: Any, live_source: Source, events_dir: Path
) -> None:
    from segment.analytics.request import APIError  # type: ignore[import-untyped]

    from quarterdeck.metrics.services import source_revoke

    client = Segment(live_source.write_key, host=live_server.url, sync_mode=True)
    client.track("u1", "Clicked", message_id="before")  # the server now caches the key
    source_revoke(actor=None, source_id=live_source.pk)
    with pytest.raises(APIError) as raised:
        client.track("u1", "Clicked", message_id="after")
    assert raised.value.status == 401
    assert [row["event_id"] for row in stored(events_dir)] == ["before"]


@pytest.mark.parametrize("gzip", [False, True], ids=["json", "gzip"])
def test_posthog_python(
    live_server: Any, live_source: Source, events_dir: Path, gzip: bool
) -> None:
    errors: list[Any] = []
    client = PostHog(
        live_source.write_key,
        host=live_server.url,
        sync_mode=True,
        gzip=gzip,
        on_error=lambda error, batch: errors.append(error),
    )
    client.capture("report exported", distinct_id="d1", properties={"format": "pdf"},
                   groups={"company": "acme"})  # fmt: skip
    client.capture("$identify", distinct_id="d1", properties={"$anon_distinct_id": "anon-1"})
    client.alias(previous_id="anon-2", distinct_id="d1")
    client.group_identify("company", "acme", {"name": "Acme"}, distinct_id="d1")
    client.set(distinct_id="d1", properties={"email": "d1@example.com"})
    client.flush()
    client.shutdown()

    assert errors == []
    rows = stored(events_dir)
    assert len(rows) == len({row["event_id"] for row in rows}) == 5
    kinds = by_type(rows)
    assert (kinds["track"][0]["event"], kinds["track"][0]["account_id"]) == (
        "report exported",
        "acme",
    )
    identify = {row["anonymous_id"] for row in kinds["identify"]}
    assert identify == {"anon-1", None}  # $identify links anon-1; $set only sets traits
    (alias,) = kinds["alias"]
    # posthog-python sends alias(previous_id, distinct_id) as distinct_id=previous, alias=new.
    assert {alias["user_id"], alias["anonymous_id"]} == {"anon-2", "d1"}
    assert kinds["group"][0]["account_id"] == "acme"
