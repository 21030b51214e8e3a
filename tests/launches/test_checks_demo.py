"""The demo's two launches on the demo company (a tenth of the events): the one that worked
meets its adoption target at +30, +60 and +90 days; the one that flopped does not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from quarterdeck.demo.events import generate_demo_events
from quarterdeck.demo.services import demo_load
from quarterdeck.demo.tracking import demo_tracking_ensure
from quarterdeck.launches.demo_checks import demo_checks_ensure
from quarterdeck.launches.demo_story import FLOPPED, WORKED
from quarterdeck.launches.models import LaunchCheck, LaunchPlan

pytestmark = pytest.mark.django_db

TINY = 0.1


def _verdicts(key: tuple[str, str], metric: str) -> list[str]:
    checks = LaunchCheck.objects.filter(
        metric__plan__feature__product__name=key[0],
        metric__plan__feature__name=key[1],
        metric__metric=metric,
    ).order_by("offset_days")
    return [c.verdict for c in checks]


def _load(settings: Any, tmp_path: Path) -> None:
    settings.EVENTS_DIR = tmp_path / "events"
    now = timezone.now()
    demo_load()
    source_ids = demo_tracking_ensure()
    generate_demo_events(settings.EVENTS_DIR, now=now, scale=TINY, source_ids=source_ids)
    try:
        from quarterdeck.launches.demo_plans import demo_plans_ensure
    except ImportError:  # PLANS's step; without it the checks' demo makes bare plans
        return
    demo_plans_ensure()


def test_the_launch_that_worked_and_the_one_that_did_not(settings: Any, tmp_path: Path) -> None:
    _load(settings, tmp_path)

    summary = demo_checks_ensure()

    assert "success metrics" in summary
    launched = LaunchPlan.objects.filter(metrics__isnull=False, status="launched").distinct()
    assert launched.count() == 2
    for plan in launched:
        assert plan.launched_on is not None
        assert (timezone.localdate() - plan.launched_on).days >= 90
    assert _verdicts(WORKED, "feature_adoption_30d") == ["met", "met", "met"]
    assert _verdicts(WORKED, "feature_users")[1:] == ["met", "met"]
    assert _verdicts(WORKED, "feature_users")[0] in {"met", "improved"}
    assert _verdicts(FLOPPED, "feature_adoption_30d") == ["no_change"] * 3
    assert _verdicts(FLOPPED, "feature_users") == ["no_change"] * 3
    # Running it again adds nothing.
    assert demo_checks_ensure() == ""
    assert LaunchCheck.objects.count() == 12
