"""The demo's saved insights: created once, about the demo's products, and they compute on the
demo's events (a tiny sample of them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from quarterdeck.accounts.models import User
from quarterdeck.analytics.demo import demo_insights_ensure
from quarterdeck.analytics.models import SavedInsight
from quarterdeck.demo.events import generate_demo_events
from quarterdeck.demo.services import demo_load
from quarterdeck.demo.tracking import demo_tracking_ensure
from tests.api.client import Api

pytestmark = pytest.mark.django_db


def test_the_demo_insights_compute_on_the_demo_events(events_dir: Path) -> None:
    demo_load()
    ids = demo_tracking_ensure()
    today = dt.datetime.now(dt.UTC).date()
    generate_demo_events(events_dir, end=today, scale=0.02, days=35, source_ids=ids)

    assert demo_insights_ensure() == 3
    assert demo_insights_ensure() == 0  # loading twice creates nothing
    leader = Api(User.objects.filter(role="leader").first())
    results = {
        insight.name: leader.get(f"/insights/{insight.pk}/result").json()["rows"]
        for insight in SavedInsight.objects.all()
    }
    steps = results["RouteIQ: plan → optimise → dispatch"]
    assert [row["name"] for row in steps] == [
        "Page Viewed (path = /routes/plan)",
        "Route Optimized",
        "Page Viewed (path = /dispatch)",
    ]
    funnel = [row["count"] for row in steps]
    assert funnel[0] > 0
    assert funnel == sorted(funnel, reverse=True)
    adoption = {r["breakdown"]: r for r in results["Drag-and-drop planner vs classic editor"]}
    assert adoption["Drag-and-drop route planner"]["numerator"] > 0
    cohorts = results["DriverHub: weekly retention"]
    assert any(row["size"] for row in cohorts if row["cohort"] != "mean")
    pinned = SavedInsight.objects.select_related("product").get(pinned=True)
    assert pinned.product is not None
    assert (pinned.product.name, pinned.kind) == ("RouteIQ", "funnel")
