"""Synthetic KPI snapshots around a launch, for the post-launch check tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from quarterdeck.kpis.models import KpiSnapshot
from quarterdeck.launches.models import LaunchPlan, LaunchStatus
from quarterdeck.portfolio.models import Feature, Product

LAUNCH = dt.date(2026, 3, 2)  # a Monday
FIRST = LAUNCH - dt.timedelta(days=40)
LAST = LAUNCH + dt.timedelta(days=100)


def day(offset: int) -> dt.date:
    return LAUNCH + dt.timedelta(days=offset)


def plan_for(feature: Feature, *, launched: bool = True) -> LaunchPlan:
    return LaunchPlan.objects.create(
        feature=feature,
        product=feature.product,
        name=f"{feature.name} launch",
        launch_on=LAUNCH,
        launched_on=LAUNCH if launched else None,
        status=LaunchStatus.LAUNCHED if launched else LaunchStatus.PLANNED,
    )


def jitter(when: dt.date) -> int:
    return when.toordinal() * 7919 % 11 - 5  # deterministic noise in -5..5


def daily_counts(
    product: Product, metric: str, before: float, after: float, feature: Feature | None = None
) -> None:
    """Weekdays at the level, weekends at half; ``after`` from launch day on."""

    def value(when: dt.date) -> float:
        level = before if when < LAUNCH else after
        return max(0.0, level * (1.0 if when.weekday() < 5 else 0.5) + jitter(when))

    _fill(product, feature, metric, value)


def level(
    product: Product, metric: str, before: float, after: float, feature: Feature | None = None
) -> None:
    """A rolling count: flat before and after launch."""
    _fill(product, feature, metric, lambda when: before if when < LAUNCH else after)


def ratio(
    product: Product,
    metric: str,
    before: tuple[int, int],
    after: tuple[int, int],
    feature: Feature | None = None,
) -> None:
    rows = []
    for offset in range((LAST - FIRST).days + 1):
        when = FIRST + dt.timedelta(days=offset)
        num, den = before if when < LAUNCH else after
        snapshot = KpiSnapshot(product=product, feature=feature, metric=metric, day=when)
        snapshot.value, snapshot.numerator, snapshot.denominator = num / den, num, den
        rows.append(snapshot)
    KpiSnapshot.objects.bulk_create(rows)


def _fill(
    product: Product, feature: Feature | None, metric: str, value: Callable[[dt.date], float]
) -> None:
    rows = []
    for offset in range((LAST - FIRST).days + 1):
        when = FIRST + dt.timedelta(days=offset)
        rows.append(
            KpiSnapshot(
                product=product, feature=feature, metric=metric, day=when, value=value(when)
            )
        )
    KpiSnapshot.objects.bulk_create(rows)
