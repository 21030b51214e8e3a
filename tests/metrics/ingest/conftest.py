"""Ingestion tests: a throw-away events folder per test, a source, and HTTP helpers that send
what the tracking SDKs send."""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.test import Client

from quarterdeck.metrics.ingest import receive
from quarterdeck.metrics.models import Source
from quarterdeck.metrics.services import events_flush, source_create
from tests.personas import Personas

NOW = "2030-01-01T00:00:00Z"  # not used for times: real receive times are "now"


@pytest.fixture(autouse=True)
def events_dir(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "events"
    settings.EVENTS_DIR = folder
    monkeypatch.setattr(receive, "BACKLOG_CACHE_SECONDS", 0.0)
    return folder


@pytest.fixture
def source(personas: Personas) -> Source:
    return source_create(actor=None, data={"name": "Web app", "product_ids": [personas.atlas.pk]})


def basic(key: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


@dataclass
class Sender:
    """Raw HTTP as an SDK would send it."""

    client: Client

    def post(
        self,
        path: str,
        body: Any,
        *,
        headers: dict[str, str] | None = None,
        compress: bool = False,
        content_type: str = "application/json",
    ) -> Any:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = dict(headers or {})
        if compress:
            data = gzip.compress(data)
            headers["Content-Encoding"] = "gzip"
        return self.client.generic("POST", path, data, content_type=content_type, headers=headers)

    def segment(self, path: str, body: Any, key: str, **kwargs: Any) -> Any:
        return self.post(path, body, headers={"Authorization": basic(key)}, **kwargs)


@pytest.fixture
def send(db: None) -> Sender:
    return Sender(Client())


def stored(events: Path, where: str = "TRUE") -> list[dict[str, Any]]:
    """Compact, then read the events table back from the Parquet files with DuckDB."""
    events_flush()
    pattern = str(events / "date=*" / "part-*.parquet")
    if not list(events.glob("date=*/part-*.parquet")):
        return []
    cursor = duckdb.connect().execute(
        f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = false) "  # noqa: S608
        f"WHERE {where} ORDER BY time, event_id"
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def track(message_id: str, user: str = "u1", **extra: Any) -> dict[str, Any]:
    return {"type": "track", "event": "Report Exported", "userId": user, "messageId": message_id,
            **extra}  # fmt: skip
