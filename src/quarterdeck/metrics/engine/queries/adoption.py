"""§2 Feature adoption and product adoption."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import replace
from datetime import date
from itertools import pairwise

from quarterdeck.metrics.engine import sqlparts as q
from quarterdeck.metrics.engine.base import base_ctes, created_cte
from quarterdeck.metrics.engine.definitions import FeatureAdoption, ProductAdoption
from quarterdeck.metrics.engine.matchers import Eligibility
from quarterdeck.metrics.engine.queries.common import Rows, base_for, label
from quarterdeck.metrics.engine.results import Adoption, Ratio

_ALL = q.text(q.ALL_BUCKET)


def _eligible(e: Eligibility, end: date) -> str:
    parts = []
    if e.plans:
        parts.append(
            f"SELECT actor, {_ALL} AS bucket FROM actor_plans WHERE plan IN {q.in_list(e.plans)}"
        )
    if e.matcher is not None:
        parts.append(
            f"SELECT DISTINCT actor, {_ALL} AS bucket FROM activity "
            f"WHERE event_day <= {q.day(end)} AND ({q.matcher_sql(e.matcher)})"
        )
    return " UNION ".join(parts)


def _population(d: FeatureAdoption) -> str:
    if d.denominator == "active":
        in_range = q.between("event_day", d.start, d.end)
        return f"SELECT DISTINCT actor, bucket FROM activity WHERE {in_range}"
    if d.denominator == "all":  # every actor seen by the end of the range, in any row
        return (
            f"SELECT DISTINCT actor, {_ALL} AS bucket FROM resolved "
            f"WHERE actor IS NOT NULL AND event_day <= {q.day(d.end)}"
        )
    assert d.eligibility is not None  # checked by FeatureAdoption
    return _eligible(d.eligibility, d.end)


def _ratio_select(population: str, hits: str) -> str:
    return (
        f"SELECT {population}.bucket, COUNT(*) AS denominator, COUNT({hits}.actor) AS numerator "
        f"FROM {population} LEFT JOIN {hits} ON {hits}.actor = {population}.actor "
        f"AND {hits}.bucket = {population}.bucket GROUP BY 1 ORDER BY 1"
    )


def build_feature(d: FeatureAdoption, today: date) -> str:
    everyone = d.denominator == "all" or (
        d.eligibility is not None and d.eligibility.matcher is not None
    )
    trait = d.eligibility.trait if d.eligibility is not None and d.eligibility.plans else None
    base = base_for(
        d,
        None if everyone else d.start,
        d.end,
        plan_trait=trait,
        activity_only=d.denominator == "active",
    )
    uses = (
        "adopters AS (SELECT actor, bucket FROM activity "
        f"WHERE {q.between('event_day', d.start, d.end)} AND ({q.matcher_sql(d.feature)}) "
        f"GROUP BY actor, bucket HAVING COUNT(*) >= {d.min_uses})"
    )
    population = f"population AS ({_population(d)})"
    return q.with_query(
        [*base_ctes(base), uses, population], _ratio_select("population", "adopters")
    )


def merge_key(d: FeatureAdoption) -> Hashable | None:
    """Feature adoptions that differ only in their (disjoint) ranges can share one scan: a key
    that is equal for those, or None when the population is not the range's own actors."""
    if d.denominator != "active":
        return None
    return replace(d, start=date.min, end=date.min)


def disjoint(ds: Sequence[FeatureAdoption]) -> bool:
    spans = sorted((d.start, d.end) for d in ds)
    return all(a_end < b_start for (_, a_end), (b_start, _) in pairwise(spans))


def build_features(ds: Sequence[FeatureAdoption], today: date) -> str:
    """Several ``merge_key``-equal adoptions over disjoint ranges in one query: rows are
    (index of the definition, bucket, denominator, numerator) — one pass over the activity
    instead of one per range (a "per month" chart)."""
    first = ds[0]
    base = base_for(first, min(d.start for d in ds), max(d.end for d in ds), activity_only=True)
    which = " ".join(
        f"WHEN {q.between('event_day', d.start, d.end)} THEN {n}" for n, d in enumerate(ds)
    )
    ranged = (
        f"ranged AS (SELECT actor, bucket, event_day, CASE {which} END AS range_index, "
        f"({q.matcher_sql(first.feature)}) AS is_use FROM activity)"
    )
    per_actor = (
        "per_actor AS (SELECT range_index, actor, bucket, "
        "SUM(CASE WHEN is_use THEN 1 ELSE 0 END) AS uses FROM ranged "
        "WHERE range_index IS NOT NULL GROUP BY 1, 2, 3)"
    )
    final = (
        "SELECT range_index, bucket, COUNT(*) AS denominator, "
        f"SUM(CASE WHEN uses >= {first.min_uses} THEN 1 ELSE 0 END) AS numerator "
        "FROM per_actor GROUP BY 1, 2 ORDER BY 1, 2"
    )
    return q.with_query([*base_ctes(base), ranged, per_actor], final)


def build_product(d: ProductAdoption, today: date) -> str:
    base = base_for(d, None, d.end)
    if d.signup is None:
        created = created_cte(base)
    else:
        created = (
            f"created AS (SELECT actor, MIN(event_day) AS created_day FROM activity "
            f"WHERE {q.matcher_sql(d.signup)} GROUP BY actor)"
        )
    product = q.all_of([q.condition_sql(c) for c in d.product.conditions])
    return q.with_query(
        [
            *base_ctes(base),
            created,
            f"signups AS (SELECT actor, {_ALL} AS bucket FROM created "
            f"WHERE {q.between('created_day', d.start, d.end)})",
            f"in_product AS (SELECT DISTINCT actor, {_ALL} AS bucket FROM activity "
            f"WHERE {q.between('event_day', d.start, d.end)} AND ({product}))",
        ],
        _ratio_select("signups", "in_product"),
    )


def read(d: FeatureAdoption | ProductAdoption, rows: Rows, today: date) -> Adoption:
    return Adoption(tuple(Ratio(int(r[2]), int(r[1]), label(d, r[0])) for r in rows))
