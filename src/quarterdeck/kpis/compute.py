"""The KPI values of a batch of products for a range of days, from the metric engine (pure: no
permission checks, no database).

A batch costs two engine queries, whatever the number of products and features: one for the
products' active users broken down by product, one for the features' users broken down by
feature (DAU, WAU and MAU of one definition share one SQL text, so ``run_many`` sends it
once). Every query reads the identity rows of the whole history, so fewer queries is what
makes a refresh cheap.

A breakdown gives an event to the first listed bucket that matches it. Products whose events
could overlap (a source feeding two products) and features that could match the same event
(same event name, or none) therefore go into separate queries: each bucket's numbers are then
exactly those of its own definition (``filters=`` the product's conditions, ``active_on=`` the
feature), which the tests check against the engine. Most batches need one query of each kind.

DAU/WAU/MAU(d) and the 30-day feature users depend only on the 30 days ending on d, which the
engine reads by itself: any range that contains d gives the same value for d.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from quarterdeck.kpis.models import Metric
from quarterdeck.metrics.engine import ActiveUsers, Breakdown, Engine, EventMatcher, run_many
from quarterdeck.metrics.engine import Product as ProductFilter
from quarterdeck.metrics.engine.definitions import Measure
from quarterdeck.metrics.engine.results import Series, ratio

# Stickiness is DAU/MAU per day with the engine's own ``ratio``; asking the engine for it too
# would only render the same SQL once more.
COUNTS: Final[tuple[Measure, ...]] = ("dau", "wau", "mau")


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


def _series(
    engine: Engine,
    span: tuple[date, date],
    time_zone: str,
    active_on: tuple[EventMatcher, ...],
    breakdown: Breakdown,
) -> dict[str, Series]:
    start, end = span
    definitions = [
        ActiveUsers(
            start=start,
            end=end,
            measure=measure,
            time_zone=time_zone,
            active_on=active_on,
            breakdown=breakdown,
        )
        for measure in COUNTS
    ]
    results = run_many(definitions, engine, today=end)
    return {m: r for m, r in zip(COUNTS, results, strict=True) if isinstance(r, Series)}


def _by_day(series: Series, bucket: str) -> dict[date, float]:
    return {p.period: p.value for p in series.points if p.breakdown == bucket}


def _days(span: tuple[date, date]) -> list[date]:
    return [date.fromordinal(n) for n in range(span[0].toordinal(), span[1].toordinal() + 1)]


def _product_values(found: dict[str, Series], scope: Scope, days: list[date]) -> list[Value]:
    bucket = f"product:{scope.product_id}"
    dau, wau, mau = (_by_day(found[m], bucket) for m in COUNTS)
    values = []
    for day in days:
        users, total = dau.get(day, 0.0), mau.get(day, 0.0)
        values += [
            Value(None, day, Metric.DAU, users),
            Value(None, day, Metric.WAU, wau.get(day, 0.0)),
            Value(None, day, Metric.MAU, total),
            Value(None, day, Metric.STICKINESS, ratio(users, total), int(users), int(total)),
        ]
    return values


def product_values(
    engine: Engine, scopes: Sequence[Scope], span: tuple[date, date], time_zone: str
) -> dict[int, list[Value]]:
    values: dict[int, list[Value]] = {}
    for group in groups(scopes, products_may_overlap):
        # A product is its filter: as an "active on" matcher it is the same set of events.
        active_on = tuple(EventMatcher(where=s.product.conditions) for s in group)
        buckets = [replace(s.product, name=f"product:{s.product_id}") for s in group]
        found = _series(engine, span, time_zone, active_on, Breakdown.by_products(*buckets))
        for scope in group:
            values[scope.product_id] = _product_values(found, scope, _days(span))
    return values


def _feature_values(
    found: dict[str, Series], feature_id: int, product_mau: dict[date, float]
) -> list[Value]:
    bucket = f"feature:{feature_id}"
    users, users_30d = _by_day(found["dau"], bucket), _by_day(found["mau"], bucket)
    values = []
    for day, total in sorted(product_mau.items()):
        used, used_30d = users.get(day, 0.0), users_30d.get(day, 0.0)
        adoption = ratio(used_30d, total)
        values += [
            Value(feature_id, day, Metric.FEATURE_USERS, used),
            Value(feature_id, day, Metric.FEATURE_USERS_30D, used_30d),
            Value(
                feature_id, day, Metric.FEATURE_ADOPTION_30D, adoption, int(used_30d), int(total)
            ),
        ]
    return values


def _scoped(feature: Feature) -> EventMatcher:
    """The feature's matcher within its product, labelled by id (names are for people, and a
    feature named "(none)" must not collide with the engine's bucket of the same name)."""
    scope, pk, matcher = feature
    where = (*scope.product.conditions, *matcher.where)
    return replace(matcher, where=where, label=f"feature:{pk}")


def feature_values(
    engine: Engine,
    scopes: Sequence[Scope],
    span: tuple[date, date],
    time_zone: str,
    products: dict[int, list[Value]],
) -> dict[int, list[Value]]:
    """The features' values; ``products`` (from product_values) gives adoption's denominator."""
    values: dict[int, list[Value]] = {s.product_id: [] for s in scopes}
    features = [(s, pk, m) for s in scopes for pk, m in s.features]
    for group in groups(features, features_may_overlap):
        matchers = tuple(_scoped(f) for f in group)
        found = _series(engine, span, time_zone, matchers, Breakdown.by_features(*matchers))
        for scope, pk, _ in group:
            mau = {v.day: v.value for v in products[scope.product_id] if v.metric == Metric.MAU}
            values[scope.product_id] += _feature_values(found, pk, mau)
    return values


def compute(
    engine: Engine, scopes: Sequence[Scope], span: tuple[date, date], time_zone: str = "UTC"
) -> dict[int, list[Value]]:
    """Every value of the products in ``scopes`` for the days of ``span``, by product id."""
    products = product_values(engine, scopes, span, time_zone)
    features = feature_values(engine, scopes, span, time_zone, products)
    return {pk: products[pk] + features[pk] for pk in products}


def first_active_day(values: Sequence[Value]) -> date | None:
    """The first day the product had any active user in its 30-day window."""
    days = [v.day for v in values if v.metric == Metric.MAU and v.value > 0]
    return min(days) if days else None
