"""Background work of the analytics module: computing every tracked product's default charts
ahead of the first visit, so that an analytics page answers from the cache.

A cold product page costs a few seconds to tens of seconds of DuckDB work on millions of events
(measured: RouteIQ's five charts, 16 s over the 4.2-million-event demo); the KPI refresh that
follows new events (kpis.tasks) ends by scheduling this warm-up for the same events.
"""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import task

from quarterdeck.analytics.selectors import overview_queries
from quarterdeck.analytics.services import insight_run
from quarterdeck.lib.errors import DomainError
from quarterdeck.metrics.tracking import tracked_products
from quarterdeck.portfolio.models import Product

log = logging.getLogger(__name__)


def overviews_warm() -> dict[str, Any]:
    """Compute (into the results cache) the default charts of every tracked product."""
    charts = failed = 0
    for product, _ in tracked_products(Product.objects.order_by("name")):
        for title, query in overview_queries(product):
            try:
                insight_run(None, query)
                charts += 1
            except DomainError as exc:  # e.g. a warehouse that is down: the page will say so
                failed += 1
                log.warning("Could not compute %s of %s: %s", title, product.name, exc)
    return {"charts": charts, "failed": failed}


@task()
def warm_overviews() -> dict[str, Any]:
    return overviews_warm()


def schedule_warm_overviews() -> None:
    """Queue the warm-up; never fails the caller (the pages compute on demand anyway)."""
    try:
        if warm_overviews.get_backend().supports_defer:
            warm_overviews.enqueue()
    except Exception:
        log.exception("Could not schedule the analytics warm-up.")
