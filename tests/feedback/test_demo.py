"""The demo feedback: the generator (pure, seeded) and, loaded once for the module, the inbox it
makes — themes that tell the story, duplicates found, suggestions and demand that make sense."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from quarterdeck.accounts.models import User
from quarterdeck.demo.events import DEFAULT_SEED
from quarterdeck.demo.services import demo_load
from quarterdeck.feedback import demo_generate as gen
from quarterdeck.feedback.demo import MERGED, DemoFeedback, demo_feedback_ensure
from quarterdeck.feedback.models import DuplicateCandidate, FeedbackItem, LoopNotice, Portal
from quarterdeck.portfolio.models import Product
from quarterdeck.revenue.demo import demo_revenue_ensure
from quarterdeck.revenue.models import Customer

NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()
SCALE = 0.25  # a quarter of the demo's accounts: the same story, loaded faster
COUNT = 900
EV_FEATURES = {"EV range-aware routing", "Charging stop planner"}


def generate(*, count: int = COUNT, seed: int = DEFAULT_SEED) -> gen.DemoSet:
    return gen.generate_feedback(today=TODAY, now=NOW, scale=SCALE, count=count, seed=seed)


# The generator ------------------------------------------------------------------------------


def test_generator_is_deterministic_for_a_seed() -> None:
    first, again = generate(count=300), generate(count=300)
    assert first == again
    assert generate(count=300, seed=7).items != first.items


def test_generator_sizes_sources_and_dates() -> None:
    demo = generate()
    items = demo.items
    assert len(items) == COUNT
    assert sum(1 for i in items if i.duplicate_of) == round(COUNT * gen.DUPLICATE_SHARE)
    assert {i.source for i in items} == {"support", "email", "sales", "portal", "form"}
    assert len({i.product for i in items if i.product}) == 10
    assert demo.first_day == TODAY - dt.timedelta(days=gen.DAYS - 1)
    assert all(demo.first_day <= i.received_at.date() and i.received_at < NOW for i in items)
    assert [i.received_at for i in items] == sorted(i.received_at for i in items)
    assert 0.15 < sum(i.accept for i in items) / len(items) < 0.35
    assert any(len(i.text) > 1000 for i in items), "a few very long e-mails"
    assert demo.votes
    assert all(v.item in {i.key for i in items if i.portal_line} for v in demo.votes)


def test_outage_reports_burst_in_the_outage_weeks() -> None:
    start = TODAY - dt.timedelta(days=gen.OUTAGE_AGO)
    outage = [i for i in generate().items if i.topic == "outage" and not i.duplicate_of]
    inside = [i for i in outage if start <= i.received_at.date() < start + dt.timedelta(days=30)]
    assert len(inside) / len(outage) > 0.8
    assert all(i.product == "DriverHub" for i in outage)


def test_resent_items_repeat_an_earlier_item_of_the_same_account() -> None:
    items = {i.key: i for i in generate().items}
    for item in (i for i in items.values() if i.duplicate_of):
        original = items[item.duplicate_of or ""]
        assert item.account == original.account
        assert item.received_at >= original.received_at


# The loaded inbox ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoFeedback]:
    """Demo company, revenue and feedback once for the module, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        demo_revenue_ensure(end=TODAY, scale=SCALE)
        result = demo_feedback_ensure(now=NOW, count=COUNT, scale=SCALE)
        assert result is not None
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def leader(loaded: DemoFeedback, db: None) -> Client:
    client = Client()
    client.force_login(User.objects.get(email="dana.reyes@harborline.example"))
    return client


def test_loading_twice_adds_nothing(loaded: DemoFeedback, db: None) -> None:
    assert loaded.items == COUNT
    assert demo_feedback_ensure(now=NOW, count=COUNT, scale=SCALE) is None
    assert FeedbackItem.objects.filter(external_id__startswith="demo:").count() == COUNT


def test_items_come_from_the_revenue_demo_accounts(loaded: DemoFeedback, db: None) -> None:
    accounts = set(FeedbackItem.objects.exclude(account="").values_list("account", flat=True))
    customers = set(Customer.objects.values_list("account_id", flat=True))
    assert accounts
    assert accounts <= customers


def listed(client: Client, url: str) -> list[dict[str, Any]]:
    body = client.get(url).json()
    return list(body["items"] if isinstance(body, dict) else body)  # paged or not


def _theme_items(theme_id: int) -> list[FeedbackItem]:
    return list(FeedbackItem.objects.filter(theme_id=theme_id).select_related("product"))


def test_largest_themes_tell_the_story(loaded: DemoFeedback, leader: Client) -> None:
    themes = listed(leader, "/api/v1/themes")
    largest = sorted(themes, key=lambda t: -t["size"])[:15]
    labels = " ".join(t["name"].lower() for t in largest)
    for words in (("crash", "login", "log"), ("onboarding", "compliance"), ("detention",)):
        assert any(w in labels for w in words), (words, labels)
    outage = next(
        t for t in largest if "crash" in t["name"].lower() or "login" in t["name"].lower()
    )
    items = _theme_items(outage["id"])
    start = NOW - dt.timedelta(days=gen.OUTAGE_AGO)
    driverhub = [i for i in items if i.product and i.product.name == "DriverHub"]
    in_outage = [i for i in items if start <= i.received_at < start + dt.timedelta(days=30)]
    assert len(driverhub) / len(items) > 0.9
    assert len(in_outage) / len(items) > 0.7


def test_resent_items_are_found_as_duplicates_and_some_merged(
    loaded: DemoFeedback, db: None
) -> None:
    resent = FeedbackItem.objects.filter(external_id__startswith="demo:")
    keys = {i.key: i.duplicate_of for i in generate().items if i.duplicate_of}
    by_key = {i.external_id: i.pk for i in resent}
    found = {
        (c.item_id, c.original_id)
        for c in DuplicateCandidate.objects.filter(item_id__in=[by_key[k] for k in keys])
    }
    hits = sum((by_key[k], by_key[o or ""]) in found for k, o in keys.items())
    assert hits / len(keys) > 0.7
    assert loaded.merged == MERGED
    assert FeedbackItem.objects.filter(duplicate_of__isnull=False).count() == MERGED


def test_a_fresh_ev_charging_request_is_suggested_the_ev_routing_feature(
    loaded: DemoFeedback, leader: Client
) -> None:
    routeiq = Product.objects.get(name="RouteIQ")
    text = "Our new electric vans need the route planner to add charging stops before they run low."
    created = leader.post(
        "/api/v1/feedback",
        {"text": text, "product_id": routeiq.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    links = listed(leader, f"/api/v1/feedback/{created.json()['id']}/links")
    assert links
    assert links[0]["state"] == "suggested"
    assert links[0]["feature"]["name"] in EV_FEATURES


def test_demand_ranks_revenue_heavy_asks_first(loaded: DemoFeedback, leader: Client) -> None:
    rows = listed(leader, "/api/v1/demand/features")
    asked = [r for r in rows if r["count"]]
    per_account = [r["revenue"] / r["accounts"] for r in asked]
    top = asked[0]
    assert top["score"] == max(r["score"] for r in asked)
    assert top["revenue"] / top["accounts"] > statistics.median(per_account)


def test_portals_votes_and_the_loop_notice(loaded: DemoFeedback, db: None) -> None:
    portals = {p.slug: p.visibility for p in Portal.objects.all()}
    assert portals == {"transport": "public", "warehouse": "signed_in"}
    public = FeedbackItem.objects.filter(public=True)
    assert public.exists()
    assert sum(public.values_list("votes", flat=True)) == loaded.votes > 0
    notice = LoopNotice.objects.get()
    assert notice.feature.name == loaded.notice
    assert notice.feature.stage in ("launch", "growth")
    assert notice.recipients


def test_statuses_mix_with_recent_items_mostly_new(loaded: DemoFeedback, db: None) -> None:
    statuses = Counter(FeedbackItem.objects.values_list("status", flat=True))
    assert set(statuses) == {"new", "triaged", "linked", "closed"}
    recent = FeedbackItem.objects.filter(received_at__gte=NOW - dt.timedelta(days=10))
    assert recent.filter(status="new").count() / recent.count() > 0.6
