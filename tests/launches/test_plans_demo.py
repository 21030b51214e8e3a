"""The launch plans demo on the demo company: the two story launches launched on their stage
history's launch day, upcoming launches in the next three months, an overdue task, owners from
the demo people, a full calendar; running it twice adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from quarterdeck.accounts.models import User
from quarterdeck.demo.services import demo_load
from quarterdeck.launches import plans_tasks
from quarterdeck.launches.demo_plans import UPCOMING, demo_plans_ensure
from quarterdeck.launches.demo_story import FLOPPED, WORKED
from quarterdeck.launches.models import LaunchPlan, LaunchStatus, LaunchTask
from quarterdeck.lib.dates import workspace_today
from quarterdeck.portfolio.models import StageChange

pytestmark = pytest.mark.django_db


def _plan(key: tuple[str, str]) -> LaunchPlan:
    return LaunchPlan.objects.get(feature__product__name=key[0], feature__name=key[1])


def test_the_launch_plans_demo() -> None:
    demo_load()
    today = workspace_today()

    summary = demo_plans_ensure()

    assert summary.startswith("Launch plans: 2 launched")
    for key in (WORKED, FLOPPED):
        plan = _plan(key)
        change = StageChange.objects.filter(
            item_type="feature", item_id=plan.feature_id or 0, to_stage="launch"
        ).first()
        assert change is not None
        assert plan.status == LaunchStatus.LAUNCHED
        assert plan.launched_on == change.at.date()
        assert set(plan.tasks.values_list("status", flat=True)) == {"done"}
    upcoming = [_plan(key) for key in UPCOMING]
    assert all(p.status == LaunchStatus.PLANNED for p in upcoming)
    assert all(today < p.launch_on <= today + dt.timedelta(days=92) for p in upcoming)
    tasks = LaunchTask.objects.filter(plan__in=upcoming)
    assert tasks.filter(status="done").exists()
    assert tasks.filter(status="doing").exists()
    overdue = [t for t in tasks if plans_tasks.is_overdue(t, today)]
    assert [t.title for t in overdue] == ["Pricing and packaging check"]
    assert tasks.filter(owner__isnull=False).count() == tasks.count()

    assert demo_plans_ensure() == "Launch plans: already in place."
    assert LaunchPlan.objects.count() == 2 + len(UPCOMING)

    client = Client()
    client.force_login(User.objects.filter(is_active=True).order_by("pk").first())  # type: ignore[arg-type]
    month = upcoming[0].launch_on.strftime("%Y-%m")
    calendar = client.get("/launches/", {"month": month}).content.decode()
    assert upcoming[0].name in calendar
