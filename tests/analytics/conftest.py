"""A small tracked portfolio and event set for the analytics tests.

Atlas (Mia's product) is tracked by the source "Atlas web"; its features Atlas Search
("Searched") and Atlas Maps ("Map Opened") have usage definitions. Beacon has its own source, so
scoping to Atlas must leave Beacon's user out. Events go through the real spool and compaction.

    day (March 2024)   1  2  3  4  5  6  7
    u1 (Atlas)         P  P  P  P  P  P  P    Searched on 1 and 2, Map Opened on 2
    u2 (Atlas)         P     P                Searched on 3
    u3 (Atlas)                  P  P          Map Opened on 5
    u4 (Atlas)                        P       Searched on 6
    u9 (Beacon)        P  P  P  P  P  P  P    Searched every day (another product's events)
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from quarterdeck.metrics.models import FeatureUsage, Source
from quarterdeck.metrics.services import events_flush
from quarterdeck.metrics.storage.rows import EventRow, encode_row, micros
from quarterdeck.metrics.storage.spool import Spool
from quarterdeck.portfolio.models import Feature
from tests.personas import Personas

START = dt.date(2024, 3, 1)
END = dt.date(2024, 3, 7)
RANGE = {"start": START.isoformat(), "end": END.isoformat()}
_ids = itertools.count(1)


@dataclass
class Store:
    personas: Personas
    atlas_source: Source
    beacon_source: Source
    search: Feature
    maps: Feature
    folder: Path

    def add(self, *rows: EventRow) -> None:
        """Append rows as ingestion does and compact them, so queries see them."""
        Spool(self.folder).append(b"".join(encode_row(r) for r in rows))
        events_flush()


def event(
    source: Source, user: str, day: int, name: str = "Page Viewed", kind: str = "track"
) -> EventRow:
    """An event of ``user`` on March ``day`` 2024 at noon UTC."""
    moment = dt.datetime(2024, 3, day, 12, tzinfo=dt.UTC)
    return {
        "event_id": f"t{next(_ids)}",
        "source_id": str(source.pk),
        "type": kind,
        "event": name,
        "user_id": user,
        "anonymous_id": None,
        "account_id": None,
        "time": micros(moment),
        "received_at": micros(moment + dt.timedelta(seconds=1)),
        "properties": json.dumps({"plan": "pro" if user == "u1" else "free"}),
        "traits": None,
    }


def story(atlas: Source, beacon: Source) -> list[EventRow]:
    rows = [event(atlas, "u1", day) for day in range(1, 8)]
    rows += [event(atlas, "u1", 1, "Searched"), event(atlas, "u1", 2, "Searched")]
    rows += [event(atlas, "u1", 2, "Map Opened")]
    rows += [event(atlas, "u2", 1), event(atlas, "u2", 3), event(atlas, "u2", 3, "Searched")]
    rows += [event(atlas, "u3", 4), event(atlas, "u3", 5), event(atlas, "u3", 5, "Map Opened")]
    rows += [event(atlas, "u4", 6), event(atlas, "u4", 6, "Searched")]
    rows += [event(beacon, "u9", day) for day in range(1, 8)]
    rows += [event(beacon, "u9", day, "Searched") for day in range(1, 8)]
    return rows


@pytest.fixture
def events_dir(settings: Settings, tmp_path: Path) -> Path:
    folder = tmp_path / "events"
    settings.EVENTS_DIR = folder
    return folder


@pytest.fixture
def store(personas: Personas, events_dir: Path) -> Store:
    atlas_source = Source.objects.create(name="Atlas web", write_key="qdw_atlas")
    atlas_source.products.set([personas.atlas])
    beacon_source = Source.objects.create(name="Beacon web", write_key="qdw_beacon")
    beacon_source.products.set([personas.beacon])
    maps = Feature.objects.create(name="Atlas Maps", product=personas.atlas)
    FeatureUsage.objects.create(feature=personas.search, event="Searched")
    FeatureUsage.objects.create(feature=maps, event="Map Opened")
    found = Store(personas, atlas_source, beacon_source, personas.search, maps, events_dir)
    found.add(*story(atlas_source, beacon_source))
    return found


Query = Callable[..., dict[str, Any]]


@pytest.fixture
def atlas_query(store: Store) -> Query:
    """atlas_query(kind, **options) -> query data scoped to Atlas over March 1-7."""

    def make(kind: str, **options: Any) -> dict[str, Any]:
        return {"kind": kind, "product_id": store.personas.atlas.pk, **RANGE, **options}

    return make
