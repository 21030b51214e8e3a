"""Scheduling: compactions that stored events ask for one refresh per burst, from the earliest
day they touched; the task answers the request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from quarterdeck.kpis import services, tasks
from quarterdeck.kpis.models import KpiRefreshState
from quarterdeck.metrics import tasks as metrics_tasks
from tests.kpis.conftest import Store, Tracked

pytestmark = pytest.mark.django_db


@dataclass
class FakeTask:
    """Stands in for the task on a backend that can defer (the tests' backend runs at once)."""

    enqueued: list[dict[str, Any]] = field(default_factory=list)
    supports_defer: bool = True

    def get_backend(self) -> FakeTask:
        return self

    def using(self, **options: Any) -> FakeTask:
        self.enqueued.append(options)
        return self

    def enqueue(self) -> None:
        pass


def test_a_burst_of_compactions_schedules_one_refresh(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeTask()
    monkeypatch.setattr(tasks, "refresh_kpis", fake)
    metrics_tasks._schedule_kpi_refresh({"2024-02-12", "2024-02-10"})
    metrics_tasks._schedule_kpi_refresh({"2024-02-14"})
    assert len(fake.enqueued) == 1
    assert fake.enqueued[0]["run_after"] > dt.datetime.now(dt.UTC)
    # The day before the earliest UTC day: a workspace zone behind UTC.
    assert services.refresh_request_take() == (True, dt.date(2024, 2, 9))


def test_scheduling_never_fails_the_compaction(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(since: dt.date | None) -> bool:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(tasks, "refresh_kpis", FakeTask())
    monkeypatch.setattr(services, "refresh_requested", broken)
    tasks.schedule_kpi_refresh(dt.date(2024, 2, 1))  # logged, not raised


def test_the_task_refreshes_and_answers_the_request(store: Store, tracked: Tracked) -> None:
    services.refresh_requested(dt.date(2024, 2, 1))
    summary = tasks.refresh_kpis.call(product_ids=[tracked.personas.atlas.pk])
    assert summary["products"] == 1
    assert summary["errors"] == {}
    assert KpiRefreshState.objects.filter(product=tracked.personas.atlas).exists()
    assert services.refresh_request_take() == (False, None)
