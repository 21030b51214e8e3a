"""The gates demo on the demo company (a tenth of the events): criteria installed, ticks that
match the stage histories, the ready feature one tick short, the classic editor's sunset plan
with accounts from the events; running it twice adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from quarterdeck.demo.events import generate_demo_events
from quarterdeck.demo.services import demo_load
from quarterdeck.demo.tracking import demo_tracking_ensure
from quarterdeck.launches.demo_gates import READY, READY_OPEN, RETIRED, demo_gates_ensure
from quarterdeck.launches.gates import gate_status
from quarterdeck.launches.models import GateCriterion, GateTick, SunsetPlan
from quarterdeck.portfolio.models import Feature
from quarterdeck.revenue.demo import demo_revenue_ensure

pytestmark = pytest.mark.django_db
TINY = 0.1


def test_the_gates_demo(settings: Any, tmp_path: Path) -> None:
    settings.EVENTS_DIR = tmp_path / "events"
    demo_load()
    demo_revenue_ensure(scale=TINY)  # the same accounts as the events
    source_ids = demo_tracking_ensure()
    generate_demo_events(settings.EVENTS_DIR, now=timezone.now(), scale=TINY, source_ids=source_ids)

    summary = demo_gates_ensure()

    assert "exit criteria" in summary
    assert GateCriterion.objects.filter(applies_to="feature").count() >= 10
    growth = Feature.objects.filter(stage="growth").first()
    assert growth is not None
    ticked = {
        t.criterion.label for t in GateTick.objects.filter(item_id=growth.pk, item_type="feature")
    }
    assert {"Customer evidence reviewed", "Support and sales briefed", "Launch announced"} <= ticked
    ready = Feature.objects.get(product__name=READY[0], name=READY[1])
    assert ready.stage == "build"
    open_ticks = [
        c for c in gate_status(ready).criteria if c.criterion.kind == "checklist" and not c.met
    ]
    assert [c.criterion.label for c in open_ticks] == [READY_OPEN]
    plan = SunsetPlan.objects.get()
    retired = Feature.objects.get(product__name=RETIRED[0], name=RETIRED[1])
    assert plan.item_id == retired.pk
    assert plan.successor is not None
    assert len(plan.affected) > 0
    assert plan.affected[0]["mrr"] is not None  # the demo's customers have subscriptions
    counts = (GateCriterion.objects.count(), GateTick.objects.count(), SunsetPlan.objects.count())
    demo_gates_ensure()
    assert (
        GateCriterion.objects.count(),
        GateTick.objects.count(),
        SunsetPlan.objects.count(),
    ) == counts
