"""The board demo on the demo company: every open initiative on the board, dates on Now and
Next, a shared portfolio view, a line timeline and one live signed link; twice adds nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from quarterdeck.demo.services import demo_load
from quarterdeck.portfolio.models import Feature
from quarterdeck.roadmap.board_selectors import OPEN_STAGES
from quarterdeck.roadmap.demo_board import demo_board_ensure
from quarterdeck.roadmap.models import RoadmapEntry, RoadmapView, ShareLink

pytestmark = pytest.mark.django_db


def test_demo_board() -> None:
    demo_load()
    summary = demo_board_ensure()
    open_ids = set(Feature.objects.filter(stage__in=OPEN_STAGES).values_list("pk", flat=True))
    placed = set(RoadmapEntry.objects.values_list("feature_id", flat=True))
    assert open_ids
    assert open_ids <= placed
    for lane in ("now", "next", "later"):
        assert RoadmapEntry.objects.filter(lane=lane).exists(), lane
    assert not RoadmapEntry.objects.filter(lane__in=["now", "next"], start__isnull=True).exists()
    positions = list(RoadmapEntry.objects.filter(lane="later").values_list("position", flat=True))
    assert sorted(positions) == list(range(len(positions)))
    views = RoadmapView.objects.all()
    assert views.count() == 2
    assert all(v.shared and v.owner is not None for v in views)
    assert views.filter(name__startswith="Portfolio roadmap — ", layout="board").exists()
    assert views.filter(layout="timeline", filters__grain="month").exists()
    path = summary.split("signed link ")[1].strip()
    assert Client().get(path).status_code == 200
    before = (RoadmapEntry.objects.count(), RoadmapView.objects.count(), ShareLink.objects.count())
    again = demo_board_ensure()
    assert "0 placed, 0 dated" in again
    assert "signed link" not in again
    assert (
        RoadmapEntry.objects.count(),
        RoadmapView.objects.count(),
        ShareLink.objects.count(),
    ) == before


def test_demo_board_after_the_planning_demo() -> None:
    from quarterdeck.launches.demo_gates import demo_gates_ensure
    from quarterdeck.roadmap.demo_planning import demo_planning_ensure
    from quarterdeck.roadmap.demo_scoring import demo_scoring_ensure

    demo_load()
    for step in (demo_gates_ensure, demo_scoring_ensure, demo_planning_ensure):
        step()
    planned = dict(
        RoadmapEntry.objects.filter(scenario__isnull=False).values_list("feature_id", "start")
    )
    assert planned
    demo_board_ensure()
    open_ids = set(Feature.objects.filter(stage__in=OPEN_STAGES).values_list("pk", flat=True))
    assert open_ids <= set(RoadmapEntry.objects.values_list("feature_id", flat=True))
    kept = dict(
        RoadmapEntry.objects.filter(feature_id__in=planned).values_list("feature_id", "start")
    )
    assert kept == planned  # what the scenario placed keeps its quarter
    nxt = RoadmapEntry.objects.filter(lane="next")
    assert nxt.exists()
    assert not nxt.filter(start__isnull=True).exists()
    next_starts = [d for d in nxt.values_list("start", flat=True) if d is not None]
    planned_starts = [d for d in planned.values() if d is not None]
    assert min(next_starts) > max(planned_starts)
