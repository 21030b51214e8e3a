"""Harborline's revenue for the demo: the accounts of the demo events (same account ids, plans,
seats, products, sign-up and churn days; demo/events_population.py) as customers paying for
their products per seat.

The story: accounts that churn in the events (about 8 %) cancel their subscriptions on that day;
new accounts arrive faster over time; broker accounts buy LoadBoard once it launches; one in
five staying accounts adds seats partway (expansion) and a few drop some (contraction);
enterprise accounts pay yearly; European 3PL and retail customers pay in EUR (rate 1.08); the
newest accounts are still trialing. Deterministic for a given end date, seed and scale.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from django.db import transaction

from quarterdeck.demo.events import DEFAULT_DAYS, DEFAULT_SEED, demo_event_scale
from quarterdeck.demo.events_population import Account, make_accounts, usable_from
from quarterdeck.demo.events_story import NEVER, ProductLife, Window, product_lives
from quarterdeck.portfolio.models import Product
from quarterdeck.revenue import services
from quarterdeck.revenue.models import Customer
from quarterdeck.revenue.selectors import reporting_currency

# List price per seat and month (USD); flat-priced products have quantity 1.
PRICES: Final = {
    "RouteIQ": 39,
    "DriverHub": 12,
    "Telematics Connect": 18,
    "LoadBoard": 49,
    "RateDesk": 29,
    "DockFlow": 35,
    "PickPath": 22,
    "StockSight": 25,
    "Connect API": 300,
    "EDI Gateway": 450,
}
FLAT: Final = frozenset({"Connect API", "EDI Gateway"})
DISCOUNT: Final = {"starter": Decimal("1"), "growth": Decimal("0.9"), "enterprise": Decimal("0.8")}
EUR_RATE: Final = Decimal("1.08")
EUR_SEGMENTS: Final = frozenset({"3PLs", "Retail distribution centres"})
TRIAL_DAYS: Final = 14


@dataclass(frozen=True)
class Plan:
    """One subscription to write."""

    external_id: str
    product: str
    start: int  # day index
    end: int  # day index it ends (NEVER: open)
    seats: int


def _euro(account: Account) -> bool:
    return account.region == "Europe" and account.segment in EUR_SEGMENTS


def _amount(account: Account, product: str) -> Decimal:
    price = Decimal(PRICES.get(product, 20)) * DISCOUNT[account.plan]
    if account.plan == "enterprise":
        price *= 12  # billed yearly
    if _euro(account):
        price /= EUR_RATE
    return price.quantize(Decimal("1"))


def _plans(rng: random.Random, account: Account, start: int, product: str) -> list[Plan]:
    """The product's subscription, or two when the account changes its seats partway."""
    key = f"sub_{account.account_id}_{product.lower().replace(' ', '-')}"
    seats = 1 if product in FLAT else account.seats
    end = account.churn
    change = rng.random()
    if product in FLAT or end < NEVER or change > 0.25:
        return [Plan(key, product, start, end, seats)]
    day = start + rng.randint(30, 400)
    factor = 0.7 if change < 0.05 else 1.3
    return [
        Plan(key, product, start, day, seats),
        Plan(f"{key}_2", product, day, NEVER, max(1, round(seats * factor))),
    ]


def plans_for(
    account: Account, window: Window, lives: dict[str, ProductLife], rng: random.Random
) -> list[Plan]:
    found: list[Plan] = []
    for product in account.products:
        start = max(account.created, usable_from(lives[product], product in account.partner_of))
        if start <= window.last and start < account.churn:
            found.extend(_plans(rng, account, start, product))
    return found


def _write(account: Account, plans: list[Plan], window: Window, products: dict[str, int]) -> int:
    data = {"external_id": account.account_id, "name": account.name}
    customer = services.customer_create(actor=None, data=data | {"account_id": account.account_id})
    for plan in plans:
        trial = plan.start > window.last - TRIAL_DAYS
        ended = None if plan.end >= NEVER else window.date(plan.end)
        status = "canceled" if ended else "trialing" if trial else "active"
        item = {"product_id": products.get(plan.product), "amount": _amount(account, plan.product)}
        services.subscription_create(
            actor=None,
            data={
                "external_id": plan.external_id,
                "customer_id": customer.pk,
                "status": status,
                "currency": "EUR" if _euro(account) else "USD",
                "interval": "year" if account.plan == "enterprise" else "month",
                "started_at": window.date(plan.start),
                "trial_end": window.date(plan.start + TRIAL_DAYS) if trial else None,
                "ended_at": ended,
                "items": [item | {"quantity": plan.seats}],
            },
        )
    return len(plans)


def demo_revenue_ensure(
    *, end: dt.date | None = None, seed: int = DEFAULT_SEED, scale: float | None = None
) -> int:
    """Create the demo customers and subscriptions unless they exist; the number created."""
    window = Window(end or dt.datetime.now(dt.UTC).date(), DEFAULT_DAYS)
    # The same generator, seeded alike, as the demo events: the same accounts, first.
    rng = random.Random(f"harborline-events:{seed}")  # noqa: S311 - made-up demo data
    lives = product_lives(window)
    accounts = make_accounts(rng, lives, window, scale or demo_event_scale())
    if Customer.objects.filter(external_id=accounts[0].account_id).exists():
        return 0
    products = dict(Product.objects.values_list("name", "pk"))
    plan_rng = random.Random(f"harborline-revenue:{seed}")  # noqa: S311 - made-up demo data
    created = 0
    with transaction.atomic():
        if reporting_currency() != "EUR":
            services.rate_set(actor=None, currency="EUR", rate=EUR_RATE)
        for account in accounts:
            plans = plans_for(account, window, lives, plan_rng)
            if plans:
                created += _write(account, plans, window, products)
    return created
