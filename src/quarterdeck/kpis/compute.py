"""The KPI values of a batch of products for a range of days (pure: no permission checks, no
database).

Two steps. The engine gives each day's distinct actors per product and per feature
(``DailyActors``: identity resolved as by every metric) for the days being refreshed, which go
to the daily actor store (actor_store.py); then DAU/WAU/MAU, the features' day and 30-day users
and adoption are counted with a local DuckDB over the store's 30 days per day — never over the
events. So a new day costs the engine one day of activity (plus the identity rows), not 30.

A batch usually costs one engine query, whatever the number of products and features (broken
down by feature, each product's other events in a bucket of its own). A breakdown gives an
event to the first listed bucket that matches it. Products whose events could overlap (a source
feeding two products) and features that could match the same event (same event name, or none)
therefore go into separate queries: each bucket's actors are then exactly those of its own
definition (``filters=`` the product's conditions, ``active_on=`` the feature), which the tests
check against the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from quarterdeck.kpis import actor_store
from quarterdeck.kpis.models import Metric
from quarterdeck.metrics.engine import Breakdown, DailyActors, Engine, EventMatcher
from quarterdeck.metrics.engine import Product as ProductFilter
from quarterdeck.metrics.engine.results import ratio


@dataclass(frozen=True)
class Scope:
    """One product to compute: its engine filter and its tracked features by id."""

    product_id: int
    product: ProductFilter
    features: tuple[tuple[int, EventMatcher], ...] = ()


@dataclass(frozen=True)
class Value:
    feature_id: int | None
    day: date
    metric: str
    value: float
    numerator: int | None = None
    denominator: int | None = None


def groups[T](items: Iterable[T], may_overlap: Callable[[T, T], bool]) -> list[list[T]]:
    """Items split into groups whose members never overlap (first fit, order kept)."""
    found: list[list[T]] = []
    for item in items:
        group = next((g for g in found if not any(may_overlap(item, o) for o in g)), None)
        if group is None:
            found.append([item])
        else:
            group.append(item)
    return found


def source_set(product: ProductFilter) -> frozenset[str] | None:
    """The source ids the product's events must come from; None when not limited to sources."""
    sets = [frozenset(product.source_ids)] if product.source_ids else []
    for c in product.where:
        if c.on == "column" and c.key == "source_id" and c.op in ("eq", "in"):
            sets.append(frozenset(c.value if isinstance(c.value, tuple) else (str(c.value),)))
    return frozenset.intersection(*sets) if sets else None


def products_may_overlap(a: Scope, b: Scope) -> bool:
    if a.product_id == b.product_id:
        return True
    sources_a, sources_b = source_set(a.product), source_set(b.product)
    return sources_a is None or sources_b is None or bool(sources_a & sources_b)


def may_overlap(a: EventMatcher, b: EventMatcher) -> bool:
    """Whether one event could match both (conservative: no event name may match anything)."""
    if a.event is None or b.event is None:
        return True
    if a.row_type is not None and b.row_type is not None and a.row_type != b.row_type:
        return False
    return a.event == b.event


Feature = tuple[Scope, int, EventMatcher]


def features_may_overlap(a: Feature, b: Feature) -> bool:
    return products_may_overlap(a[0], b[0]) and may_overlap(a[2], b[2])


def _scoped(feature: Feature) -> EventMatcher:
    """The feature's matcher within its product, labelled by id (names are for people, and a
    feature named "(none)" must not collide with the engine's bucket of the same name)."""
    scope, pk, matcher = feature
    where = (*scope.product.conditions, *matcher.where)
    return replace(matcher, where=where, label=f"feature:{pk}")


def _query(
    products: list[Scope], features: list[Feature], span: tuple[date, date], time_zone: str
) -> tuple[DailyActors, dict[str, list[actor_store.Bucket]]]:
    """One engine query for a group of products and a group of features, and where each bucket
    goes in the store. Features come first in the breakdown, then each product as a catch-all:
    an event of a product lands in one of its features' buckets or in its own, so the product's
    actors are the union of those buckets (the store keeps each actor-day once)."""
    here = {s.product_id for s in products}
    matchers = [_scoped(f) for f in features] + [
        EventMatcher(where=s.product.conditions, label=f"product:{s.product_id}") for s in products
    ]
    buckets: dict[str, list[actor_store.Bucket]] = {
        f"product:{s.product_id}": [(s.product_id, None)] for s in products
    }
    for scope, pk, _ in features:
        owner = [(scope.product_id, None)] if scope.product_id in here else []
        buckets[f"feature:{pk}"] = [(scope.product_id, pk), *owner]
    definition = DailyActors(
        start=span[0],
        end=span[1],
        time_zone=time_zone,
        active_on=tuple(matchers),
        breakdown=Breakdown.by_features(*matchers),
    )
    return definition, buckets


def fill_store(
    engine: Engine, scopes: Sequence[Scope], days: tuple[date, date], time_zone: str, root: Path
) -> None:
    """Fetch the daily actor sets of ``days`` into the store: the n-th group of products that
    cannot overlap with the n-th group of features that cannot, in one engine query each (most
    batches: one query in all)."""
    products = groups(scopes, products_may_overlap)
    features = groups([(s, pk, m) for s in scopes for pk, m in s.features], features_may_overlap)
    for n in range(max(len(products), len(features))):
        with_products = products[n] if n < len(products) else []
        with_features = features[n] if n < len(features) else []
        definition, buckets = _query(with_products, with_features, days, time_zone)
        actor_store.fetch(engine, definition, buckets, root)


def _days(span: tuple[date, date]) -> list[date]:
    return [date.fromordinal(n) for n in range(span[0].toordinal(), span[1].toordinal() + 1)]


def _product_values(counts: actor_store.Counts, scope: Scope, days: list[date]) -> list[Value]:
    found = counts.get((scope.product_id, None), {})
    values = []
    for day in days:
        dau, wau, mau = found.get(day, (0, 0, 0))
        values += [
            Value(None, day, Metric.DAU, float(dau)),
            Value(None, day, Metric.WAU, float(wau)),
            Value(None, day, Metric.MAU, float(mau)),
            Value(None, day, Metric.STICKINESS, ratio(dau, mau), dau, mau),
        ]
    return values


def _feature_values(
    counts: actor_store.Counts, scope: Scope, feature_id: int, days: list[date]
) -> list[Value]:
    found = counts.get((scope.product_id, feature_id), {})
    product = counts.get((scope.product_id, None), {})
    values = []
    for day in days:
        used, _, used_30d = found.get(day, (0, 0, 0))
        total = product.get(day, (0, 0, 0))[2]
        values += [
            Value(feature_id, day, Metric.FEATURE_USERS, float(used)),
            Value(feature_id, day, Metric.FEATURE_USERS_30D, float(used_30d)),
            Value(
                feature_id,
                day,
                Metric.FEATURE_ADOPTION_30D,
                ratio(used_30d, total),
                used_30d,
                total,
            ),
        ]
    return values


def values_from_store(
    scopes: Sequence[Scope], span: tuple[date, date], root: Path
) -> dict[int, list[Value]]:
    """Every value of the products in ``scopes`` for the days of ``span``, counted locally over
    the daily actor store (which must hold the 29 days before ``span`` too)."""
    counts = actor_store.counts(root, [s.product_id for s in scopes], span)
    days = _days(span)
    return {
        s.product_id: _product_values(counts, s, days)
        + [v for pk, _ in s.features for v in _feature_values(counts, s, pk, days)]
        for s in scopes
    }


def compute(
    engine: Engine,
    scopes: Sequence[Scope],
    span: tuple[date, date],
    time_zone: str,
    root: Path,
    *,
    rebuild: bool,
    settled: date | None = None,
) -> dict[int, list[Value]]:
    """Every value of the products in ``scopes`` for the days of ``span``: the store's days of
    ``span`` are fetched anew (``rebuild``: the products' whole store, from 29 days before the
    span), then counted locally. ``settled``: the last day no later incremental refresh will
    fetch again — the latest-day summary moves there (default: the day before the span)."""
    pks = [s.product_id for s in scopes]
    fetched = (span[0] - timedelta(days=actor_store.WINDOW - 1), span[1]) if rebuild else span
    actor_store.clear(root, pks, None if rebuild else span)
    fill_store(engine, scopes, fetched, time_zone, root)
    values = values_from_store(scopes, span, root)
    # Settled days are read by the next refresh as one summary row per actor.
    actor_store.checkpoint(root, pks, settled or span[0] - timedelta(days=1))
    return values


def first_active_day(values: Sequence[Value]) -> date | None:
    """The first day the product had any active user in its 30-day window."""
    days = [v.day for v in values if v.metric == Metric.MAU and v.value > 0]
    return min(days) if days else None
