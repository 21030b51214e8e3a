"""Writes of the kpis module: refreshing the snapshots, and asking for a refresh.

Incremental by default. A product's refresh recomputes the days after its last refreshed day
plus the last TRAILING_DAYS before it (late events, clock skew), or from ``since`` when new
events were stored for older days. It recomputes the product's whole history (HISTORY_DAYS at
most) when asked (``full``), the first time, when the product's tracking or feature-usage
definitions changed (their fingerprint), and once every FULL_EVERY.

It also recomputes in full when the product's daily actor store (actor_store.py) is not ready:
an incremental refresh fetches only its own days from the engine and counts rolling windows over
the stored days before them.

Why the weekly full refresh: identity is retroactive (METRICS_SPEC §0). An identify today merges
an anonymous id's earlier days into its user, which can lower DAU/MAU of days long past; the
stored daily sets of older days keep the resolution they were fetched with until the next full
refresh rebuilds them.

Products with the same range and kind are computed together (usually one engine query for all
of them, see compute.py); then each product is written in one transaction (old rows of the range
deleted, new ones inserted). A failed query or write leaves the previous snapshots intact (and
makes that product's next refresh a full one), and one batch's or product's failure does not
stop the others.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.kpis import actor_store
from quarterdeck.kpis.compute import Scope, Value, compute, first_active_day
from quarterdeck.kpis.models import KpiRefreshRequest, KpiRefreshState, KpiSnapshot
from quarterdeck.lib.dates import workspace_today
from quarterdeck.lib.errors import NotAllowed
from quarterdeck.lib.progress import NoProgress, Progress
from quarterdeck.metrics.engine import Engine
from quarterdeck.metrics.engine import Product as ProductFilter
from quarterdeck.metrics.tracking import tracked_features, tracked_products
from quarterdeck.metrics.warehouse import event_engine
from quarterdeck.portfolio.models import Product
from quarterdeck.portfolio.selectors import access_product

log = logging.getLogger(__name__)

TRAILING_DAYS: Final = 3
HISTORY_DAYS: Final = 400
FULL_EVERY: Final = timedelta(days=7)
# Part of the fingerprint: bump it when the way a value is computed changes.
FORMULA: Final = "kpis-1"
STALE_REQUEST: Final = timedelta(hours=1)


@dataclass
class ProductRefresh:
    product_id: int
    product: str
    full: bool
    start: date
    end: date
    rows: int = 0
    seconds: float = 0.0
    error: str | None = None


@dataclass
class RefreshResult:
    products: list[ProductRefresh] = field(default_factory=list)
    forgotten: list[str] = field(default_factory=list)  # no longer tracked: snapshots removed

    @property
    def errors(self) -> list[ProductRefresh]:
        return [p for p in self.products if p.error is not None]

    def summary(self) -> dict[str, Any]:
        return {
            "products": len(self.products),
            "rows": sum(p.rows for p in self.products),
            "full": [p.product for p in self.products if p.full],
            "errors": {p.product: p.error for p in self.errors},
            "forgotten": self.forgotten,
        }


def fingerprint(scope: Scope, time_zone: str) -> str:
    """Of what the numbers depend on: product filter, feature definitions, zone, formulas.
    Names are left out (labels), so renaming a product or feature recomputes nothing."""
    content = {
        "formula": FORMULA,
        "zone": time_zone,
        "product": repr(replace(scope.product, name="")),
        "features": [[pk, repr(replace(m, label=None))] for pk, m in scope.features],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def store_root() -> Path:
    """The daily actor store (actor_store.py): derived data, rebuilt by a full refresh."""
    return Path(settings.DATA_DIR) / "kpis" / "daily"


def _scope(product: Product, product_filter: ProductFilter) -> Scope:
    features = tuple((f.pk, m) for f, m in tracked_features(product))
    return Scope(product.pk, product_filter, tuple(sorted(features)))


def _full_due(state: KpiRefreshState | None, wanted: str) -> bool:
    if state is None or state.last_day is None or state.fingerprint != wanted:
        return True
    return state.last_full_at is None or timezone.now() - state.last_full_at >= FULL_EVERY


def plan(
    state: KpiRefreshState | None, wanted: str, *, full: bool, today: date, since: date | None
) -> tuple[bool, date]:
    """(full?, first day to compute); the last day is always ``today``."""
    floor = today - timedelta(days=HISTORY_DAYS - 1)
    if full or _full_due(state, wanted):
        return True, floor
    assert state is not None
    assert state.last_day is not None
    start = min(state.last_day, today) - timedelta(days=TRAILING_DAYS - 1)
    if since is not None:
        start = min(start, since)
    return False, max(start, floor)


def _kept(values: list[Value], state: KpiRefreshState | None, full: bool) -> list[Value]:
    """Days before the product's first active day are left out (no rows of zeros)."""
    known = None if full or state is None else state.first_day
    found = first_active_day(values)
    first = min((d for d in (known, found) if d is not None), default=None)
    return [] if first is None else [v for v in values if v.day >= first]


def _store(product: Product, values: list[Value], run: ProductRefresh, wanted: str) -> None:
    now = timezone.now()
    rows = [
        KpiSnapshot(
            product=product,
            feature_id=v.feature_id,
            day=v.day,
            metric=v.metric,
            value=v.value,
            numerator=v.numerator,
            denominator=v.denominator,
            computed_at=now,
        )
        for v in values
    ]
    with transaction.atomic():
        state, _ = KpiRefreshState.objects.select_for_update().get_or_create(product=product)
        old = KpiSnapshot.objects.filter(product=product)
        if not run.full:
            old = old.filter(day__gte=run.start, day__lte=run.end)
        old.delete()
        KpiSnapshot.objects.bulk_create(rows, batch_size=2000)
        _update_state(state, values, run, wanted, now)


def _update_state(
    state: KpiRefreshState, values: list[Value], run: ProductRefresh, wanted: str, now: datetime
) -> None:
    first = min((v.day for v in values), default=None)
    if run.full or state.first_day is None or (first is not None and first < state.first_day):
        state.first_day = first
    state.last_day = max(run.end, state.last_day or run.end)
    state.fingerprint = wanted
    state.refreshed_at = now
    state.duration = run.seconds
    state.days_computed = (run.end - run.start).days + 1
    if run.full:
        state.last_full_at = now
        state.full_duration = run.seconds
    state.save()


@dataclass
class _Job:
    product: Product
    scope: Scope
    state: KpiRefreshState | None
    wanted: str
    run: ProductRefresh


def _job(
    product: Product, product_filter: ProductFilter, *, full: bool, today: date, since: date | None
) -> _Job:
    scope = _scope(product, product_filter)
    wanted = fingerprint(scope, settings.TIME_ZONE)
    state = KpiRefreshState.objects.filter(product=product).first()
    # Without a ready daily store (a failure, a new data dir) the 30 days before are missing.
    full = full or not actor_store.is_ready(store_root(), product.pk, wanted)
    is_full, start = plan(state, wanted, full=full, today=today, since=since)
    run = ProductRefresh(product.pk, product.name, is_full, start, today)
    return _Job(product, scope, state, wanted, run)


def _failed(job: _Job, exc: Exception) -> None:
    actor_store.forget(store_root(), [job.product.pk])
    log.error("KPI refresh of product %s (%s) failed: %s", job.product.pk, job.product.name, exc)
    job.run.error, job.run.rows = f"{type(exc).__name__}: {exc}", 0


def _run_batch(engine: Engine, jobs: list[_Job], progress: Progress) -> None:
    """Products with the same range and kind: computed together, then stored one by one."""
    began = time.monotonic()
    span, full = (jobs[0].run.start, jobs[0].run.end), jobs[0].run.full
    scopes = [j.scope for j in jobs]
    try:
        # The next incremental refresh starts TRAILING_DAYS - 1 days before this one's end.
        settled = span[1] - timedelta(days=TRAILING_DAYS)
        computed = compute(
            engine, scopes, span, settings.TIME_ZONE, store_root(), rebuild=full, settled=settled
        )
    except Exception as exc:  # an engine error: every product of the batch keeps its old rows
        log.exception("KPI refresh from %s to %s failed.", *span)
        for job in jobs:
            _failed(job, exc)
        progress.advance(len(jobs))
        return
    for job in jobs:
        values = _kept(computed[job.product.pk], job.state, job.run.full)
        job.run.rows, job.run.seconds = len(values), time.monotonic() - began
        try:
            _store(job.product, values, job.run, job.wanted)
            if full:
                actor_store.mark_ready(store_root(), job.product.pk, job.wanted)
        except Exception as exc:  # a database error: this product keeps its old rows, go on
            log.exception("Storing the KPIs of product %s failed.", job.product.pk)
            _failed(job, exc)
        progress.advance()


def _forget_untracked(products: list[Product], tracked: set[int]) -> list[str]:
    gone = [p for p in products if p.pk not in tracked]
    if not gone:
        return []
    states = KpiRefreshState.objects.filter(product__in=gone).select_related("product")
    names = [s.product.name for s in states]
    with transaction.atomic():
        KpiSnapshot.objects.filter(product__in=gone).delete()
        states.delete()
    actor_store.forget(store_root(), [p.pk for p in gone])
    actor_store.clear(store_root(), [p.pk for p in gone], None)
    return names


def kpis_refresh(
    *,
    products: Iterable[Product] | None = None,
    full: bool = False,
    today: date | None = None,
    since: date | None = None,
    progress: Progress | None = None,
) -> RefreshResult:
    """Refresh the KPI snapshots of ``products`` (default: every product) through ``today``
    (default: today in the workspace zone). Untracked products lose their old snapshots."""
    chosen = list(products) if products is not None else list(Product.objects.order_by("pk"))
    tracked = tracked_products(chosen)
    day = today or workspace_today()
    progress = progress or NoProgress()
    progress.start("KPIs", len(tracked))
    result = RefreshResult(forgotten=_forget_untracked(chosen, {p.pk for p, _ in tracked}))
    jobs = [_job(p, f, full=full, today=day, since=since) for p, f in tracked]
    engine = event_engine()
    for kind in sorted({(job.run.start, job.run.full) for job in jobs}):
        _run_batch(engine, [j for j in jobs if (j.run.start, j.run.full) == kind], progress)
    result.products = [job.run for job in jobs]
    return result


# Asking for a refresh -------------------------------------------------------------------------


def check_may_refresh(user: User) -> None:
    if not rules.changes_everything(user):
        raise NotAllowed("Only leaders and admins start a KPI refresh.")


def refresh_requested(since: date | None) -> bool:
    """Note that new events arrived (for days from ``since``); True when nobody has asked yet,
    i.e. the caller should schedule the refresh. A request unanswered for STALE_REQUEST (a lost
    task) is asked again."""
    now = timezone.now()
    with transaction.atomic():
        request, _ = KpiRefreshRequest.objects.select_for_update().get_or_create(pk=1)
        ask = not request.pending or now - request.requested_at > STALE_REQUEST
        if since is not None:
            request.since = min(since, request.since or since)
        request.pending = True
        if ask:
            request.requested_at = now
        request.save()
    return ask


def refresh_request_take() -> tuple[bool, date | None]:
    """(was a refresh asked for?, from which day): the request is answered from now on."""
    with transaction.atomic():
        request = KpiRefreshRequest.objects.select_for_update().filter(pk=1).first()
        if request is None or not request.pending:
            return False, None
        since = request.since
        request.pending, request.since = False, None
        request.save()
    return True, since


def kpis_refresh_start(*, actor: User, full: bool = False, product_id: int | None = None) -> str:
    """Queue a refresh (leaders and admins) of one product or all; the task's id."""
    from quarterdeck.kpis.tasks import refresh_kpis  # tasks import this module

    check_may_refresh(actor)
    ids = None if product_id is None else [access_product(actor, product_id).pk]
    return str(refresh_kpis.enqueue(full=full, product_ids=ids).id)
