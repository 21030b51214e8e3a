"""Reads of the KPI snapshots, through the portfolio doors: whoever may read a product (or
feature) may read its KPIs. ``user=None`` is the operator at the command line, who reads all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from django.db.models import QuerySet

from quarterdeck.accounts.models import User
from quarterdeck.kpis.models import (
    FEATURE_METRICS,
    PRODUCT_METRICS,
    KpiRefreshState,
    KpiSnapshot,
    Metric,
)
from quarterdeck.lib.dates import workspace_today
from quarterdeck.lib.errors import InvalidInput, NotFound
from quarterdeck.portfolio.models import Feature, Product
from quarterdeck.portfolio.selectors import access_feature, access_product, list_products

MAX_SERIES_DAYS: Final = 400
DEFAULT_SERIES_DAYS: Final = 90
COMPARED: Final = {"week_ago": 7, "four_weeks_ago": 28}


@dataclass(frozen=True)
class KpiPoint:
    day: date
    value: float
    numerator: int | None
    denominator: int | None


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", fields={field: [message]})


def _product(user: User | None, product_id: int) -> Product:
    if user is not None:
        return access_product(user, product_id)
    found = Product.objects.filter(pk=product_id).first()
    if found is None:
        raise NotFound(f"There is no product with id {product_id}.")
    return found


def _feature(user: User | None, feature_id: int) -> Feature:
    if user is not None:
        return access_feature(user, feature_id)
    found = Feature.objects.filter(pk=feature_id).first()
    if found is None:
        raise NotFound(f"There is no feature with id {feature_id}.")
    return found


def check_metric(metric: str, *, feature: bool) -> Metric:
    if metric not in Metric.values:
        raise _invalid(
            "metric", f"unknown metric {metric!r}; use one of {', '.join(Metric.values)}."
        )
    chosen = Metric(metric)
    if feature and chosen not in FEATURE_METRICS:
        names = ", ".join(FEATURE_METRICS)
        raise _invalid("metric", f"{metric!r} is a product metric; for a feature use {names}.")
    if not feature and chosen not in PRODUCT_METRICS:
        raise _invalid("feature", f"{metric!r} is a feature metric: name the feature.")
    return chosen


def _range(product: Product, start: date | None, end: date | None) -> tuple[date, date]:
    if end is None:
        state = KpiRefreshState.objects.filter(product=product).first()
        end = state.last_day if state and state.last_day else workspace_today()
    start = start or end - timedelta(days=DEFAULT_SERIES_DAYS - 1)
    if start > end:
        raise _invalid("from", f"{start} is after to ({end}).")
    if (end - start).days >= MAX_SERIES_DAYS:
        raise _invalid("to", f"at most {MAX_SERIES_DAYS} days at a time.")
    return start, end


def kpi_series(
    user: User | None,
    product_id: int,
    metric: str,
    *,
    feature_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[KpiPoint]:
    """One metric's daily snapshots, oldest first (default: the 90 days up to the last
    refreshed day). Days without a snapshot (not refreshed yet) are absent."""
    product = _product(user, product_id)
    rows = KpiSnapshot.objects.filter(product=product, feature=None)
    if feature_id is not None:
        feature = _feature(user, feature_id)
        if feature.product_id != product.pk:
            raise _invalid("feature", f"“{feature.name}” is not a feature of “{product.name}”.")
        rows = KpiSnapshot.objects.filter(feature=feature)
    chosen = check_metric(metric, feature=feature_id is not None)
    first, last = _range(product, start, end)
    found = rows.filter(metric=chosen, day__gte=first, day__lte=last).order_by("day")
    return [
        KpiPoint(r.day, r.value, r.numerator, r.denominator)
        for r in found.only("day", "value", "numerator", "denominator")
    ]


@dataclass(frozen=True)
class KpiCard:
    metric: str
    label: str
    value: float | None
    week_ago: float | None
    four_weeks_ago: float | None

    @property
    def change_week(self) -> float | None:
        return _change(self.value, self.week_ago)

    @property
    def change_four_weeks(self) -> float | None:
        return _change(self.value, self.four_weeks_ago)


def _change(now: float | None, before: float | None) -> float | None:
    """Relative change (0.1 = +10 %); None without both values or from zero."""
    if now is None or before is None or before == 0:
        return None
    return (now - before) / before


@dataclass(frozen=True)
class LatestKpis:
    product: Product
    day: date | None  # the last refreshed day: "today" of the cards
    cards: list[KpiCard]
    state: KpiRefreshState | None


def _cards(product: Product, day: date) -> list[KpiCard]:
    days = [day, *(day - timedelta(days=n) for n in COMPARED.values())]
    rows = KpiSnapshot.objects.filter(
        product=product, feature=None, metric__in=PRODUCT_METRICS, day__in=days
    )
    found = {(r.metric, r.day): r.value for r in rows}
    return [
        KpiCard(
            metric.value,
            str(metric.label),
            *(found.get((metric.value, d)) for d in days),
        )
        for metric in PRODUCT_METRICS
    ]


def latest_kpis(user: User | None, product_id: int) -> LatestKpis:
    """The product's KPIs on its last complete refreshed day, 7 and 28 days before, and the
    change. Today is left out: a partial day would look like a drop every morning."""
    product = _product(user, product_id)
    state = KpiRefreshState.objects.filter(product=product).first()
    yesterday = workspace_today() - timedelta(days=1)
    day = min(state.last_day, yesterday) if state and state.last_day else None
    cards = _cards(product, day) if day else []
    return LatestKpis(product, day, cards, state)


def list_kpi_states(user: User) -> QuerySet[KpiRefreshState]:
    """Refresh states of the products the user may read, with their products."""
    readable = list_products(user)
    return KpiRefreshState.objects.filter(product__in=readable).select_related("product")


def feature_named(product_id: int, name: str) -> int:
    """For the operator: a product's feature by name."""
    found = Feature.objects.filter(product_id=product_id, name__iexact=name.strip()).first()
    if found is None:
        raise NotFound(f"The product has no feature named {name!r}.")
    return found.pk


@dataclass(frozen=True)
class KpiOverviewRow:
    product: Product
    state: KpiRefreshState
    cards: dict[str, KpiCard]


def kpi_overview(user: User) -> list[KpiOverviewRow]:
    """Every refreshed product the user may read, with its latest KPIs (the /kpis/ page)."""
    rows = []
    for state in list_kpi_states(user).order_by("product__name"):
        latest = latest_kpis(user, state.product_id)
        cards = {card.metric: card for card in latest.cards}
        rows.append(KpiOverviewRow(state.product, state, cards))
    return rows
