"""Data for the key-result number tests (bindings, refresh): an outcome to hang key results on,
a tracked Atlas with an event store, survey answers and subscriptions — all written through the
same services and stores the product uses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.metrics.models import Source as EventSource
from quarterdeck.revenue import services as revenue
from quarterdeck.strategy.models import KeyResult, Outcome
from quarterdeck.surveys.models import Survey
from quarterdeck.surveys.responses import responses_add
from tests.kpis.conftest import Store
from tests.metrics.engine.events import Row, at, track
from tests.personas import Personas


def outcome(personas: Personas, start: dt.date, end: dt.date, **fields: Any) -> Outcome:
    values: dict[str, Any] = {
        "title": "Grow Atlas",
        "level": "product",
        "product": personas.atlas,
        "period": "custom",
        "start": start,
        "end": end,
    }
    return Outcome.objects.create(**(values | fields))


def key_result(goal: Outcome, source: str, metric: dict[str, Any], **fields: Any) -> KeyResult:
    values: dict[str, Any] = {
        "title": f"A {source} key result",
        "source": source,
        "metric": metric,
        "baseline": 0.0,
        "target": 10.0,
        "direction": "increase",
        "start": goal.start,
        "end": goal.end,
    }
    return KeyResult.objects.create(outcome=goal, **(values | fields))


@pytest.fixture
def events(settings: Any, tmp_path: Path, personas: Personas) -> Store:
    """An empty event store with Atlas tracked (its own source)."""
    settings.EVENTS_DIR = tmp_path / "events"
    settings.DATA_DIR = tmp_path / "data"
    settings.TIME_ZONE = "UTC"
    source = EventSource.objects.create(name="Atlas app", write_key="qdw_atlas_kr")
    source.products.set([personas.atlas])
    return Store(tmp_path / "events", str(source.pk), str(source.pk))


def daily_users(store: Store, event: str, first: dt.date, last: dt.date, users: int) -> None:
    """``users`` distinct people doing ``event`` on each day from ``first`` to ``last``."""
    rows: list[Row] = []
    day = first
    while day <= last:
        rows += [
            track(f"{event}-{n}", event, at(day, 9 + n / 10), source=store.atlas_source)
            for n in range(users)
        ]
        day += dt.timedelta(days=1)
    store.write(rows)


def nps_survey(personas: Personas) -> Survey:
    return Survey.objects.create(
        name="Atlas NPS", kind="nps", scale_min=0, scale_max=10, product=personas.atlas
    )


def answers(personas: Personas, survey: Survey, scores: list[tuple[int, dt.datetime]]) -> None:
    items = [{"score": s, "answered_at": when.isoformat()} for s, when in scores]
    responses_add(actor=personas.leader, survey_id=survey.pk, items=items)


def subscription(
    personas: Personas, key: str, amount: int, start: dt.date, currency: str = "USD"
) -> None:
    customer = revenue.customer_create(actor=None, data={"external_id": key, "name": key})
    data = {
        "external_id": f"sub-{key}",
        "customer_id": customer.pk,
        "status": "active",
        "currency": currency,
        "interval": "month",
        "started_at": start,
        "items": [{"product_id": personas.atlas.pk, "amount": amount, "quantity": 1}],
    }
    revenue.subscription_create(actor=None, data=data)
