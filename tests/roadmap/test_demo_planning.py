"""The planning demo on the loaded demo company (after the scoring demo): capacities, efforts,
dependencies, the two scenarios, the base plan on the roadmap; idempotent."""

from __future__ import annotations

import pytest

from quarterdeck.demo.services import demo_load
from quarterdeck.roadmap.demo_planning import BASE, MORE, PLATFORM, demo_planning_ensure
from quarterdeck.roadmap.demo_scoring import demo_scoring_ensure
from quarterdeck.roadmap.models import Dependency, Effort, RoadmapEntry, Scenario, TeamCapacity
from quarterdeck.roadmap.planning_selectors import assignments

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    models = (TeamCapacity, Effort, Dependency, Scenario, RoadmapEntry)
    return tuple(model.objects.count() for model in models)


def test_demo_planning_tells_the_story_and_runs_twice_without_adding() -> None:
    demo_load()
    demo_scoring_ensure()
    summary = demo_planning_ensure()
    assert summary.startswith("Planning: 16 capacities"), summary
    assert Dependency.objects.filter(
        feature__name="Charging stop planner", needs__name="EV range-aware routing"
    ).exists()
    base, more = Scenario.objects.get(name=BASE), Scenario.objects.get(name=MORE)
    assert base.status in ("optimal", "within_gap")
    assert base.value
    assert base.value > 0
    assert more.value is not None
    assert more.value > base.value, "more Platform capacity pays"
    assert base.result["greedy_value"] <= base.value + 1e-6
    assert base.result["left_out"], "capacity is tight: something is left out"
    platform = next(t for t in base.result["capacity"] if t["name"] == PLATFORM)
    assert platform["periods"][0]["used"] <= platform["periods"][0]["capacity"]
    assert base.result["applied"]["entries"] == len(assignments(base)) > 0
    placed = RoadmapEntry.objects.filter(scenario=base)
    assert placed.count() == len(assignments(base))
    assert {e.lane for e in placed} == {"now"}
    before = counts()
    again = demo_planning_ensure()
    assert again.startswith("Planning: 0 capacities, 0 efforts, 0 dependencies added;"), again
    assert "(0 placed" in again
    assert counts() == before
