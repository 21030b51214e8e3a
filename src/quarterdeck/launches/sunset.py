"""Sunset plans: how a feature or product is retired (successor, migration path, dates) and the
accounts it affects, computed from usage data.

Affected accounts: the accounts whose users used the feature (its usage definition, within its
product's events) — or, for a product, were active in it — in the ``usage_days`` before today.
One metric-engine query (``DailyActors`` broken down by account: the distinct users of each
account per day, identity resolved as in every metric) gives per account the users, the active
days (days with at least one user) and the last day seen. MRR comes from the revenue app; the
rows are sorted by MRR, then users. The result is kept in ``SunsetPlan.affected`` with the time
it was computed, so pages do not query the events on every view.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Mapping
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.launches.gate_selectors import access_item, access_sunset_plan, sunset_item
from quarterdeck.launches.gates import item_type_of
from quarterdeck.launches.models import SunsetPlan
from quarterdeck.lib.errors import InvalidInput, check_version
from quarterdeck.portfolio.models import Feature, PortfolioItem, Product

FIELDS: Final = {
    "successor_id",
    "migration_path",
    "announce_on",
    "read_only_on",
    "shutdown_on",
    "usage_days",
}
DATES: Final = ("announce_on", "read_only_on", "shutdown_on")
LABELS: Final = {"announce_on": "announce", "read_only_on": "read-only", "shutdown_on": "shutdown"}
NO_ACCOUNT: Final = "(none)"  # the engine's bucket of events without an account
CSV_COLUMNS: Final = ("account", "name", "users", "active_days", "last_seen", "mrr")


def _date(value: Any, name: str, errors: dict[str, list[str]]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[name] = [f"“{value}” is not a date (YYYY-MM-DD)."]
        return None


def _clean(data: Mapping[str, Any], item: PortfolioItem) -> dict[str, Any]:
    unknown = set(data) - FIELDS
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {k: v for k, v in data.items() if k not in DATES}
    for name in DATES:
        if name in data:
            clean[name] = _date(data[name], name, errors)
    if "usage_days" in data:
        days = data["usage_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 730:
            errors["usage_days"] = ["A whole number of days from 1 to 730."]
    successor = data.get("successor_id")
    if successor is not None:
        if not Feature.objects.filter(pk=successor).exists():
            errors["successor_id"] = [f"There is no feature with id {successor}."]
        elif isinstance(item, Feature) and successor == item.pk:
            errors["successor_id"] = ["A feature cannot succeed itself."]
    if "migration_path" in data:
        clean["migration_path"] = str(data["migration_path"] or "").strip()
    if errors:
        raise InvalidInput("The sunset plan is not valid.", fields=errors)
    return clean


def _check_order(plan: SunsetPlan) -> None:
    dates = [(n, getattr(plan, n)) for n in DATES if getattr(plan, n) is not None]
    for (first, a), (then, b) in itertools.pairwise(dates):
        if b < a:
            raise InvalidInput(
                f"The {LABELS[then]} date comes before the {LABELS[first]} date.",
                fields={then: [f"Must be on or after {a.isoformat()}."]},
            )


def sunset_create(
    *, actor: User | None, item: PortfolioItem, data: Mapping[str, Any]
) -> SunsetPlan:
    """The item's sunset plan (one per item); ``item`` came through its door."""
    item_type = item_type_of(item)
    if actor is not None:
        item = access_item(actor, item_type, item.pk, for_write=True)
    plan = SunsetPlan(item_type=item_type, item_id=item.pk, created_by=actor)
    for name, value in _clean(data, item).items():
        setattr(plan, name, value)
    _check_order(plan)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise InvalidInput(f"“{item.name}” already has a sunset plan; change that one.") from None
    audit_record(
        actor=actor, action=Action.CREATE, obj=plan, after=snapshot(plan), object_type="sunset_plan"
    )
    return plan


def _locked(actor: User | None, plan_id: int, expected_version: int | None) -> SunsetPlan:
    if actor is not None:
        access_sunset_plan(actor, plan_id, for_write=True)
    plan = SunsetPlan.objects.select_for_update().get(pk=plan_id)
    check_version(plan.version, expected_version, "The sunset plan")
    return plan


def sunset_update(
    *,
    actor: User | None,
    plan_id: int,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> SunsetPlan:
    with transaction.atomic():
        plan = _locked(actor, plan_id, expected_version)
        before = snapshot(plan, exclude=["affected"])
        for name, value in _clean(data, sunset_item(plan)).items():
            setattr(plan, name, value)
        _check_order(plan)
        after = snapshot(plan, exclude=["affected"])
        if after == before:
            return plan
        plan.version += 1
        plan.updated_at = timezone.now()
        plan.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=plan,
            before=before,
            after=after,
            object_type="sunset_plan",
        )
    return plan


def sunset_delete(*, actor: User | None, plan_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        plan = _locked(actor, plan_id, expected_version)
        before, pk = snapshot(plan, exclude=["affected"]), plan.pk
        plan.delete()
        plan.pk = pk
        audit_record(
            actor=actor, action=Action.DELETE, obj=plan, before=before, object_type="sunset_plan"
        )


def sunset_recompute(
    *, actor: User | None, plan_id: int, today: dt.date | None = None
) -> SunsetPlan:
    """Compute the affected accounts again from the events and keep them on the plan."""
    with transaction.atomic():
        plan = _locked(actor, plan_id, None)
        rows = affected_accounts(sunset_item(plan), plan.usage_days, today=today)
        plan.affected, plan.affected_computed_at = rows, timezone.now()
        plan.save(update_fields=["affected", "affected_computed_at"])
        after = {"affected_accounts": len(rows), "usage_days": plan.usage_days}
        audit_record(
            actor=actor, action=Action.UPDATE, obj=plan, after=after, object_type="sunset_plan"
        )
    return plan


# Affected accounts ------------------------------------------------------------------------------


def _engine_rows(
    item: PortfolioItem, start: dt.date, end: dt.date
) -> list[tuple[dt.date, str, str]]:
    """(day, account, user) of everyone who used the item in [start, end]; [] when the item's
    product is not tracked or the feature has no usage definition."""
    from django.conf import settings

    from quarterdeck.metrics.engine import Breakdown, DailyActors, EventMatcher, run
    from quarterdeck.metrics.tracking import feature_matcher, product_filter
    from quarterdeck.metrics.warehouse import event_engine

    product = item if isinstance(item, Product) else getattr(item, "product", None)
    scope = product_filter(product) if isinstance(product, Product) else None
    if scope is None:
        return []
    active_on: tuple[EventMatcher, ...] = ()
    if isinstance(item, Feature):
        matcher = feature_matcher(item)
        if matcher is None:
            return []
        active_on = (matcher,)
    definition = DailyActors(
        start=start,
        end=end,
        time_zone=settings.TIME_ZONE,
        filters=scope.conditions,
        active_on=active_on,
        breakdown=Breakdown.by_account(),
    )
    result = run(definition, event_engine())
    return [(r.day, r.breakdown or NO_ACCOUNT, r.actor) for r in result.rows]


def _names(accounts: set[str]) -> dict[str, str]:
    from quarterdeck.revenue.models import Customer

    found: dict[str, str] = {}
    for customer in Customer.objects.filter(account_id__in=accounts) | Customer.objects.filter(
        external_id__in=accounts
    ):
        for key in {customer.account_id, customer.external_id} & accounts:
            found[key] = customer.name or customer.external_id
    return found


def affected_accounts(
    item: PortfolioItem, days: int, *, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """[{account, name, users, active_days, last_seen, mrr}] of the item's look-back window
    (``days`` up to and including ``today``), by MRR then users; events without an account are
    left out (they cannot be contacted as an account)."""
    from quarterdeck.feedback.demand import account_mrr
    from quarterdeck.lib.dates import workspace_today

    end = today or workspace_today()
    start = end - dt.timedelta(days=max(days, 1) - 1)
    users: dict[str, set[str]] = {}
    active: dict[str, set[dt.date]] = {}
    for day, account, actor in _engine_rows(item, start, end):
        if account == NO_ACCOUNT:
            continue
        users.setdefault(account, set()).add(actor)
        active.setdefault(account, set()).add(day)
    names, mrr = _names(set(users)), account_mrr(users)
    rows = [
        {
            "account": account,
            "name": names.get(account, ""),
            "users": len(users[account]),
            "active_days": len(active[account]),
            "last_seen": max(active[account]).isoformat(),
            "mrr": mrr.get(account),
        }
        for account in users
    ]
    return sorted(rows, key=lambda r: (-(r["mrr"] or 0.0), -r["users"], r["account"]))


def affected_rows(plan: SunsetPlan, *, with_mrr: bool) -> list[dict[str, Any]]:
    """The stored rows; MRR blanked (and the order by MRR dropped) for who may not read
    revenue (see revenue.selectors)."""
    rows = [dict(row) for row in plan.affected]
    if with_mrr:
        return rows
    for row in rows:
        row["mrr"] = None
    # Sorted by usage instead: the order by MRR would tell the revenue ranking.
    return sorted(rows, key=lambda r: (-r["users"], -r["active_days"], r["account"]))


def _cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is quoted (names come from imported data)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def affected_csv(plan: SunsetPlan, *, with_mrr: bool) -> str:
    columns = CSV_COLUMNS if with_mrr else CSV_COLUMNS[:-1]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in affected_rows(plan, with_mrr=with_mrr):
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return out.getvalue()
