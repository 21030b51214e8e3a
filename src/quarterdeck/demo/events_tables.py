"""The small Arrow tables the SQL in events_sql.py expands into millions of events: days, users
(with their accounts folded in), and per product and day the "outcomes" an event can have —
a page view or a feature event — with their odds and the share of users who use each feature.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyarrow as pa

from quarterdeck.demo.events_catalog import (
    APP_URL,
    DEMO_FEATURE_EVENTS,
    DEMO_PRODUCT_SOURCES,
    LAUNCHED_FEATURE,
    MOBILE_PRODUCTS,
    PRODUCT_PAGES,
)
from quarterdeck.demo.events_population import REGIONS, Account, User
from quarterdeck.demo.events_story import (
    NEVER,
    FeatureLife,
    ProductLife,
    Window,
    feature_reach,
    product_trend,
    successor_launch,
)

PRODUCTS = tuple(DEMO_PRODUCT_SOURCES)
MICROS_PER_DAY = 86_400_000_000


def to_json(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def slug(product: str) -> str:
    return product.lower().replace(" ", "-")


def day_micros(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days * MICROS_PER_DAY


def page_props(product: str, path: str, title: str) -> str:
    if product in MOBILE_PRODUCTS:
        return to_json({"product": product, "screen": title})
    return to_json(
        {
            "product": product,
            "path": path,
            "url": f"{APP_URL}/{slug(product)}{path}",
            "title": title,
        }
    )


def days_table(window: Window) -> pa.Table:
    dates = [window.date(i) for i in range(window.days)]
    return pa.table(
        {
            "day": list(range(window.days)),
            "day_us": [day_micros(d) for d in dates],
            "weekend": [d.weekday() >= 5 for d in dates],
        }
    )


def _feature_weight(life: FeatureLife) -> float:
    if (life.product, life.name) == LAUNCHED_FEATURE:
        return 2.0
    return 1.4 if life.stage == "mature" else 1.0


class Outcomes:
    """Numbered outcomes (what one activity row is) and, per product and day, their odds."""

    def __init__(self) -> None:
        self.info: dict[str, list[Any]] = {
            k: [] for k in ("outcome", "type", "event", "props", "source_id", "sends_account")
        }
        self.odds: dict[str, list[Any]] = {
            k: [] for k in ("product", "day", "lo", "outcome", "reach", "feature", "pages_lo")
        }
        self.pages_lo: dict[str, int] = {}
        self.pages_count: dict[str, int] = {}

    def add(self, product: str, kind: str, event: str, props: str) -> int:
        number = len(self.info["outcome"])
        sends_account = kind == "track" and product not in MOBILE_PRODUCTS
        for key, value in zip(
            self.info,
            (number, kind, event, props, DEMO_PRODUCT_SOURCES[product], sends_account),
            strict=True,
        ):
            self.info[key].append(value)
        return number

    def add_pages(self, product: str) -> None:
        mobile = product in MOBILE_PRODUCTS
        kind, event = ("screen", "Screen Viewed") if mobile else ("page", "Page Viewed")
        self.pages_lo[product] = len(self.info["outcome"])
        self.pages_count[product] = len(PRODUCT_PAGES[product])
        for path, title in PRODUCT_PAGES[product]:
            self.add(product, kind, event, page_props(product, path, title))

    def add_day(self, product: str, day: int, choices: list[tuple[int, float, float, int]]) -> None:
        """``choices``: (outcome, weight, reach, feature number or -1) for one product-day."""
        total = sum(weight for _, weight, _, _ in choices)
        lo = 0.0
        for outcome, weight, reach, feature in choices:
            row = (
                PRODUCTS.index(product),
                day,
                lo,
                outcome,
                reach,
                feature,
                self.pages_lo[product],
            )
            for key, value in zip(self.odds, row, strict=True):
                self.odds[key].append(value)
            lo += weight / total

    def tables(self) -> tuple[pa.Table, pa.Table]:
        odds = pa.table(self.odds)
        counts = [self.pages_count[PRODUCTS[p]] for p in self.odds["product"]]
        return pa.table(self.info), odds.append_column("pages_count", pa.array(counts))


def outcome_tables(
    lives: dict[str, ProductLife], features: list[FeatureLife], window: Window
) -> tuple[pa.Table, pa.Table]:
    outcomes = Outcomes()
    for product in PRODUCTS:
        if lives[product].partners_from >= NEVER:
            continue
        outcomes.add_pages(product)
        mine = [(i, f) for i, f in enumerate(features) if f.product == product]
        numbers = {
            i: outcomes.add(
                product,
                "track",
                DEMO_FEATURE_EVENTS[(product, f.name)].event,
                to_json({"product": product, "feature": f.name}),
            )
            for i, f in mine
        }
        successors = {i: successor_launch(f, features) for i, f in mine}
        for day in range(window.days):
            pages = outcomes.pages_lo[product]
            choices = [(pages + n, 0.5, 1.0, -1) for n in range(outcomes.pages_count[product])]
            for i, life in mine:
                reach = feature_reach(life, day, window.last, successors[i])
                if reach > 0:
                    choices.append((numbers[i], _feature_weight(life), reach, i))
            outcomes.add_day(product, day, choices)
    return outcomes.tables()


def product_days_table(lives: dict[str, ProductLife], window: Window) -> pa.Table:
    rows = [
        (index, day, product_trend(lives[name], day, window.last))
        for index, name in enumerate(PRODUCTS)
        for day in range(window.days)
    ]
    return pa.table(
        {
            "product": [r[0] for r in rows],
            "day": [r[1] for r in rows],
            "trend": [r[2] for r in rows],
        }
    )


def _traits(user: User, account: Account, window: Window) -> tuple[str, str, str]:
    joined = window.date(user.created).isoformat()
    identify = {"email": user.email, "name": user.name, "created_at": joined}
    group = {
        "name": account.name,
        "plan": account.plan,
        "seats": account.seats,
        "industry": account.segment,
        "region": account.region,
    }
    method = "self-serve" if user.founder else "invite"
    signup = {"product": user.primary, "plan": account.plan, "method": method}
    return to_json(identify), to_json(group), to_json(signup)


def users_table(users: list[User], accounts: list[Account], window: Window) -> pa.Table:
    columns: dict[str, list[Any]] = {}
    for user in users:
        account = accounts[user.account]
        traits, account_traits, signup_props = _traits(user, account, window)
        offset = REGIONS[account.region] * 3600
        row = {
            "user_idx": user.index,
            "user_id": user.user_id,
            "anon_id": user.anonymous_id,
            "account_id": account.account_id,
            "source_id": DEMO_PRODUCT_SOURCES[user.primary],
            "primary_idx": PRODUCTS.index(user.primary),
            "secondary_idx": PRODUCTS.index(user.secondary) if user.secondary else -1,
            "secondary_from": user.secondary_from,
            "start_day": user.created,
            "stop_day": user.stop,
            "churn_day": account.churn,
            "active_rate": user.active_rate,
            "weekend_factor": user.weekend_factor,
            "events_mean": user.events_mean,
            "salt": user.salt,
            "tz_sec": offset,
            "signup_sec": 8 * 3600 + (user.salt % (9 * 3600)),
            "is_new": user.created >= 0,
            "traits": traits,
            "account_traits": account_traits,
            "signup_props": signup_props,
        }
        for key, value in row.items():
            columns.setdefault(key, []).append(value)
    return pa.table(columns)
