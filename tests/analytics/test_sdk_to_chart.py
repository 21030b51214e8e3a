"""The issue's finish line: an official SDK pointed at a running Quarterdeck delivers events
that appear in the product's charts — the product page's chart data, the API and the KPIs."""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from posthog import request as posthog_request
from posthog.client import Client as PostHog
from segment.analytics import request as segment_request  # type: ignore[import-untyped]
from segment.analytics.client import Client as Segment  # type: ignore[import-untyped]

from quarterdeck.kpis.services import kpis_refresh
from quarterdeck.metrics.models import FeatureUsage, Source
from quarterdeck.metrics.services import events_flush, source_create
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)
SPEC = re.compile(r'<script id="([\w-]+)-spec" type="application/json">(.*?)</script>', re.S)


@pytest.fixture
def events_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVENTS_DIR = tmp_path / "events"
    return tmp_path / "events"


@pytest.fixture
def atlas_app(live_server: Any, personas: Personas, events_dir: Path) -> Iterator[Source]:
    source = source_create(
        actor=None, data={"name": "Atlas app", "product_ids": [personas.atlas.pk]}
    )
    FeatureUsage.objects.create(feature=personas.search, event="Searched")
    yield source
    segment_request._session.close()  # the SDKs keep module-level HTTP sessions open
    posthog_request.reset_sessions()
    gc.collect()


def chart_rows(client: Client, product_id: int, index: int) -> list[dict[str, Any]]:
    html = client.get(f"/analytics/products/{product_id}/charts/{index}/").content.decode()
    (found,) = SPEC.findall(html)
    rows: list[dict[str, Any]] = json.loads(found[1])["data"]["values"]
    return rows


def test_sdk_events_show_in_the_products_charts(
    live_server: Any, atlas_app: Source, personas: Personas
) -> None:
    segment = Segment(atlas_app.write_key, host=live_server.url, sync_mode=True, gzip=True)
    segment.identify("ana", {"plan": "pro"}, anonymous_id="visitor-1")
    segment.track("ana", "Searched", {"query": "ports"})
    segment.track(anonymous_id="visitor-2", event="Opened")
    segment.flush()
    posthog = PostHog(atlas_app.write_key, host=live_server.url, sync_mode=True)
    posthog.capture("Searched", distinct_id="ben", properties={"query": "docks"})
    posthog.capture("Opened", distinct_id="cy")
    posthog.flush()
    events_flush()  # what the worker's compaction does a minute later

    today = dt.datetime.now(dt.UTC).date().isoformat()
    client = Client()
    client.force_login(personas.member)
    active = {
        (r["period"], r["breakdown"]): r["value"] for r in chart_rows(client, personas.atlas.pk, 0)
    }
    assert active[(today, "dau")] == 4  # ana, visitor-2, ben, cy
    adoption = chart_rows(client, personas.atlas.pk, 1)
    assert [(r["breakdown"], r["numerator"], r["denominator"]) for r in adoption] == [
        ("Atlas Search", 2, 4)
    ]
    query = {"kind": "active-users", "product_id": personas.atlas.pk, "start": today, "end": today}
    ran = Api(personas.member).post("/metrics/run", query).json()["rows"]
    assert [row["dau"] for row in ran] == [4]

    kpis_refresh()
    kpis = Api(personas.member).get("/kpis", product=personas.atlas.pk, metric="dau").json()
    assert [(p["day"], p["value"]) for p in kpis["points"]] == [(today, 4)]
