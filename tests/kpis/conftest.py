"""KPI tests: a throw-away event store with two tracked products (Atlas, with three features of
which two can match the same event, and Beacon) and ~7 weeks of events."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from quarterdeck.kpis import services
from quarterdeck.kpis.services import RefreshResult, kpis_refresh
from quarterdeck.metrics.engine.schema import EVENT_COLUMNS
from quarterdeck.metrics.models import FeatureUsage, Source
from quarterdeck.metrics.storage.parquet import arrow_schema
from quarterdeck.portfolio.models import Feature
from tests.metrics.engine.events import Row, at, identify, page, track
from tests.personas import Personas

FIRST = date(2024, 1, 1)
LAST = date(2024, 2, 15)  # the "today" of the first refresh
_files = itertools.count()


@dataclass
class Store:
    root: Path
    atlas_source: str
    beacon_source: str

    def write(self, rows: list[Row]) -> None:
        """Add the rows as new Parquet files, one per UTC day (as compaction would)."""
        by_day: dict[date, list[Row]] = {}
        for row in rows:
            by_day.setdefault(row[7].date(), []).append(row)
        for day, day_rows in by_day.items():
            folder = self.root / f"date={day.isoformat()}"
            folder.mkdir(parents=True, exist_ok=True)
            columns = list(zip(*day_rows, strict=True))
            table = pa.table(
                {c.name: columns[i] for i, c in enumerate(EVENT_COLUMNS)}, schema=arrow_schema()
            )
            pq.write_table(table, folder / f"part-{next(_files):05d}.parquet")


@dataclass
class Tracked:
    personas: Personas
    search: Feature
    export: Feature
    csv: Feature


def day_rows(store: Store, day: date, rng: random.Random) -> list[Row]:
    """One day of activity: Atlas users browse, search and export; Beacon has its own users
    (some the same people), which must never count for Atlas."""
    rows: list[Row] = []
    atlas = store.atlas_source
    for n in range(12):
        who = f"u{n}"
        if rng.random() < 0.45:
            rows.append(page(who, at(day, 8 + n / 2), source=atlas))
            if rng.random() < 0.5:
                rows.append(track(who, "Search Used", at(day, 9 + n / 2), source=atlas))
            if rng.random() < 0.3:
                fmt = rng.choice(["csv", "pdf"])
                rows.append(
                    track(who, "Report Exported", at(day, 10), props={"format": fmt}, source=atlas)
                )
    for n in range(8, 16):
        if rng.random() < 0.5:
            rows.append(track(f"u{n}", "Search Used", at(day, 7), source=store.beacon_source))
    return rows


def history(store: Store, first: date, last: date, seed: int = 7) -> list[Row]:
    rng = random.Random(seed)
    rows: list[Row] = []
    day = first
    while day <= last:
        rows += day_rows(store, day, rng)
        day += timedelta(days=1)
    # An anonymous visitor who signs up later: their early days count for u99 (§0 identity).
    rows.append(
        page("anon-1", at(first + timedelta(days=3)), anonymous=True, source=store.atlas_source)
    )
    rows.append(
        identify("u99", at(first + timedelta(days=20)), anon="anon-1", source=store.atlas_source)
    )
    return rows


@pytest.fixture
def store(
    settings: Any, tmp_path: Path, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> Store:
    settings.EVENTS_DIR = tmp_path / "events"
    settings.DATA_DIR = tmp_path / "data"  # the daily actor store lives under it
    # The data spans 7 weeks: a shorter history keeps full refreshes (and the tests) fast.
    monkeypatch.setattr(services, "HISTORY_DAYS", 60)
    settings.TIME_ZONE = "UTC"
    atlas = Source.objects.create(name="Atlas app", write_key="qdw_atlas")
    atlas.products.set([personas.atlas])
    beacon = Source.objects.create(name="Beacon app", write_key="qdw_beacon")
    beacon.products.set([personas.beacon])
    found = Store(tmp_path / "events", str(atlas.pk), str(beacon.pk))
    found.write(history(found, FIRST, LAST))
    return found


@pytest.fixture
def tracked(store: Store, personas: Personas) -> Tracked:
    search = personas.search
    export = Feature.objects.create(name="Export", product=personas.atlas)
    csv = Feature.objects.create(name="CSV export", product=personas.atlas, parent=export)
    FeatureUsage.objects.create(feature=search, event="Search Used")
    FeatureUsage.objects.create(feature=export, event="Report Exported")
    FeatureUsage.objects.create(
        feature=csv,
        event="Report Exported",
        conditions=[{"key": "format", "op": "eq", "value": "csv"}],
    )
    return Tracked(personas, search, export, csv)


def refresh(**kwargs: Any) -> RefreshResult:
    result = kpis_refresh(**kwargs)
    assert not result.errors, result.errors
    return result
