"""Anonymous page views: people looking at the public pages before signing up (the founders of
new accounts, whose anonymous id is later identified) and visitors who never sign up."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pyarrow as pa

from quarterdeck.demo.events_catalog import DEMO_PRODUCT_SOURCES, MOBILE_PRODUCTS, PUBLIC_PAGES
from quarterdeck.demo.events_population import REGIONS, Account, User
from quarterdeck.demo.events_story import ProductLife, Window
from quarterdeck.demo.events_tables import MICROS_PER_DAY, day_micros, page_props

VISITORS_PER_DAY = 110  # at scale 1, on a weekday
COLUMNS = (
    "event_id",
    "source_id",
    "type",
    "event",
    "user_id",
    "anonymous_id",
    "account_id",
    "time_us",
    "received_at_us",
    "properties",
    "traits",
)


class Visits:
    def __init__(self, rng: random.Random, window: Window) -> None:
        self.rng = rng
        self.window = window
        self.rows: list[tuple[Any, ...]] = []

    def session(self, anonymous_id: str, product: str, day: int, region: str) -> None:
        """A few public pages on one day, in the visitor's afternoon or evening."""
        rng = self.rng
        local = rng.randint(8 * 3600, 21 * 3600)
        moment = day_micros(self.window.date(day)) + (local - REGIONS[region] * 3600) * 1_000_000
        for number in range(rng.randint(1, 4)):
            path, title = rng.choice(PUBLIC_PAGES if number else PUBLIC_PAGES[:2])
            moment += rng.randint(5, 180) * 1_000_000
            self.rows.append(
                (
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    DEMO_PRODUCT_SOURCES[product],
                    "page",
                    "Page Viewed",
                    None,
                    anonymous_id,
                    None,
                    moment,
                    moment + rng.randint(40_000, 3_000_000),
                    page_props(product, path, title),
                    None,
                )
            )

    def table(self) -> pa.Table:
        end = day_micros(self.window.end) + MICROS_PER_DAY
        start = day_micros(self.window.start)
        rows = [row for row in self.rows if start <= row[7] < end]
        types = {name: pa.int64() if name.endswith("_us") else pa.string() for name in COLUMNS}
        return pa.table(
            {
                name: pa.array([row[i] for row in rows], types[name])
                for i, name in enumerate(COLUMNS)
            }
        )


def _before_signing_up(visits: Visits, users: list[User], accounts: list[Account]) -> None:
    rng = visits.rng
    for user in users:
        if not user.founder or user.primary in MOBILE_PRODUCTS or rng.random() > 0.8:
            continue
        days = {user.created - rng.randint(1, 10) for _ in range(rng.randint(1, 3))}
        for day in sorted(d for d in days if d >= 0):
            visits.session(user.anonymous_id, user.primary, day, accounts[user.account].region)


def _passing_by(visits: Visits, lives: dict[str, ProductLife], scale: float) -> None:
    rng, window = visits.rng, visits.window
    for day in range(window.days):
        products = [
            name
            for name, life in lives.items()
            if life.everyone_from <= day and name not in MOBILE_PRODUCTS
        ]
        weekend = window.date(day).weekday() >= 5
        count = max(1, round(VISITORS_PER_DAY * scale * (0.4 if weekend else 1.0)))
        for _ in range(rng.randint(count * 4 // 5, count * 6 // 5 + 1)):
            anonymous_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            region = rng.choice(list(REGIONS))
            visits.session(anonymous_id, rng.choice(products), day, region)


def visitor_rows(
    rng: random.Random,
    users: list[User],
    accounts: list[Account],
    lives: dict[str, ProductLife],
    window: Window,
    scale: float,
) -> pa.Table:
    visits = Visits(rng, window)
    _before_signing_up(visits, users, accounts)
    _passing_by(visits, lives, scale)
    return visits.table()
