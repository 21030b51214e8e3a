"""Background work of the surveys module: answers from new events, after each compaction."""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import task

from quarterdeck.surveys.events import surveys_sync_events

log = logging.getLogger(__name__)


@task()
def sync_survey_events() -> dict[str, Any]:
    return surveys_sync_events().summary()


def schedule_survey_sync() -> None:
    """Ask the worker to read survey answers from the events just stored. Called at the end of
    a compaction: never fails it (the next compaction asks again)."""
    try:
        from quarterdeck.surveys.models import Survey

        if Survey.objects.exclude(event_name="").exists():
            sync_survey_events.enqueue()
    except Exception:
        log.exception("Could not schedule the survey answers' sync from events.")
