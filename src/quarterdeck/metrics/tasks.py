"""Background work of the metrics app: compacting received events into Parquet.

A web process schedules a compaction when it starts a new spool file (so while events flow one
is always due within INGEST_COMPACT_SECONDS); the worker runs it. `quarterdeck events compact`
does the same by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from quarterdeck.metrics import services

log = logging.getLogger(__name__)


@task()
def compact_events() -> dict[str, Any]:
    try:
        result = services.events_compact(wait=False)
    except Exception:
        schedule_compaction()  # the spool files stay; try again later
        raise
    if result is None:
        schedule_compaction()  # the running one may have started before our events came in
        return {"skipped": "another compaction is running"}
    if result.stored:
        _schedule_kpi_refresh(result.days)
        _schedule_survey_sync()
    return {"stored": result.stored, "duplicates": result.duplicates, "days": len(result.days)}


def _schedule_kpi_refresh(days: set[str]) -> None:
    """New events change the KPI snapshots from their earliest (UTC) day on; a day earlier
    covers workspace zones behind UTC. Never fails the compaction, which already succeeded."""
    try:
        from quarterdeck.kpis.tasks import schedule_kpi_refresh

        earliest = min(dt.date.fromisoformat(day) for day in days) if days else None
        schedule_kpi_refresh(earliest - dt.timedelta(days=1) if earliest else None)
    except Exception:
        log.exception("Could not schedule a refresh of the KPI snapshots.")


def _schedule_survey_sync() -> None:
    """New events may carry survey answers (surveys app). Never fails the compaction."""
    try:
        from quarterdeck.surveys.tasks import schedule_survey_sync

        schedule_survey_sync()
    except Exception:
        log.exception("Could not schedule the survey answers' sync.")


def schedule_compaction() -> None:
    """Ask the worker to compact soon. Never fails the request that triggered it: the events
    are already safe in the spool, and the next new spool file schedules again."""
    try:
        if not compact_events.get_backend().supports_defer:
            return  # e.g. the immediate backend of the tests: they compact explicitly
        delay = dt.timedelta(seconds=settings.INGEST_COMPACT_SECONDS)
        compact_events.using(run_after=timezone.now() + delay).enqueue()
    except Exception:
        log.exception("Could not schedule the compaction of received events.")
