"""The base CTEs every metric starts from: METRICS_SPEC §0 applied at query time.

    src              the events table, columns mapped to the canonical names (dialects.py)
    bounded          activity rows near the metric's days [+ every identity/group row, when read]
    dedup            one row per (source_id, event_id), the earliest received (skipped on a
                     source with unique events)
    identity_rows    the linking identify/alias rows of the whole history, deduplicated alike
    links            anonymous id → user id, from identity_rows (the first link wins)
    persons          + person: the linked user id, else user_id, else anonymous_id
    person_accounts  each person's account from their most recent group row
    resolved         + account (own, else the person's), actor, event_day (local calendar day)
    [actor_plans]    each actor's plan trait as of a day (only when a metric needs it)
    activity         track/page/screen rows of known actors, global filters applied, + bucket

Identity and accounts are derived over the whole history, so a link or group call made today
applies to last year's events; only activity rows are limited to the days a metric needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from quarterdeck.metrics.engine import sqlparts as q
from quarterdeck.metrics.engine.matchers import Breakdown, Condition
from quarterdeck.metrics.engine.schema import ACTIVITY_TYPES, GROUP_TYPE, IDENTITY_TYPES

_BY_EVENT: Final = ("source_id, event_id", "received_at, time")  # dedup: key, first received
# PostHog's non-activity events, in case a source stored them as track rows.
NON_ACTIVITY_EVENTS: Final = ("$identify", "$create_alias", "$groupidentify", "$set")


@dataclass(frozen=True)
class Base:
    actor: str
    time_zone: str
    filters: tuple[Condition, ...]
    breakdown: Breakdown | None
    first_day: date | None  # earliest local day of activity the metric reads; None = all history
    last_day: date  # latest local day of activity the metric reads
    plan_trait: str | None = None  # build actor_plans from this trait
    as_of: date | None = None  # traits (plan) as of the end of this local day
    accounts: bool = True  # resolve accounts; False when nothing reads them (saves a pass)
    activity_only: bool = False  # the metric reads only ``activity`` (not identity rows)

    @property
    def needs_other_rows(self) -> bool:
        """Identity and group rows must reach ``resolved`` (links read them from ``src``)."""
        return not self.activity_only or self.needs_accounts

    @property
    def needs_accounts(self) -> bool:
        by = self.breakdown.by if self.breakdown is not None else None
        return (
            self.accounts
            or self.actor == "account"
            or by in ("account", "plan")
            or self.plan_trait is not None
        )


def _bounded_cte(b: Base) -> str:
    """bounded: every identity/group row, and the activity rows near the metric's days. Two
    SELECTs rather than one OR, so the time range reaches the scan (Parquet row groups and date
    partitions outside it are skipped)."""
    # Local days span at most ±14 h around UTC days: a one-day margin each side is safe; the
    # exact day filter is applied on event_day by the metric.
    upper = datetime.combine(b.last_day + timedelta(days=2), time())
    bound = f"time < {q.timestamp(upper)}"
    if b.first_day is not None:
        lower = datetime.combine(b.first_day - timedelta(days=1), time())
        bound = f"time >= {q.timestamp(lower)} AND {bound}"
    activity = f"SELECT * FROM src WHERE type IN {q.in_list(ACTIVITY_TYPES)} AND {bound}"
    if not b.needs_other_rows:  # one scan less
        return f"bounded AS ({activity})"
    others = q.in_list((*IDENTITY_TYPES, GROUP_TYPE))  # schema.ROW_TYPES minus activity
    return f"bounded AS (SELECT * FROM src WHERE type IN {others} UNION ALL {activity})"


def _ranked(select: str, partition: str, order: str, source: str, where: str) -> str:
    return (
        f"SELECT * FROM (SELECT {select}, ROW_NUMBER() OVER (PARTITION BY {partition} "
        f"ORDER BY {order}) AS qd_rank FROM {source} WHERE {where}) AS ranked WHERE qd_rank = 1"
    )


def _link_ctes() -> list[str]:
    linked = (
        f"type IN {q.in_list(IDENTITY_TYPES)} AND anonymous_id IS NOT NULL "
        "AND user_id IS NOT NULL AND anonymous_id <> user_id"
    )
    return [
        # Links read their own (deduplicated) identity rows from src: bounded is then read
        # once, so it is not materialised, and may hold activity rows only.
        "identity_rows AS (" + _ranked("src.*", *_BY_EVENT, "src", linked) + ")",
        "links AS ("
        + _ranked(
            "anonymous_id AS alias_id, user_id AS linked_id",
            "anonymous_id",
            "time, received_at, user_id",
            "identity_rows",
            "TRUE",
        )
        + ")",
    ]


def links_query() -> str:
    """The identity map alone (alias_id, linked_id): run_many shares it between its queries."""
    return q.with_query(
        ["src AS (SELECT * FROM events)", *_link_ctes()], "SELECT alias_id, linked_id FROM links"
    )


def identity_ctes(b: Base) -> list[str]:
    ctes = [
        "src AS (SELECT * FROM events)",
        _bounded_cte(b),
        "dedup AS (" + _ranked("bounded.*", *_BY_EVENT, "bounded", "TRUE") + ")",
        *_link_ctes(),
        "persons AS (SELECT dedup.*, COALESCE(links.linked_id, dedup.user_id, dedup.anonymous_id) "
        "AS person FROM dedup LEFT JOIN links "
        "ON links.alias_id = COALESCE(dedup.user_id, dedup.anonymous_id))",
    ]
    day = q.local_date("persons.time", b.time_zone)
    if not b.needs_accounts:
        return [
            *ctes,
            f"resolved AS (SELECT persons.*, persons.person AS actor, {day} AS event_day "
            "FROM persons)",
        ]
    return [*ctes, *_account_ctes(b, day)]


def _account_ctes(b: Base, day: str) -> list[str]:
    grouped = f"type = {q.text(GROUP_TYPE)} AND account_id IS NOT NULL AND person IS NOT NULL"
    account = "COALESCE(persons.account_id, person_accounts.member_account)"
    actor = "persons.person" if b.actor == "user" else account
    return [
        "person_accounts AS ("
        + _ranked(
            "person AS member, account_id AS member_account",
            "person",
            "time DESC, received_at DESC, account_id",
            "persons",
            grouped,
        )
        + ")",
        f"resolved AS (SELECT persons.*, {account} AS account, {actor} AS actor, "
        f"{day} AS event_day FROM persons "
        "LEFT JOIN person_accounts ON person_accounts.member = persons.person)",
    ]


def plan_ctes(b: Base, trait: str) -> list[str]:
    """actor_plans(actor, plan): the latest value of ``trait`` as of ``b.as_of`` — a person's own
    (identify rows), else their account's (group rows); an account's own (group rows)."""
    value = q.json_text("traits", trait)
    as_of = f"event_day <= {q.day(b.as_of or b.last_day)}"
    latest = "time DESC, received_at DESC"
    person = _ranked(
        f"person AS holder, {value} AS plan",
        "person",
        latest,
        "resolved",
        f"type = 'identify' AND {value} IS NOT NULL AND person IS NOT NULL AND {as_of}",
    )
    account = _ranked(
        f"account_id AS holder, {value} AS plan",
        "account_id",
        latest,
        "resolved",
        f"type = 'group' AND {value} IS NOT NULL AND account_id IS NOT NULL AND {as_of}",
    )
    ctes = [f"person_plans AS ({person})", f"account_plans AS ({account})"]
    if b.actor == "account":
        return [*ctes, "actor_plans AS (SELECT holder AS actor, plan FROM account_plans)"]
    return [
        *ctes,
        "actor_plans AS (SELECT people.actor, COALESCE(person_plans.plan, account_plans.plan) "
        "AS plan FROM (SELECT DISTINCT person AS actor FROM resolved WHERE person IS NOT NULL) "
        "AS people LEFT JOIN person_plans ON person_plans.holder = people.actor "
        "LEFT JOIN person_accounts ON person_accounts.member = people.actor "
        "LEFT JOIN account_plans ON account_plans.holder = person_accounts.member_account)",
    ]


def bucket_sql(breakdown: Breakdown | None) -> str:
    if breakdown is None:
        return q.text(q.ALL_BUCKET)
    if breakdown.by == "property":
        return (
            f"COALESCE({q.json_text('properties', breakdown.key or '')}, {q.text(q.NONE_BUCKET)})"
        )
    if breakdown.by == "account":
        return f"COALESCE(resolved.account, {q.text(q.NONE_BUCKET)})"
    if breakdown.by == "plan":
        return f"COALESCE(actor_plans.plan, {q.text(q.NONE_BUCKET)})"
    if breakdown.by == "product":
        cases = [
            (q.all_of([q.condition_sql(c) for c in p.conditions]), p.name)
            for p in breakdown.products
        ]
    else:
        cases = [(q.matcher_sql(m), m.name) for m in breakdown.features]
    whens = " ".join(f"WHEN {test} THEN {q.text(name)}" for test, name in cases)
    return f"CASE {whens} ELSE {q.text(q.NONE_BUCKET)} END"


def activity_cte(b: Base) -> str:
    by_plan = b.breakdown is not None and b.breakdown.by == "plan"
    join = " LEFT JOIN actor_plans ON actor_plans.actor = resolved.actor" if by_plan else ""
    where = [
        f"resolved.type IN {q.in_list(ACTIVITY_TYPES)}",
        f"COALESCE(resolved.event, '') NOT IN {q.in_list(NON_ACTIVITY_EVENTS)}",
        "resolved.actor IS NOT NULL",
        *(q.condition_sql(c) for c in b.filters),
    ]
    return (
        f"activity AS (SELECT resolved.*, {bucket_sql(b.breakdown)} AS bucket "
        f"FROM resolved{join} WHERE {q.all_of(where)})"
    )


def base_ctes(b: Base) -> list[str]:
    by_plan = b.breakdown is not None and b.breakdown.by == "plan"
    trait = b.plan_trait or ("plan" if by_plan else None)
    plans = plan_ctes(b, trait) if trait is not None else []
    return [*identity_ctes(b), *plans, activity_cte(b)]


def created_cte(b: Base) -> str:
    """created(actor, created_day): the creation trait (created_at / createdAt on the actor's
    identify rows, or the account's group rows), else the actor's first row of any type."""
    own_rows = "identify" if b.actor == "user" else "group"
    trait = f"COALESCE({q.json_text('traits', 'created_at')}, {q.json_text('traits', 'createdAt')})"
    stamped = (
        f"SELECT actor, time, CASE WHEN type = {q.text(own_rows)} THEN QD_PARSE_TS({trait}) END "
        "AS trait_time FROM resolved WHERE actor IS NOT NULL"
    )
    created_at = "COALESCE(MIN(stamped.trait_time), MIN(stamped.time))"
    return (
        f"created AS (SELECT actor, {q.local_date(created_at, b.time_zone)} AS created_day "
        f"FROM ({stamped}) AS stamped GROUP BY actor)"
    )
