"""Revenue metrics for the rest of Quarterdeck: the stored subscriptions through the engine.

The interface other modules call (key results, scorecards, the home page)::

    revenue_series("nrr", product_or_line_or_None, start, end, grain="month") -> list[Point]

One point per calendar period overlapping ``start``..``end``; money in the reporting currency
(``reporting_currency()``), ratios as fractions (0.7714), None where undefined (no MRR at the
start, nothing lost). A product counts its mapped items; a line, the products of it and all its
sub-lines; None, every item (unmapped ones included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final

from quarterdeck.accounts.models import User
from quarterdeck.lib.dates import workspace_today
from quarterdeck.lib.errors import InvalidInput, NotFound
from quarterdeck.portfolio.models import Product, ProductLine
from quarterdeck.portfolio.selectors import access_line, access_product, line_subtree_ids
from quarterdeck.revenue import engine
from quarterdeck.revenue.models import CurrencyRate, Subscription
from quarterdeck.revenue.selectors import check_read, reporting_currency

Getter = Callable[[engine.PeriodResult], Decimal | int | None]
METRICS: Final[dict[str, Getter]] = {
    "mrr": lambda r: r.mrr,
    "arr": lambda r: r.arr,
    "mrr_start": lambda r: r.mrr_start,
    "new": lambda r: r.movements.new,
    "expansion": lambda r: r.movements.expansion,
    "contraction": lambda r: r.movements.contraction,
    "churn": lambda r: r.movements.churn,
    "reactivation": lambda r: r.movements.reactivation,
    "gross_mrr_churn": lambda r: r.gross_mrr_churn,
    "net_mrr_churn": lambda r: r.net_mrr_churn,
    "nrr": lambda r: r.nrr,
    "grr": lambda r: r.grr,
    "logo_churn": lambda r: r.logo_churn,
    "quick_ratio": lambda r: r.quick_ratio,
    "customers": lambda r: r.customers,
    "customers_lost": lambda r: r.customers_lost,
}
RATIOS: Final = frozenset({"gross_mrr_churn", "net_mrr_churn", "nrr", "grr", "logo_churn"})
MOVEMENTS: Final = ("new", "expansion", "contraction", "churn", "reactivation")
MAX_PERIODS: Final = 240
EARLIEST: Final = date(1970, 1, 1)
LATEST: Final = date(2199, 12, 31)


@dataclass(frozen=True)
class Point:
    start: date
    end: date  # exclusive
    value: float | None


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", fields={field: [message]})


def check_metric(metric: str) -> str:
    if metric not in METRICS and metric != "movements":
        names = ", ".join([*METRICS, "movements"])
        raise _invalid("metric", f"unknown metric {metric!r}; use one of {names}.")
    return metric


def rates_on(day: date) -> dict[str, Decimal]:
    """Per currency, the rate valid on ``day`` (the latest from before it); the reporting
    currency is 1. A currency whose only rates start later has no rate."""
    found: dict[str, Decimal] = {}
    for rate in CurrencyRate.objects.filter(valid_from__lte=day).order_by("valid_from"):
        found[rate.currency] = rate.rate
    found[reporting_currency()] = Decimal(1)
    return found


def engine_subs() -> list[engine.Sub]:
    """Every stored subscription as the engine sees it."""
    subs = Subscription.objects.select_related("customer").prefetch_related("items")
    return [_as_sub(s) for s in subs]


def _as_sub(s: Subscription) -> engine.Sub:
    items = tuple(engine.Item(i.product_id, i.amount, i.quantity) for i in s.items.all())
    return engine.Sub(
        id=s.external_id,
        customer=s.customer.external_id,
        currency=s.currency,
        interval=s.interval,
        start=s.started_at,
        items=items,
        status=s.status,
        interval_count=s.interval_count,
        canceled_at=s.canceled_at,
        ended_at=s.ended_at,
        trial_end=s.trial_end,
    )


def scope_of(subject: Product | ProductLine | None) -> engine.Scope:
    if subject is None:
        return engine.Scope()
    if isinstance(subject, Product):
        return engine.Scope(frozenset({subject.pk}))
    lines = line_subtree_ids(subject.pk)
    ids = Product.objects.filter(line_id__in=lines).values_list("pk", flat=True)
    return engine.Scope(frozenset(ids))


def spans(start: date, end: date, grain: str) -> list[engine.Period]:
    if end < start:
        raise _invalid("to", f"{end} is before from ({start}).")
    if grain not in engine.GRAINS:
        raise _invalid("grain", f"unknown grain {grain!r}; use one of {', '.join(engine.GRAINS)}.")
    _check_day("from", start)
    _check_day("to", end)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months > MAX_PERIODS * {"month": 1, "quarter": 3, "year": 12}[grain]:
        raise _invalid("from", f"at most {MAX_PERIODS} periods at a time; narrow the range.")
    found = engine.periods(start, end, grain)
    if len(found) > MAX_PERIODS:
        raise _invalid("from", f"at most {MAX_PERIODS} periods at a time; narrow the range.")
    return found


def revenue_report(
    subject: Product | ProductLine | None,
    start: date,
    end: date,
    grain: str = "month",
    *,
    user: User | None = None,
) -> list[engine.PeriodResult]:
    """Every figure of every period; raises InvalidInput naming currencies without a rate."""
    check_read(user)
    periods = spans(start, end, grain)
    try:
        return engine.compute(engine_subs(), rates_on(end), periods, scope_of(subject))
    except engine.MissingRate as missing:
        fields = {"currency": [str(missing)]}
        raise InvalidInput(str(missing), fields=fields) from missing


def value_of(metric: str, result: engine.PeriodResult) -> float | None:
    raw = METRICS[metric](result)
    return None if raw is None else round(float(raw), 6)


def revenue_series(
    metric: str,
    subject: Product | ProductLine | None,
    start: date,
    end: date,
    grain: str = "month",
    *,
    user: User | None = None,
) -> list[Point]:
    """One metric per period (see the module docstring for the contract)."""
    check_metric(metric)
    if metric == "movements":
        raise _invalid("metric", "'movements' has five values; use revenue_report().")
    results = revenue_report(subject, start, end, grain, user=user)
    return [Point(r.period.start, r.period.end, value_of(metric, r)) for r in results]


def _check_day(name: str, day: date | None) -> None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise _invalid(name, f"{day} is out of range; use a day from {EARLIEST} to {LATEST}.")


def default_range(start: date | None, end: date | None) -> tuple[date, date]:
    """``to`` defaults to today, ``from`` to the first day of the 12th month before it."""
    _check_day("from", start)
    _check_day("to", end)
    last = end or workspace_today()
    first = start or engine.add_interval(last.replace(day=1), "month", 1, -11)
    return first, last


def subject_of(
    user: User | None, product_id: int | None, line_id: int | None
) -> Product | ProductLine | None:
    """The product or line asked for, through its door (a reader of revenue reads them all)."""
    if product_id is not None and line_id is not None:
        raise _invalid("line", "give a product or a line, not both.")
    if product_id is not None:
        return _one(user, Product, product_id, access_product)
    if line_id is not None:
        return _one(user, ProductLine, line_id, access_line)
    return None


def _one[T: (Product, ProductLine)](
    user: User | None, model: type[T], pk: int, door: Callable[[User, int], T]
) -> T:
    if user is not None:
        return door(user, pk)
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"There is no {model._meta.verbose_name} with id {pk}.")
    return found


def metric_points(
    user: User | None,
    metric: str,
    subject: Product | ProductLine | None,
    start: date,
    end: date,
    grain: str = "month",
) -> list[dict[str, Any]]:
    """Points for the API and the CLI: ``value``, or for ``movements`` the five amounts."""
    check_metric(metric)
    results = revenue_report(subject, start, end, grain, user=user)
    points: list[dict[str, Any]] = []
    for r in results:
        point: dict[str, Any] = {"start": r.period.start, "end": r.period.end}
        if metric == "movements":
            point |= {name: value_of(name, r) for name in MOVEMENTS}
        else:
            point["value"] = value_of(metric, r)
        points.append(point)
    return points


def subject_named(product: str | None, line: str | None) -> Product | ProductLine | None:
    """For the operator: a product ('Line/Product' when ambiguous) or a line, by name."""
    from quarterdeck.metrics.selectors import product_ids_named

    if product and line:
        raise _invalid("line", "give --product or --line, not both.")
    if product:
        return Product.objects.get(pk=product_ids_named([product])[0])
    if not line:
        return None
    found = list(ProductLine.objects.filter(name__iexact=line.strip())[:2])
    if not found:
        raise NotFound(f"There is no product line named {line!r}.")
    if len(found) > 1:
        raise _invalid("line", f"several lines are named {line!r}.")
    return found[0]
