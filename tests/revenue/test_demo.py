"""The demo's revenue: the demo events' accounts as paying customers, deterministic, once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from quarterdeck.demo.events import demo_story
from quarterdeck.demo.services import demo_load
from quarterdeck.revenue.demo import demo_revenue_ensure
from quarterdeck.revenue.metrics import revenue_report
from quarterdeck.revenue.models import CurrencyRate, Customer, Subscription

pytestmark = pytest.mark.django_db
END = dt.date(2024, 6, 30)


def test_demo_revenue_follows_the_demo_events_story() -> None:
    demo_load()
    created = demo_revenue_ensure(end=END, scale=0.05)
    assert created == Subscription.objects.count() > 20
    assert demo_revenue_ensure(end=END, scale=0.05) == 0  # loading twice creates nothing
    story = demo_story(end=END, scale=0.05)
    for churned in story.churned:
        subs = Subscription.objects.filter(customer__account_id=churned.account_id)
        assert subs
        assert {s.ended_at for s in subs} == {churned.churned_on}
    assert Subscription.objects.filter(currency="EUR").exists()
    assert CurrencyRate.objects.get(currency="EUR").rate == Decimal("1.08")
    assert not Subscription.objects.filter(items__product__isnull=True).exists()
    months = revenue_report(None, dt.date(2024, 1, 1), END)
    assert all(r.mrr > 0 for r in months)
    assert sum(r.movements.churn for r in months) > 0
    assert sum(r.movements.new for r in months) > 0
    assert Customer.objects.filter(account_id="").count() == 0
