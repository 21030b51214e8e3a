"""§2 Feature adoption and product adoption."""

from __future__ import annotations

from datetime import date

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
