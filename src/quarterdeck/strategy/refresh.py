"""The refresh: key results' values from their data (or check-ins), then progress, forecast and
status, then every outcome rolled up from its key results and child outcomes.

Only the computed fields are written (an ``update`` of those columns), so a refresh never
overwrites what people typed. A key result whose data cannot be read keeps its last good values
and says why in ``refresh_error``; the refresh itself never raises for one key result.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from quarterdeck.lib.dates import workspace_today
from quarterdeck.lib.errors import DomainError
from quarterdeck.strategy import bindings
from quarterdeck.strategy import progress as method
from quarterdeck.strategy.models import (
    KeyResult,
    KeyResultCheckIn,
    KeyResultPoint,
    Outcome,
    Source,
)

log = logging.getLogger(__name__)

# Outcomes that ended less than this long ago are still refreshed: late data (a month's churn,
# imported answers) settles their final numbers.
GRACE_DAYS: Final = 14
KR_COMPUTED: Final = [
    "current",
    "progress",
    "forecast",
    "forecast_progress",
    "status",
    "refreshed_at",
    "refresh_error",
]

Points = list[tuple[date, float]]


@dataclass
class RefreshReport:
    key_results: int = 0
    failed: int = 0
    outcomes: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "key_results": self.key_results,
            "failed": self.failed,
            "outcomes": self.outcomes,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
        }


def manual_points(kr: KeyResult, *, today: date) -> Points:
    """A manual key result's values: per day, the last check-in with a value (up to the end)."""
    last = min(today, kr.end)
    rows = KeyResultCheckIn.objects.filter(key_result=kr, value__isnull=False, day__lte=last)
    found: dict[date, float] = {}
    for day, value in rows.order_by("day", "at", "id").values_list("day", "value"):
        if value is not None:
            found[day] = float(value)
    return sorted(found.items())


def _points(kr: KeyResult, today: date) -> Points:
    if kr.source == Source.MANUAL:
        return manual_points(kr, today=today)
    return bindings.evaluate(kr, today=today)


def _compute(kr: KeyResult, points: Points, today: date) -> None:
    """Set the computed fields of ``kr`` from its points (progress.py's method)."""
    kr.current = points[-1][1] if points else None
    kr.progress = method.progress(kr.current, kr.baseline, kr.target)
    found = method.forecast(points, end=kr.end, today=today, start=kr.start, baseline=kr.baseline)
    kr.forecast = None if found is None else found.value
    kr.forecast_progress = method.progress(kr.forecast, kr.baseline, kr.target)
    kr.status = method.status_of(kr.progress, kr.forecast_progress, ended=today > kr.end)


def refresh_key_result(kr: KeyResult, *, today: date | None = None) -> str:
    """Recompute one key result: its points (replaced in one transaction) and computed fields.
    Returns the error ("" when it worked); the last good values stay on an error."""
    day = today or workspace_today()
    try:
        points = _points(kr, day)
    except DomainError as exc:
        return _failed(kr, exc.message)
    except Exception as exc:  # the warehouse or a file store being down is not a bug here
        log.exception("Could not evaluate key result %s.", kr.pk)
        return _failed(kr, f"Could not read the data: {exc}")
    _compute(kr, points, day)
    kr.refreshed_at = timezone.now()
    kr.refresh_error = ""
    with transaction.atomic():
        computed = {name: getattr(kr, name) for name in KR_COMPUTED}
        if not KeyResult.objects.filter(pk=kr.pk).update(**computed):
            return "The key result was deleted during the refresh."
        KeyResultPoint.objects.filter(key_result=kr).delete()
        KeyResultPoint.objects.bulk_create(
            KeyResultPoint(key_result=kr, day=d, value=v) for d, v in points
        )
    return ""


def _failed(kr: KeyResult, message: str) -> str:
    kr.refresh_error = message[:2000]
    KeyResult.objects.filter(pk=kr.pk).update(refresh_error=kr.refresh_error)
    return kr.refresh_error


def _chosen(
    today: date, key_result_ids: Iterable[int] | None, sources: Iterable[str] | None
) -> list[KeyResult]:
    rows = KeyResult.objects.select_related("outcome")
    if key_result_ids is not None:
        rows = rows.filter(pk__in=list(key_result_ids))
    else:
        since = today - timedelta(days=GRACE_DAYS)
        rows = rows.filter(outcome__start__lte=today, outcome__end__gte=since)
    if sources is not None:
        rows = rows.filter(source__in=list(sources))
    return list(rows.order_by("pk"))


def refresh_outcomes(
    *,
    today: date | None = None,
    key_result_ids: Iterable[int] | None = None,
    sources: Iterable[str] | None = None,
) -> RefreshReport:
    """Refresh the given key results (default: those of outcomes running today or ended less
    than GRACE_DAYS ago; ``sources`` narrows them), then roll every outcome up bottom-up."""
    began = time.monotonic()
    day = today or workspace_today()
    report = RefreshReport()
    for kr in _chosen(day, key_result_ids, sources):
        error = refresh_key_result(kr, today=day)
        report.key_results += 1
        if error:
            report.failed += 1
            report.errors.append(f"Key result {kr.pk} “{kr.title}”: {error}")
    report.outcomes = rollup_outcomes(today=day)
    report.seconds = time.monotonic() - began
    return report


# Roll-up ---------------------------------------------------------------------------------------

Rolled = tuple[float | None, float | None]


def rollup_outcomes(*, today: date | None = None) -> int:
    """Progress, forecast progress and status of every outcome from its key results and its
    children (weighted, clamped: progress.rollup); returns how many were rolled up."""
    day = today or workspace_today()
    outcomes = {o.pk: o for o in Outcome.objects.all()}
    children: dict[int, list[Outcome]] = {}
    for outcome in outcomes.values():
        if outcome.parent_id is not None:
            children.setdefault(outcome.parent_id, []).append(outcome)
    krs: dict[int, list[tuple[float, float | None, float | None]]] = {}
    for row in KeyResult.objects.values_list(
        "outcome_id", "weight", "progress", "forecast_progress"
    ):
        krs.setdefault(row[0], []).append((row[1], row[2], row[3]))
    rolled: dict[int, Rolled] = {}
    for pk in outcomes:
        _roll(pk, outcomes, children, krs, rolled, set())
    return _write_outcomes(outcomes, rolled, day)


def _roll(
    pk: int,
    outcomes: dict[int, Outcome],
    children: dict[int, list[Outcome]],
    krs: dict[int, list[tuple[float, float | None, float | None]]],
    rolled: dict[int, Rolled],
    path: set[int],
) -> Rolled:
    if pk in rolled:
        return rolled[pk]
    path = path | {pk}
    items = list(krs.get(pk, []))
    for child in children.get(pk, []):
        if child.pk in path:  # a cycle in the tree (bad data): never loop
            continue
        items.append((child.weight, *_roll(child.pk, outcomes, children, krs, rolled, path)))
    rolled[pk] = method.rollup(items)
    return rolled[pk]


def _write_outcomes(outcomes: dict[int, Outcome], rolled: dict[int, Rolled], day: date) -> int:
    now = timezone.now()
    for pk, (done, expected) in rolled.items():
        outcome = outcomes[pk]
        status = method.status_of(done, expected, ended=day > outcome.end)
        # update(), not save(): an outcome deleted meanwhile is simply not there any more.
        Outcome.objects.filter(pk=pk).update(
            progress=done, forecast_progress=expected, status=status, refreshed_at=now
        )
    return len(rolled)
