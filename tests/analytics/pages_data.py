"""Recent events for the analytics page tests: a product page shows the last N days, so its
events must be recent. Atlas (tracked by its source "Atlas web") gets 120 users over the last 100
days, using three features with usage definitions; Beacon's one user stays out of Atlas' charts.

Deterministic: a fixed seed and "today" passed in (the day the test runs)."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from quarterdeck.metrics.models import FeatureUsage, Source
from quarterdeck.metrics.services import events_flush
from quarterdeck.metrics.storage.rows import EventRow, encode_row, micros
from quarterdeck.metrics.storage.spool import Spool
from quarterdeck.portfolio.models import Feature
from tests.personas import Personas

USERS = 120
DAYS = 100
FEATURES = (
    ("Atlas Search", "Searched", 0.5),
    ("Atlas Maps", "Map Opened", 0.3),
    ("Atlas Export", "Exported", 0.15),
)


@dataclass
class Tracked:
    source: Source
    features: list[Feature]


def _row(source: Source, user: str, day: dt.date, name: str, n: int) -> EventRow:
    moment = dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC) + dt.timedelta(minutes=n)
    return {
        "event_id": f"p{user}-{day}-{n}",
        "source_id": str(source.pk),
        "type": "track",
        "event": name,
        "user_id": user,
        "anonymous_id": None,
        "account_id": None,
        "time": micros(moment),
        "received_at": micros(moment + dt.timedelta(seconds=1)),
        "properties": json.dumps({"plan": "pro" if user.endswith("1") else "free"}),
        "traits": None,
    }


def _user_rows(source: Source, user: str, today: dt.date, rng: random.Random) -> list[EventRow]:
    first = today - dt.timedelta(days=rng.randrange(DAYS))
    last = min(today, first + dt.timedelta(days=int(rng.expovariate(1 / 35))))  # then churns
    keep = rng.uniform(0.15, 0.6)  # how often this user comes back
    rows: list[EventRow] = []
    day = first
    while day <= last:
        if day == first or rng.random() < keep:
            rows.append(_row(source, user, day, "Page Viewed", 0))
            for n, (_, event, chance) in enumerate(FEATURES, start=1):
                if rng.random() < chance:
                    rows.append(_row(source, user, day, event, n))
        day += dt.timedelta(days=1)
    return rows


def track_atlas(personas: Personas, folder: Path, today: dt.date) -> Tracked:
    """Sources, usage definitions and the events; the events are compacted (queryable)."""
    source = Source.objects.create(name="Atlas web", write_key="qdw_pages_atlas")
    source.products.set([personas.atlas])
    beacon = Source.objects.create(name="Beacon web", write_key="qdw_pages_beacon")
    beacon.products.set([personas.beacon])
    features = []
    for name, event, _ in FEATURES:
        feature = Feature.objects.filter(name=name, product=personas.atlas).first()
        feature = feature or Feature.objects.create(name=name, product=personas.atlas)
        FeatureUsage.objects.create(feature=feature, event=event)
        features.append(feature)
    rng = random.Random(20240301)
    rows = [r for i in range(USERS) for r in _user_rows(source, f"u{i}", today, rng)]
    rows += [_row(beacon, "b1", today - dt.timedelta(days=d), "Searched", 0) for d in range(30)]
    Spool(folder).append(b"".join(encode_row(r) for r in rows))
    events_flush()
    return Tracked(source, features)
