"""The revenue engine: MRR, its five movements, churn and retention (METRICS_SPEC §7).

Django-free and pure: plain frozen dataclasses in, plain dataclasses out, exact Decimals.

Choices where the spec is silent (docs/revenue.md repeats them):

- A subscription pays from ``max(start, trial_end)`` until ``ends`` (exclusive): ``ended_at``,
  else the end of the paid period in which it was cancelled (``canceled_at`` rounded up to the
  next billing boundary), else open. Churn is therefore recognised when the paid period ends.
- Only ``active``, ``past_due`` and ``canceled`` (for the time it paid) subscriptions count;
  trialing, incomplete, incomplete_expired, unpaid and paused ones never do. Free items (amount
  0) add nothing.
- The state of a period's start is the last day before it; of its end, its last day. Movements
  compare each customer's MRR at both; a customer who starts and stops inside one period is
  not seen. So ``end = start + new + expansion + reactivation - contraction - churn`` always.
- ``new`` is a customer paying for the first time in the scope; ``reactivation`` one who paid
  in the scope before, paid nothing at the start, and pays at the end.
- One rate per currency for the whole report (``rates``), so exchange-rate moves never show as
  expansion or contraction. A currency without a rate is an error, never summed.
- Per product or line, a customer's MRR is that of their items in the scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

ZERO: Final = Decimal(0)
COUNTED_STATUSES: Final = frozenset({"active", "past_due", "canceled"})
# Months per billing interval, for monthly normalisation (Stripe's day and week included).
INTERVAL_MONTHS: Final = {
    "day": Decimal(12) / Decimal(365),
    "week": Decimal(12) / Decimal(52),
    "month": Decimal(1),
    "year": Decimal(12),
}
GRAINS: Final = ("month", "quarter", "year")
PLACES: Final = Decimal("0.000001")


class MissingRate(ValueError):
    """Subscriptions priced in a currency the admin has set no rate for."""

    def __init__(self, missing: Mapping[str, Sequence[str]]) -> None:
        self.missing = {cur: sorted(ids) for cur, ids in sorted(missing.items())}
        parts = [
            f"{cur} (subscriptions {', '.join(ids[:10])})" for cur, ids in self.missing.items()
        ]
        super().__init__(f"No exchange rate for {'; '.join(parts)}: set one before reporting.")


@dataclass(frozen=True)
class Item:
    """A priced line of a subscription: ``amount`` per unit and billing interval, major units."""

    product: int | None
    amount: Decimal
    quantity: int = 1


@dataclass(frozen=True)
class Sub:
    id: str
    customer: str
    currency: str
    interval: str
    start: date
    items: tuple[Item, ...]
    status: str = "active"
    interval_count: int = 1
    canceled_at: date | None = None
    ended_at: date | None = None
    trial_end: date | None = None


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


@dataclass
class Movements:
    new: Decimal = ZERO
    expansion: Decimal = ZERO
    contraction: Decimal = ZERO
    churn: Decimal = ZERO
    reactivation: Decimal = ZERO


@dataclass
class PeriodResult:
    """One period's figures; ratios are None where their denominator is 0."""

    period: Period
    mrr_start: Decimal
    mrr: Decimal
    movements: Movements
    customers_start: int
    customers: int
    customers_lost: int
    customers_new: int = 0
    customers_reactivated: int = 0
    unmapped_mrr: Decimal = ZERO

    @property
    def arr(self) -> Decimal:
        return self.mrr * 12

    def _share(self, amount: Decimal) -> Decimal | None:
        return amount / self.mrr_start if self.mrr_start else None

    @property
    def gross_mrr_churn(self) -> Decimal | None:
        return self._share(self.movements.churn + self.movements.contraction)

    @property
    def net_mrr_churn(self) -> Decimal | None:
        m = self.movements
        return self._share(m.churn + m.contraction - m.expansion - m.reactivation)

    @property
    def nrr(self) -> Decimal | None:
        m = self.movements
        return self._share(self.mrr_start + m.expansion - m.contraction - m.churn)

    @property
    def grr(self) -> Decimal | None:
        m = self.movements
        return self._share(self.mrr_start - m.contraction - m.churn)

    @property
    def logo_churn(self) -> Decimal | None:
        if not self.customers_start:
            return None
        return Decimal(self.customers_lost) / Decimal(self.customers_start)

    @property
    def quick_ratio(self) -> Decimal | None:
        m = self.movements
        lost = m.churn + m.contraction
        return (m.new + m.expansion + m.reactivation) / lost if lost else None


@dataclass(frozen=True)
class Scope:
    """Which items count: ``products`` None = all (unmapped included); else those product ids."""

    products: frozenset[int] | None = None

    def includes(self, item: Item) -> bool:
        return self.products is None or item.product in self.products


@dataclass
class _Prepared:
    sub: Sub
    pays_from: date
    pays_until: date | None
    monthly: Decimal  # in the reporting currency, items in scope only
    unmapped: Decimal = field(default=ZERO)


def add_interval(day: date, interval: str, count: int, times: int) -> date:
    """``day`` moved by ``times`` billing intervals (month ends clamp, as Stripe bills)."""
    if interval == "day":
        return day + timedelta(days=count * times)
    if interval == "week":
        return day + timedelta(weeks=count * times)
    months = count * times * (12 if interval == "year" else 1)
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return _clamped(year, month + 1, day.day)


def _clamped(year: int, month: int, day: int) -> date:
    """The day, or the month's last day when it has fewer (31 March + 1 month = 30 April)."""
    if day <= 28:
        return date(year, month, day)
    for candidate in range(day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, 28)  # raises ValueError for a year out of range


def paid_until(sub: Sub) -> date | None:
    """The first day the subscription no longer pays for (None: still paying)."""
    if sub.ended_at is not None:
        return sub.ended_at
    if sub.canceled_at is None:
        return None
    times = 1
    anchor = max(sub.start, sub.trial_end or sub.start)
    while (boundary := add_interval(anchor, sub.interval, sub.interval_count, times)) < (
        sub.canceled_at
    ):
        times += 1
    return boundary


def monthly_amount(sub: Sub, item: Item) -> Decimal:
    """The item's monthly-normalised amount in the subscription's currency."""
    months = INTERVAL_MONTHS[sub.interval] * sub.interval_count
    return item.amount * item.quantity / months


def _exact(amount: Decimal) -> Decimal:
    """Fixed to PLACES decimals, so every sum and difference after it is exact."""
    return amount.quantize(PLACES)


def _prepare(subs: Iterable[Sub], rates: Mapping[str, Decimal], scope: Scope) -> list[_Prepared]:
    missing: dict[str, list[str]] = defaultdict(list)
    prepared: list[_Prepared] = []
    for sub in subs:
        if sub.status not in COUNTED_STATUSES:
            continue
        rate = rates.get(sub.currency.upper())
        if rate is None:
            missing[sub.currency.upper()].append(sub.id)
            continue
        inside = [i for i in sub.items if scope.includes(i)]
        monthly = _exact(sum((monthly_amount(sub, i) for i in inside), ZERO) * rate)
        unmapped = sum((monthly_amount(sub, i) for i in inside if i.product is None), ZERO)
        start = max(sub.start, sub.trial_end or sub.start)
        prepared.append(_Prepared(sub, start, paid_until(sub), monthly, _exact(unmapped * rate)))
    if missing:
        raise MissingRate(missing)
    return [
        p
        for p in prepared
        if p.monthly > 0 and (p.pays_until is None or p.pays_until > p.pays_from)
    ]


def _pays_on(p: _Prepared, day: date) -> bool:
    return p.pays_from <= day and (p.pays_until is None or day < p.pays_until)


def _state(prepared: list[_Prepared], day: date) -> tuple[dict[str, Decimal], Decimal]:
    """Each paying customer's MRR on ``day``, and the unmapped part of the total."""
    by_customer: dict[str, Decimal] = defaultdict(lambda: ZERO)
    unmapped = ZERO
    for p in prepared:
        if _pays_on(p, day):
            by_customer[p.sub.customer] += p.monthly
            unmapped += p.unmapped
    return dict(by_customer), unmapped


def _first_paid(prepared: list[_Prepared]) -> dict[str, date]:
    first: dict[str, date] = {}
    for p in prepared:
        known = first.get(p.sub.customer)
        first[p.sub.customer] = p.pays_from if known is None else min(known, p.pays_from)
    return first


def _period(prepared: list[_Prepared], period: Period, first: dict[str, date]) -> PeriodResult:
    before, _ = _state(prepared, period.start - timedelta(days=1))
    after, unmapped = _state(prepared, period.last_day)
    moves = Movements()
    result = PeriodResult(
        period,
        sum(before.values(), ZERO),
        sum(after.values(), ZERO),
        moves,
        len(before),
        len(after),
        0,
        unmapped_mrr=unmapped,
    )
    for customer in before.keys() | after.keys():
        was, now = before.get(customer, ZERO), after.get(customer, ZERO)
        if not was:
            if first[customer] < period.start:
                moves.reactivation += now
                result.customers_reactivated += 1
            else:
                moves.new += now
                result.customers_new += 1
        elif not now:
            moves.churn += was
            result.customers_lost += 1
        elif now > was:
            moves.expansion += now - was
        else:
            moves.contraction += was - now
    return result


def periods(start: date, end: date, grain: str = "month") -> list[Period]:
    """The calendar periods of ``grain`` that overlap ``start``..``end`` (both inclusive)."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {', '.join(GRAINS)}, not {grain!r}.")
    step = {"month": 1, "quarter": 3, "year": 12}[grain]
    first_month = (start.month - 1) // step * step + 1
    cursor = date(start.year, first_month, 1)
    found: list[Period] = []
    while cursor <= end:
        following = add_interval(cursor, "month", step, 1)
        found.append(Period(cursor, following))
        cursor = following
    return found


def compute(
    subs: Iterable[Sub],
    rates: Mapping[str, Decimal],
    spans: Sequence[Period],
    scope: Scope | None = None,
) -> list[PeriodResult]:
    """The figures of each period in ``spans``, in the reporting currency (rate 1 for it must be
    in ``rates``). Raises MissingRate naming every currency without a rate and its subscriptions."""
    prepared = _prepare(subs, {k.upper(): v for k, v in rates.items()}, scope or Scope())
    first = _first_paid(prepared)
    return [_period(prepared, span, first) for span in spans]


def mrr_on(
    subs: Iterable[Sub], rates: Mapping[str, Decimal], day: date, scope: Scope | None = None
) -> Decimal:
    """Total MRR on one day."""
    prepared = _prepare(subs, {k.upper(): v for k, v in rates.items()}, scope or Scope())
    return sum(_state(prepared, day)[0].values(), ZERO)
