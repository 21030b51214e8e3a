"""Background work of the kpis module: refreshing the KPI snapshots.

Scheduled by `schedule_kpi_refresh` after a compaction stored events (metrics.tasks) and after
the demo events are generated; started by hand from the API (`POST /api/v1/kpis/refresh`) and the
CLI (`quarterdeck kpis refresh`, which runs it in the foreground).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Final

from django.tasks import task
from django.utils import timezone

from quarterdeck.kpis import services
from quarterdeck.portfolio.models import Product

log = logging.getLogger(__name__)

# Events arrive in compactions about a minute apart while they flow; one refresh a few minutes
# later covers a burst of them.
REFRESH_DELAY: Final = dt.timedelta(minutes=5)


@task()
def refresh_kpis(full: bool = False, product_ids: list[int] | None = None) -> dict[str, Any]:
    """Refresh the snapshots (of ``product_ids``, default all); a pending request from new
    events is answered too, from the earliest day it names."""
    _, since = services.refresh_request_take()
    products = None if product_ids is None else Product.objects.filter(pk__in=product_ids)
    summary = services.kpis_refresh(products=products, full=full, since=since).summary()
    # Same new events, same worker: the analytics pages' charts next (imported here: the
    # analytics app builds on the kpis app, not the other way round).
    from quarterdeck.analytics.tasks import schedule_warm_overviews

    schedule_warm_overviews()
    from quarterdeck.strategy.tasks import schedule_refresh

    schedule_refresh(sources=["analytics"])  # key results bound to analytics follow the KPIs
    return summary


def schedule_kpi_refresh(
    since: dt.date | None = None, *, delay: dt.timedelta = REFRESH_DELAY
) -> None:
    """Ask the worker to refresh the KPIs soon (new events were stored, from day ``since`` on).
    Never fails the caller: the refresh is only later, not lost — the next one covers it."""
    try:
        if not refresh_kpis.get_backend().supports_defer:
            return  # the immediate backend of the tests: they refresh explicitly
        if services.refresh_requested(since):
            refresh_kpis.using(run_after=timezone.now() + delay).enqueue()
    except Exception:
        log.exception("Could not schedule a refresh of the KPI snapshots.")
