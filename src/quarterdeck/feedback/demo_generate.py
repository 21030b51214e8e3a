"""Harborline's demo feedback, generated: about three thousand items over the last nine months
from the demo's own customer accounts (the accounts of the demo events and revenue), worded from
the phrase banks in demo_texts.py so that the themes a clustering finds tell the demo's story.

Pure and deterministic: no database, the same day and seed give the same items. Every item
remembers the topic and feature it was written from, so the loader can accept the right links
without asking the model (and the model's suggestions can be judged honestly).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from typing import Final

from quarterdeck.demo.events import DEFAULT_DAYS, DEFAULT_SEED, demo_event_scale
from quarterdeck.demo.events_catalog import SEGMENT_PRODUCTS
from quarterdeck.demo.events_names import FIRST_NAMES, LAST_NAMES
from quarterdeck.demo.events_population import Account, make_accounts, usable_from
from quarterdeck.demo.events_story import ProductLife, Window, feature_lives, product_lives
from quarterdeck.feedback import demo_texts as texts
from quarterdeck.feedback import demo_wording as words
from quarterdeck.feedback.demo_texts import Topic
from quarterdeck.feedback.demo_wording import Contact

DAYS: Final = 270  # about nine months
OUTAGE_AGO: Final = 120  # the DriverHub outage month starts here, as in surveys/demo.py
OUTAGE_DAYS: Final = 30
DUPLICATE_SHARE: Final = 0.03
RECENT_DAYS: Final = 14  # items this young are mostly still new
PLAN_WEIGHT: Final = {"starter": 1.0, "growth": 1.6, "enterprise": 2.4}
PORTAL_LINES: Final = {
    "RouteIQ": "Transport", "DriverHub": "Transport", "Telematics Connect": "Transport",
    "LoadBoard": "Transport", "RateDesk": "Transport",
    "DockFlow": "Warehouse", "PickPath": "Warehouse", "StockSight": "Warehouse",
}  # fmt: skip
SOURCES: Final = {  # tone → source → weight
    "pain": {"support": 45, "email": 25, "form": 15, "sales": 5, "portal": 10},
    "ask": {"portal": 25, "sales": 25, "email": 20, "form": 18, "support": 12},
    "praise": {"email": 35, "form": 25, "sales": 20, "portal": 10, "support": 10},
    "worry": {"email": 40, "sales": 35, "support": 15, "form": 10},
}
TAGS: Final = {"pain": "bug", "ask": "feature-request", "praise": "praise", "worry": "churn-risk"}


@dataclass(frozen=True)
class DemoItem:
    key: str  # external id, unique
    text: str
    source: str
    topic: str
    product: str | None
    feature: str | None  # the feature the story links it to
    account: str
    account_name: str
    segment: str
    plan: str
    submitter: Contact
    received_at: dt.datetime
    tags: tuple[str, ...]
    importance: str
    accept: bool  # accept the story link when loading
    status: str  # the status to leave it in when not linked
    portal_line: str | None  # public on this line's portal
    duplicate_of: str | None  # key of the item it re-sends


@dataclass(frozen=True)
class DemoVote:
    item: str
    voter: Contact


@dataclass(frozen=True)
class DemoSet:
    items: tuple[DemoItem, ...]
    votes: tuple[DemoVote, ...]
    first_day: dt.date
    last_day: dt.date


@dataclass(frozen=True)
class _Story:
    window: Window
    lives: dict[str, ProductLife]
    launches: dict[str, int]  # feature name → day index it launched
    customers: tuple[Account, ...]
    first: int  # day index of the first feedback day
    now: dt.datetime


def contacts(account: Account) -> tuple[Contact, ...]:
    """The people at an account who write in (and vote), seeded by its id."""
    rng = random.Random(account.account_id)  # noqa: S311 - made-up demo people
    count = min(5, 2 + account.seats // 40)
    found: dict[str, Contact] = {}
    while len(found) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first}.{last}@{account.domain}".lower()
        found.setdefault(email, Contact(f"{first} {last}", email))
    return tuple(found.values())


def _is_customer(account: Account, story: _Story) -> bool:
    """Whether the revenue demo bills it: some product usable before the account churns."""
    last = story.window.last
    for product in account.products:
        start = max(
            account.created, usable_from(story.lives[product], product in account.partner_of)
        )
        if start <= last and start < account.churn:
            return True
    return False


def _story(today: dt.date, now: dt.datetime | None, seed: int, scale: float | None) -> _Story:
    # The very window and generator of revenue/demo.py, so the accounts are the same ones.
    window = Window(today, DEFAULT_DAYS)
    lives = product_lives(window)
    rng = random.Random(f"harborline-events:{seed}")  # noqa: S311 - made-up demo data
    accounts = make_accounts(rng, lives, window, scale or demo_event_scale())
    launches = {life.name: life.launch for life in feature_lives(window)}
    moment = now or dt.datetime.combine(today, dt.time(18), tzinfo=dt.UTC)
    story = _Story(window, lives, launches, (), window.last - DAYS + 1, moment)
    return replace(story, customers=tuple(a for a in accounts if _is_customer(a, story)))


def _between(rng: random.Random, low: int, high: int, skew: float = 1.0) -> int:
    low, high = min(low, high), max(low, high)
    return low + round((high - low) * float(rng.random() ** skew))


def _day(rng: random.Random, topic: Topic, story: _Story) -> int:
    """A day index for an item of this topic, following its ``when``."""
    first, last = story.first, story.window.last
    kind, _, name = topic.when.partition(":")
    if kind == "outage" and rng.random() < 0.9:
        start = last - OUTAGE_AGO
        return start + round(
            OUTAGE_DAYS * float(rng.random() ** 2.2)
        )  # the first days are the worst
    if kind == "rising":
        return _between(rng, first, last, 0.55)
    if kind == "after":
        return _between(rng, max(first, story.launches.get(name, first)), last, 1.3)
    if kind == "beta":
        life = story.lives[name]
        start, launch = max(first, life.partners_from), min(life.everyone_from, last)
        if launch >= last or rng.random() < 0.3:
            return _between(rng, start, launch)
        return _between(rng, launch, last)
    return _between(rng, first, last, 0.85)  # volume grows with the customer base


def _fits(account: Account, topic: Topic, day: int, story: _Story) -> bool:
    if not account.created <= day < account.churn:
        return False
    if topic.segments and account.segment not in topic.segments:
        return False
    if not topic.product:
        return True
    if topic.product not in account.products:
        # A product nobody has yet (in discovery) is still asked for by the segments it targets.
        return topic.tone == "ask" and topic.product in SEGMENT_PRODUCTS[account.segment]
    usable = usable_from(story.lives[topic.product], topic.product in account.partner_of)
    return usable <= day or topic.tone in ("ask", "worry")  # prospects ask before they can use


def _account(rng: random.Random, topic: Topic, day: int, story: _Story) -> Account | None:
    fits = [a for a in story.customers if _fits(a, topic, day, story)]
    if not fits:
        return None
    return rng.choices(fits, [PLAN_WEIGHT[a.plan] for a in fits])[0]


def _source(rng: random.Random, topic: Topic) -> str:
    weights = dict(SOURCES[topic.tone])
    if PORTAL_LINES.get(topic.product) is None:
        weights.pop("portal", None)
    return rng.choices(list(weights), list(weights.values()))[0]


def _importance(rng: random.Random, topic: Topic, account: Account) -> str:
    if topic.tone == "praise":
        return "nice_to_have"
    big = account.plan == "enterprise"
    if topic.tone in ("pain", "worry"):
        return "critical" if big or topic.when == "outage" else "important"
    return rng.choice(("important", "critical") if big else ("nice_to_have", "important"))


def _status(rng: random.Random, topic: Topic, age: int) -> str:
    if age < RECENT_DAYS:
        return "new" if rng.random() < 0.85 else "triaged"
    closed = 0.7 if topic.when == "outage" else 0.3
    draw = rng.random()
    return "closed" if draw < closed else "triaged" if draw < closed + 0.45 else "new"


def _moment(rng: random.Random, day: int, story: _Story) -> dt.datetime:
    date = story.window.date(day)
    at = dt.datetime.combine(date, dt.time(7 + rng.randrange(11), rng.randrange(60)), dt.UTC)
    return min(at, story.now - dt.timedelta(minutes=rng.randrange(5, 600)))


def _item(rng: random.Random, n: int, topic: Topic, story: _Story) -> DemoItem | None:
    day = _day(rng, topic, story)
    account = _account(rng, topic, day, story)
    if account is None:
        return None
    people = contacts(account)
    sender = people[0] if rng.random() < 0.4 else rng.choice(people)
    source = _source(rng, topic)
    age = story.window.last - day
    tags = {TAGS[topic.tone], *(["outage"] if topic.when == "outage" else [])}
    tags |= {"enterprise"} if account.plan == "enterprise" else set()
    accept = topic.feature is not None and rng.random() < (0.36 if age >= RECENT_DAYS else 0.1)
    return DemoItem(
        key=f"demo:{n:05d}", source=source,
        text=words.item_text(rng, topic, source, account, sender),
        topic=topic.key, product=topic.product or None, feature=topic.feature,
        account=account.account_id, account_name=account.name, segment=account.segment,
        plan=account.plan, submitter=sender, received_at=_moment(rng, day, story),
        tags=tuple(sorted(tags)), importance=_importance(rng, topic, account), accept=accept,
        status=_status(rng, topic, age), duplicate_of=None,
        portal_line=PORTAL_LINES.get(topic.product) if source == "portal" else None,
    )  # fmt: skip


def _resend(rng: random.Random, n: int, item: DemoItem, story: _Story) -> DemoItem:
    """The same request again a few days later, by the sender or a colleague, lightly reworded."""
    account = next(a for a in story.customers if a.account_id == item.account)
    sender = item.submitter if rng.random() < 0.6 else rng.choice(contacts(account))
    core = item.text if len(item.text) < 400 else item.text[:400].rsplit(" ", 1)[0]
    text = f"{rng.choice(words.RESEND)} {core}" if rng.random() < 0.5 else words.reword(core)
    latest = story.now - dt.timedelta(minutes=rng.randrange(1, 120))
    later = max(
        item.received_at, min(item.received_at + dt.timedelta(days=rng.uniform(0.2, 9)), latest)
    )
    return replace(
        item, key=f"demo:{n:05d}", text=text, submitter=sender, received_at=later,
        accept=False, status="new", portal_line=None, duplicate_of=item.key,
        source="email" if item.source == "portal" else item.source,
    )  # fmt: skip


def _votes(rng: random.Random, items: list[DemoItem], story: _Story) -> list[DemoVote]:
    votes = []
    for item in items:
        if item.portal_line is None:
            continue
        pool = [a for a in story.customers if item.product in a.products]
        voters = {c for a in rng.sample(pool, min(len(pool), 8)) for c in contacts(a)[:1]}
        for voter in sorted(voters, key=lambda c: c.email)[: rng.choice((0, 1, 2, 3, 5, 8))]:
            votes.append(DemoVote(item.key, voter))
    return votes


def generate_feedback(
    *,
    today: dt.date,
    now: dt.datetime | None = None,
    seed: int = DEFAULT_SEED,
    count: int = 3000,
    scale: float | None = None,
) -> DemoSet:
    """``count`` items (about 3 % of them re-sent near-duplicates), oldest first."""
    story = _story(today, now, seed, scale)
    rng = random.Random(f"harborline-feedback:{seed}")  # noqa: S311 - made-up demo data
    base = count - round(count * DUPLICATE_SHARE)
    weights = [t.weight for t in texts.TOPICS]
    items: list[DemoItem] = []
    while len(items) < base:
        made = _item(rng, len(items), rng.choices(texts.TOPICS, weights)[0], story)
        items.extend([made] if made else [])
    for original in rng.sample(items, count - base):
        items.append(_resend(rng, len(items), original, story))
    items.sort(key=lambda i: i.received_at)
    first = story.window.date(story.first)
    return DemoSet(tuple(items), tuple(_votes(rng, items, story)), first, today)
