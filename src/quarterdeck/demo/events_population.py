"""Harborline's customers for the demo events: accounts (B2B customers with a plan and seats)
and their users, with when they joined, which products they use, and when some of them left.

Deterministic: everything comes from ``random.Random`` seeded with the demo seed.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace

from quarterdeck.demo.events_catalog import SEGMENT_PRODUCTS, SEGMENT_SHARES
from quarterdeck.demo.events_names import FIRST_NAMES, LAST_NAMES, PREFIXES, SUFFIXES
from quarterdeck.demo.events_story import NEVER, ProductLife, Window

BASE_ACCOUNTS = 560  # at scale 1
MIN_ACCOUNTS = 16
PLANS = {  # plan → (share, fewest seats, most seats); enterprise shippers skew larger
    "starter": (0.55, 3, 12),
    "growth": (0.33, 15, 60),
    "enterprise": (0.12, 60, 250),
}
REGIONS = {"Europe": 1, "US East": -5, "US Central": -6, "US West": -8}  # UTC offset, hours
OPERATIONS = frozenset({"DriverHub", "DockFlow", "PickPath"})  # busy at weekends too


@dataclass(frozen=True)
class Account:
    index: int
    account_id: str
    name: str
    domain: str
    segment: str
    plan: str
    seats: int
    region: str
    products: tuple[str, ...]
    partner_of: frozenset[str]  # design partner for these products (early access)
    created: int  # day index (negative: a customer before the window)
    churn: int  # day index from which the account is gone (NEVER: stays)


@dataclass(frozen=True)
class User:
    index: int
    user_id: str
    anonymous_id: str
    account: int
    name: str
    email: str
    primary: str
    secondary: str | None
    secondary_from: int
    created: int  # day index it signed up; negative: before the window
    stop: int  # first day index without activity (left the company, or the account churned)
    active_rate: float  # chance of being active on a weekday
    weekend_factor: float
    events_mean: float
    salt: int  # seeds the per-user randomness in SQL; unique, so event ids are unique
    founder: bool  # signed the account up (and looked around anonymously first)


def usable_from(product: ProductLife, partner: bool) -> int:
    return product.partners_from if partner else product.everyone_from


def _quota(rng: random.Random, count: int) -> list[str]:
    """Segments in proportion to their shares even for a handful of accounts, shuffled."""
    raw = {segment: share * count for segment, share in SEGMENT_SHARES.items()}
    taken = {segment: int(value) for segment, value in raw.items()}
    by_rest = sorted(raw, key=lambda s: taken[s] - raw[s])
    for segment in by_rest[: count - sum(taken.values())]:
        taken[segment] += 1
    segments = [segment for segment, n in taken.items() for _ in range(n)]
    rng.shuffle(segments)
    return segments


def _plan(rng: random.Random, segment: str) -> tuple[str, int]:
    weights = [share for share, _, _ in PLANS.values()]
    if segment == "Enterprise shippers":
        weights = [0.1, 0.4, 0.5]
    plan = rng.choices(list(PLANS), weights)[0]
    _, low, high = PLANS[plan]
    return plan, rng.randint(low, high)


def _products(rng: random.Random, segment: str, lives: dict[str, ProductLife]) -> tuple[str, ...]:
    chosen = []
    for name in SEGMENT_PRODUCTS[segment]:
        optional = name in ("EDI Gateway", "Connect API") and rng.random() < 0.4
        if lives[name].partners_from < NEVER and not optional:
            chosen.append(name)
    return tuple(chosen)


def _created(rng: random.Random, first_usable: int, window: Window) -> int:
    if first_usable > 0:  # came for a product launched in the window (some after the window)
        return first_usable + int(rng.expovariate(1 / 20))
    if rng.random() < 0.72:
        return -rng.randint(30, 900)
    return int(window.last * rng.random() ** 0.6)  # sign-ups pick up over the window


def _account(
    rng: random.Random, index: int, segment: str, lives: dict[str, ProductLife], window: Window
) -> Account:
    plan, seats = _plan(rng, segment)
    products = _products(rng, segment, lives)
    first = min(usable_from(lives[name], False) for name in products)
    name = f"{rng.choice(PREFIXES)} {rng.choice(SUFFIXES[segment])}"
    return Account(
        index=index,
        account_id=f"acct_{rng.getrandbits(40):010x}",
        name=name,
        domain=name.lower().replace(" ", "") + ".example",
        segment=segment,
        plan=plan,
        seats=seats,
        region=rng.choices(list(REGIONS), [0.45, 0.3, 0.15, 0.1])[0],
        products=products,
        partner_of=frozenset(),
        created=_created(rng, first, window),
        churn=NEVER,
    )


def _with_partners(
    rng: random.Random, accounts: list[Account], lives: dict[str, ProductLife]
) -> list[Account]:
    """Make a few customers design partners of each product still in beta; they are customers
    from before the window, who use the product from its build day."""
    for product in lives.values():
        if product.partners_from >= product.everyone_from:
            continue
        fits = [a.index for a in accounts if product.name in a.products]
        for index in rng.sample(fits, min(len(fits), max(1, len(accounts) // 60))):
            old = accounts[index]
            created = min(old.created, product.partners_from - 30, -rng.randint(30, 400))
            accounts[index] = replace(
                old, partner_of=old.partner_of | {product.name}, created=created
            )
    return accounts


def _with_churn(rng: random.Random, accounts: list[Account], window: Window) -> list[Account]:
    """Some customers leave partway through the window: mostly small ones, never brand-new."""
    fits = [a for a in accounts if a.created < window.last // 3 and not a.partner_of]
    count = min(len(fits), max(2, round(len(accounts) * 0.08)))
    weights = [3.0 if a.plan == "starter" else 1.0 for a in fits]
    chosen: set[int] = set()
    while len(chosen) < count:
        chosen.add(rng.choices(fits, weights)[0].index)
    for index in sorted(chosen):
        old = accounts[index]
        low = max(old.created, 0) + window.days // 6
        accounts[index] = replace(old, churn=rng.randint(low, window.last - window.days // 12))
    return accounts


def make_accounts(
    rng: random.Random, lives: dict[str, ProductLife], window: Window, scale: float
) -> list[Account]:
    count = max(MIN_ACCOUNTS, round(BASE_ACCOUNTS * scale))
    segments = _quota(rng, count)
    accounts = [_account(rng, i, seg, lives, window) for i, seg in enumerate(segments)]
    accounts = _with_partners(rng, accounts, lives)
    return _with_churn(rng, accounts, window)


def _primary(rng: random.Random, usable: dict[str, int], joined: int) -> str:
    """The product a user mainly works in: one they could use when they joined if any (people
    do not switch when another product launches; they add it as a second one)."""
    names = [p for p, day in usable.items() if p != "EDI Gateway" and day <= max(joined, 0)]
    names = names or [p for p, day in usable.items() if day < NEVER]
    weights = [3.0 if i == 0 else 0.6 if p == "Connect API" else 1.5 for i, p in enumerate(names)]
    return rng.choices(names, weights)[0]


def _secondary(rng: random.Random, usable: dict[str, int], primary: str) -> str | None:
    others = [p for p, day in usable.items() if p != primary and day < NEVER]
    return rng.choice(others) if others and rng.random() < 0.35 else None


def _joined(rng: random.Random, account: Account, founder: bool, window: Window) -> int:
    if founder and account.created >= 0:
        return account.created
    if account.created >= 0:
        return account.created + int(rng.expovariate(1 / 12))
    if rng.random() < 0.88:
        return rng.randint(account.created, -1)
    return rng.randint(0, window.last)


def _person(rng: random.Random, account: Account, taken: set[str]) -> tuple[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{first}.{last}".lower()
    email, number = f"{local}@{account.domain}", 2
    while email in taken:
        email, number = f"{local}{number}@{account.domain}", number + 1
    taken.add(email)
    return f"{first} {last}", email


def _user(
    rng: random.Random,
    index: int,
    account: Account,
    lives: dict[str, ProductLife],
    window: Window,
    founder: bool,
    taken: set[str],
) -> User:
    usable = {p: usable_from(lives[p], p in account.partner_of) for p in account.products}
    joined = _joined(rng, account, founder, window)
    primary = _primary(rng, usable, joined)
    secondary = _secondary(rng, usable, primary)
    if usable[primary] > joined:  # waited for the product to launch; colleagues follow over weeks
        joined = usable[primary] + (0 if founder else int(rng.expovariate(1 / 15)))
    created = joined
    leaves = created + rng.randint(14, 240) if rng.random() < 0.1 else NEVER
    name, email = _person(rng, account, taken)
    kind = rng.random()
    return User(
        index=index,
        user_id=f"usr_{rng.getrandbits(48):012x}",
        anonymous_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        account=account.index,
        name=name,
        email=email,
        primary=primary,
        secondary=secondary,
        secondary_from=usable[secondary] if secondary else NEVER,
        created=created,
        stop=min(leaves, account.churn),
        active_rate=0.85 if kind < 0.2 else 0.5 if kind < 0.7 else 0.15,
        weekend_factor=0.45 if primary in OPERATIONS else 0.12,
        events_mean=4.0 + 12.0 * rng.random() ** 2,
        salt=rng.getrandbits(62),
        founder=founder and account.created >= 0,
    )


def make_users(
    rng: random.Random,
    accounts: list[Account],
    lives: dict[str, ProductLife],
    window: Window,
    scale: float,
) -> list[User]:
    """The users of every account: a share of its seats (fewer at small scales)."""
    users: list[User] = []
    per_seat = min(1.0, scale**0.5)
    for account in accounts:
        taken: set[str] = set()
        count = max(1, round(account.seats * rng.uniform(0.6, 0.95) * per_seat))
        for number in range(count):
            user = _user(rng, len(users), account, lives, window, number == 0, taken)
            if user.created <= window.last and user.created < user.stop:
                users.append(user)
    return users
