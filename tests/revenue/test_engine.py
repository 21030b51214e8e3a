"""The revenue engine against METRICS_SPEC §7: vector V7, Stripe's example, and properties."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterdeck.revenue.engine import (
    Item,
    MissingRate,
    Period,
    Scope,
    Sub,
    compute,
    mrr_on,
    paid_until,
    periods,
)

USD = {"USD": Decimal(1)}


def dec(*values: int) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


MARCH = Period(date(2024, 3, 1), date(2024, 4, 1))


def sub(sid: str, customer: str, amount: int, start: date, **kw: object) -> Sub:
    interval = str(kw.pop("interval", "month"))
    product = kw.pop("product", None)
    item = Item(product if isinstance(product, int) else None, Decimal(amount))
    return Sub(sid, customer, "USD", interval, start, (item,), **kw)  # type: ignore[arg-type]


JAN, MAR = date(2024, 1, 1), date(2024, 3, 10)
V7 = [
    # A: 100 → 150 (one subscription replaced by a bigger one mid-month)
    sub("a1", "A", 100, JAN, ended_at=MAR),
    sub("a2", "A", 150, MAR),
    # B: 200 → 120 (one of two subscriptions cancelled)
    sub("b1", "B", 120, JAN),
    sub("b2", "B", 80, JAN, status="canceled", ended_at=MAR),
    # C: 50, cancels on March 5; the paid period ends on March 15
    sub("c1", "C", 50, date(2024, 1, 15), status="canceled", canceled_at=date(2024, 3, 5)),
    # D: paid 80 until January, returns at 40
    sub("d1", "D", 80, date(2023, 11, 1), status="canceled", ended_at=date(2024, 1, 20)),
    sub("d2", "D", 40, MAR),
    sub("e1", "E", 60, date(2024, 3, 15)),
    sub("f1", "F", 1200, date(2024, 3, 20), interval="year"),
]


def test_vector_v7() -> None:
    [r] = compute(V7, USD, [MARCH])
    m = r.movements
    assert (m.new, m.expansion, m.contraction, m.churn, m.reactivation) == dec(160, 50, 80, 50, 40)
    assert (r.mrr_start, r.mrr, r.arr) == dec(350, 470, 5640)
    assert r.gross_mrr_churn is not None
    assert round(r.gross_mrr_churn, 4) == Decimal("0.3714")
    assert r.net_mrr_churn is not None
    assert round(r.net_mrr_churn, 4) == Decimal("0.1143")
    assert r.nrr is not None
    assert round(r.nrr, 4) == Decimal("0.7714")
    assert r.grr is not None
    assert round(r.grr, 4) == Decimal("0.6286")
    assert r.logo_churn is not None
    assert round(r.logo_churn, 4) == Decimal("0.3333")
    assert r.quick_ratio is not None
    assert round(r.quick_ratio, 2) == Decimal("1.92")


def test_stripe_example() -> None:
    monthly = [sub(f"m{i}", f"m{i}", 100, JAN) for i in range(100)]
    yearly = [sub(f"y{i}", f"y{i}", 600, JAN, interval="year") for i in range(50)]
    assert mrr_on(monthly + yearly, USD, date(2024, 2, 1)) == 12_500


def test_trials_free_and_unpaid_are_excluded() -> None:
    subs = [
        sub("t", "T", 100, JAN, status="trialing"),
        sub("u", "U", 100, JAN, status="unpaid"),
        sub("z", "Z", 0, JAN),
        sub("p", "P", 100, JAN, status="past_due"),
        sub("l", "L", 100, JAN, trial_end=date(2024, 2, 15)),
    ]
    assert mrr_on(subs, USD, date(2024, 2, 1)) == 100
    assert mrr_on(subs, USD, date(2024, 2, 15)) == 200


def test_quantity_and_interval_count_normalise() -> None:
    s = Sub("q", "Q", "USD", "month", JAN, (Item(None, Decimal(30), 4),), interval_count=3)
    assert mrr_on([s], USD, JAN) == 40


def test_churn_is_recognised_when_the_paid_period_ends() -> None:
    s = sub("c", "C", 50, date(2024, 1, 20), status="canceled", canceled_at=date(2024, 3, 25))
    assert paid_until(s) == date(2024, 4, 20)
    march, april = compute([s], USD, periods(date(2024, 3, 1), date(2024, 4, 30)))
    assert (march.movements.churn, april.movements.churn) == dec(0, 50)


def test_mixed_currencies_are_converted_and_a_missing_rate_is_named() -> None:
    eur = Sub("e", "E", "EUR", "month", JAN, (Item(None, Decimal(100)),))
    gbp = Sub("g", "G", "gbp", "month", JAN, (Item(None, Decimal(100)),))
    assert mrr_on([eur], {"USD": Decimal(1), "EUR": Decimal("1.08")}, JAN) == 108
    with pytest.raises(MissingRate) as caught:
        mrr_on([eur, gbp], {"USD": Decimal(1), "EUR": Decimal("1.08")}, JAN)
    assert "GBP" in str(caught.value)
    assert "g" in caught.value.missing["GBP"]


def test_scope_counts_only_the_items_of_its_products() -> None:
    both = Sub("s", "S", "USD", "month", JAN, (Item(1, Decimal(10)), Item(2, Decimal(5))))
    assert mrr_on([both], USD, JAN, Scope(frozenset({2}))) == 5
    assert mrr_on([both], USD, JAN, Scope(frozenset({1, 2}))) == 15


def test_periods_by_grain() -> None:
    quarters = periods(date(2024, 2, 10), date(2024, 7, 1), "quarter")
    assert [p.start for p in quarters] == [date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1)]
    with pytest.raises(ValueError, match="grain"):
        periods(JAN, JAN, "fortnight")


day = st.dates(min_value=date(2023, 1, 1), max_value=date(2024, 12, 31))
random_sub = st.builds(
    lambda i, c, amount, start, length, interval, status, product: Sub(
        f"s{i}",
        f"c{c}",
        "USD",
        interval,
        start,
        (Item(product, Decimal(amount)),),
        status=status,
        ended_at=None if length is None else start + timedelta(days=length),
    ),
    st.integers(0, 10_000),
    st.integers(0, 6),
    st.integers(0, 500),
    day,
    st.none() | st.integers(0, 400),
    st.sampled_from(["month", "year", "week"]),
    st.sampled_from(["active", "canceled", "past_due", "trialing"]),
    st.sampled_from([None, 1, 2]),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(random_sub, max_size=12), st.sampled_from([None, frozenset({1}), frozenset({1, 2})])
)
def test_mrr_bridge_always_holds(subs: list[Sub], products: frozenset[int] | None) -> None:
    spans = periods(date(2023, 1, 1), date(2024, 12, 31))
    results = compute(subs, USD, spans, Scope(products))
    for previous, r in itertools.pairwise(results):
        assert r.mrr_start == previous.mrr
    for r in results:
        m = r.movements
        bridge = r.mrr_start + m.new + m.expansion + m.reactivation - m.contraction - m.churn
        assert r.mrr == bridge
        assert min(m.new, m.expansion, m.contraction, m.churn, m.reactivation) >= 0


def test_billing_boundaries_clamp_to_the_month_end() -> None:
    s = sub("j", "J", 10, date(2024, 1, 31), status="canceled", canceled_at=date(2024, 2, 10))
    assert paid_until(s) == date(2024, 2, 29)
    y = sub("y", "Y", 120, date(2024, 2, 29), interval="year", canceled_at=date(2024, 6, 1))
    assert paid_until(y) == date(2025, 2, 28)
