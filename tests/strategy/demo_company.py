"""The demo company with everything the strategy demo reads, at a tiny scale: the portfolio
and sign-ins, survey answers and subscriptions, tracking, a hundredth of the product events,
the KPI snapshots, then the strategy demo itself (whose last step is the refresh). For the
strategy demo test and the home page's browser test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from quarterdeck.demo.events import generate_demo_events
from quarterdeck.demo.services import demo_load
from quarterdeck.demo.tracking import demo_tracking_ensure
from quarterdeck.kpis.services import kpis_refresh
from quarterdeck.revenue.demo import demo_revenue_ensure
from quarterdeck.strategy.demo import Loaded, demo_strategy_ensure
from quarterdeck.surveys.demo import demo_surveys_ensure

TINY = 0.1


def load_demo_company(settings: Any, tmp_path: Path) -> Loaded | None:
    settings.EVENTS_DIR = tmp_path / "events"
    now = timezone.now()
    demo_load()
    demo_surveys_ensure()
    demo_revenue_ensure()
    source_ids = demo_tracking_ensure()
    generate_demo_events(settings.EVENTS_DIR, now=now, scale=TINY, source_ids=source_ids)
    kpis_refresh(products=None, full=True)
    return demo_strategy_ensure()
