"""Background work of the strategy module: refreshing key results and outcomes.

Scheduled (``schedule_refresh``) after new data arrives — the KPI refresh (analytics), stored
survey answers, created or imported subscriptions — and after a key result is created, changed
or checked in on; and once a day (``refresh_strategy_daily`` puts its next run on the queue), so
forecasts and statuses move with the calendar even when no data arrives.

This module imports nothing heavy at load time: the apps that hook into it import it freely.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from typing import Any, Final
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.tasks import task

log = logging.getLogger(__name__)
_pending = threading.local()  # what this thread's open transaction asked to refresh

DAILY_AT: Final = dt.time(3, 0)  # workspace time: after the night's compactions and KPIs


@task()
def refresh_strategy(
    key_result_ids: list[int] | None = None, sources: list[str] | None = None
) -> dict[str, Any]:
    """Refresh the key results (``key_result_ids``, or those of running outcomes, narrowed to
    ``sources``), then roll every outcome up."""
    from quarterdeck.strategy.refresh import refresh_outcomes

    return refresh_outcomes(key_result_ids=key_result_ids, sources=sources).summary()


@task()
def refresh_strategy_daily() -> dict[str, Any]:
    """The daily refresh of every running outcome; queues the next one first, so a failure
    here never stops the daily rhythm."""
    from quarterdeck.strategy.refresh import refresh_outcomes

    _queue_daily()  # this run is RUNNING now, not waiting: the next one is queued
    return refresh_outcomes().summary()


def schedule_refresh(
    *, key_result_ids: Iterable[int] | None = None, sources: Iterable[str] | None = None
) -> None:
    """Refresh after the current transaction commits (at once when there is none). Safe to call
    anywhere: never raises (the daily refresh catches up on anything missed). Requests within
    one transaction (an import of a thousand subscriptions) become one refresh."""
    try:
        flushed = getattr(_pending, "wanted", None) is None
        _pending_add(key_result_ids, sources)
        queued = transaction.get_connection().run_on_commit
        if flushed or not any(entry[1] is _flush for entry in queued):
            transaction.on_commit(_flush)
    except Exception:
        log.exception("Could not schedule a refresh of key results.")


def _pending_add(ids: Iterable[int] | None, sources: Iterable[str] | None) -> None:
    """Merge a request into this thread's pending one: everything, or some ids and sources."""
    wanted: dict[str, Any] = getattr(_pending, "wanted", None) or {
        "all": False,
        "ids": set(),
        "sources": set(),
    }
    if ids is None and sources is None:
        wanted["all"] = True
    wanted["ids"] |= {int(pk) for pk in ids or ()}
    wanted["sources"] |= {str(s) for s in sources or ()}
    _pending.wanted = wanted


def _flush() -> None:
    wanted = getattr(_pending, "wanted", None)
    _pending.wanted = None
    if not wanted:
        return
    try:
        if wanted["all"]:
            refresh_strategy.enqueue()
        else:
            if wanted["ids"]:
                refresh_strategy.enqueue(key_result_ids=sorted(wanted["ids"]))
            if wanted["sources"]:
                refresh_strategy.enqueue(sources=sorted(wanted["sources"]))
        _queue_daily()
    except Exception:
        log.exception("Could not queue a refresh of key results.")


def next_daily_run(now: dt.datetime) -> dt.datetime:
    """The next DAILY_AT in the workspace zone after ``now``."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    run = dt.datetime.combine(local.date(), DAILY_AT, zone)
    return (
        run
        if run > local
        else dt.datetime.combine(local.date() + dt.timedelta(days=1), DAILY_AT, zone)
    )


def _queue_daily() -> None:
    """Put the next daily refresh on the queue unless one is waiting already (only where the
    backend runs tasks later: the database queue of the worker)."""
    from django.utils import timezone

    backend = refresh_strategy_daily.get_backend()
    if not backend.supports_defer:
        return
    if _daily_waiting():
        return
    refresh_strategy_daily.using(run_after=next_daily_run(timezone.now())).enqueue()


def _daily_waiting() -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=refresh_strategy_daily.module_path, status="READY"
    )
    return waiting.exists()
