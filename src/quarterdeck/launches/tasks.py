"""Background work of the post-launch checks: once a day, compute the checks that fell due and
re-check those that lacked snapshots.

``check_launches_daily`` queues its own next run first (like strategy's daily refresh), so one
failure never stops the rhythm; ``schedule_daily_checks`` starts the rhythm (after a launch's
metrics are bound) when the worker's database queue is in use and no run is waiting.
"""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import task

log = logging.getLogger(__name__)


@task()
def check_launches_daily() -> dict[str, Any]:
    from quarterdeck.launches.checks import checks_run

    schedule_daily_checks()
    return {"computed": checks_run()}


def schedule_daily_checks() -> None:
    """Queue the next daily run (workspace time, with strategy's hour) unless one waits.
    Never raises: the CLI (`quarterdeck launches checks run`) catches up on anything missed."""
    from django.utils import timezone

    from quarterdeck.strategy.tasks import next_daily_run

    try:
        if not check_launches_daily.get_backend().supports_defer or _waiting():
            return
        check_launches_daily.using(run_after=next_daily_run(timezone.now())).enqueue()
    except Exception:
        log.exception("Could not queue the daily post-launch checks.")


def _waiting() -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=check_launches_daily.module_path, status="READY"
    )
    return waiting.exists()
