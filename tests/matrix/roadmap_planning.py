"""Permission-matrix rows of planning: capacities (read by all, set by leaders), efforts and
dependencies (whoever may change the feature: Atlas Search is Mia's), scenarios (write roles;
changed by their creator — Mia here — leaders and admins) and the optimizer instance."""

from __future__ import annotations

from typing import Any

from tests.matrix.base import (
    ATLAS,
    LEADERS,
    PAGE_ATLAS,
    PAGE_READ,
    PAGE_WRITERS,
    READ,
    WRITERS,
    Page,
    Row,
    expect,
)
from tests.personas import Personas

MIAS = expect({"admin", "leader", "member"})
PAGE_MIAS = expect({"admin", "leader", "member"}, anonymous=302)
PERIOD = "2030-Q1"


def _capacity(p: Personas) -> str:
    from quarterdeck.roadmap.models import TeamCapacity

    TeamCapacity.objects.get_or_create(team=p.team, period=PERIOD, defaults={"capacity": 10})
    return f"/roadmap/capacities/{p.team.pk}/{PERIOD}"


def _other(p: Personas) -> int:
    """A second Atlas feature for Atlas Search to need."""
    from quarterdeck.portfolio.models import Feature

    found, _ = Feature.objects.get_or_create(name="Atlas Sync", product=p.atlas)
    return found.pk


def _dependency(p: Personas) -> int:
    from quarterdeck.roadmap.models import Dependency

    found, _ = Dependency.objects.get_or_create(feature=p.search, needs_id=_other(p))
    return found.pk


def _scenario(p: Personas) -> int:
    """Mia's scenario that plans Atlas Search in the first quarter."""
    from quarterdeck.roadmap.models import Scenario

    plan = [
        {
            "initiative": str(p.search.pk),
            "name": "Atlas Search",
            "period": PERIOD,
            "value": 1,
            "effort": {},
        }
    ]
    found, _ = Scenario.objects.get_or_create(
        name="Mia's plan",
        defaults={
            "created_by": p.member,
            "options": {"periods": [PERIOD]},
            "result": {"plan": plan},
            "value": 1,
        },
    )
    return found.pk


def _two(p: Personas) -> str:
    from quarterdeck.roadmap.models import Scenario

    first = _scenario(p)
    second = Scenario.objects.create(name="Other", options={"periods": [PERIOD]})
    return f"{first},{second.pk}"


def _scenario_path(suffix: str = "") -> Any:
    return lambda p: f"/roadmap/scenarios/{_scenario(p)}{suffix}"


API_ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/roadmap/capacities"): Row(READ, lambda p: "/roadmap/capacities"),
    ("GET", "/roadmap/capacities/{team_id}/{period}"): Row(READ, _capacity),
    ("PUT", "/roadmap/capacities/{team_id}/{period}"): Row(
        LEADERS, _capacity, lambda p: {"capacity": 12}, versioned=True
    ),
    ("GET", "/roadmap/features/{feature_id}/efforts"): Row(
        READ, lambda p: f"/roadmap/features/{p.search.pk}/efforts"
    ),
    ("PUT", "/roadmap/features/{feature_id}/efforts"): Row(
        ATLAS,
        lambda p: f"/roadmap/features/{p.search.pk}/efforts",
        lambda p: {"efforts": {str(p.team.pk): 3}},
    ),
    ("GET", "/roadmap/dependencies"): Row(READ, lambda p: "/roadmap/dependencies"),
    ("POST", "/roadmap/dependencies"): Row(
        ATLAS,
        lambda p: "/roadmap/dependencies",
        lambda p: {"feature_id": p.search.pk, "needs_id": _other(p)},
    ),
    ("DELETE", "/roadmap/dependencies/{dependency_id}"): Row(
        ATLAS, lambda p: f"/roadmap/dependencies/{_dependency(p)}"
    ),
    ("GET", "/roadmap/scenarios"): Row(WRITERS, lambda p: "/roadmap/scenarios"),
    ("POST", "/roadmap/scenarios"): Row(
        WRITERS, lambda p: "/roadmap/scenarios", lambda p: {"name": "Run", "time_limit": 2}
    ),
    ("GET", "/roadmap/scenarios/compare"): Row(
        WRITERS, lambda p: f"/roadmap/scenarios/compare?ids={_two(p)}"
    ),
    ("GET", "/roadmap/scenarios/{scenario_id}"): Row(WRITERS, _scenario_path()),
    ("PATCH", "/roadmap/scenarios/{scenario_id}"): Row(
        MIAS, _scenario_path(), lambda p: {"notes": "Why"}, versioned=True
    ),
    ("DELETE", "/roadmap/scenarios/{scenario_id}"): Row(MIAS, _scenario_path(), versioned=True),
    # Applying places Atlas Search on the roadmap: whoever may change it (not Otto).
    ("POST", "/roadmap/scenarios/{scenario_id}/apply"): Row(
        ATLAS, _scenario_path("/apply"), lambda p: {}
    ),
    ("GET", "/roadmap/instance"): Row(WRITERS, lambda p: "/roadmap/instance"),
}

PAGES: dict[str, Page] = {
    "roadmap/capacity/": Page(PAGE_READ, lambda p: "/roadmap/capacity/"),
    "roadmap/plan/": Page(PAGE_READ, lambda p: "/roadmap/plan/"),
    "roadmap/plan/<int:feature_id>/effort/": Page(
        PAGE_ATLAS,
        lambda p: f"/roadmap/plan/{p.search.pk}/effort/",
        "POST",
        lambda p: {f"effort-{p.team.pk}": "2"},
    ),
    "roadmap/plan/<int:feature_id>/needs/": Page(
        PAGE_ATLAS,
        lambda p: f"/roadmap/plan/{p.search.pk}/needs/",
        "POST",
        lambda p: {"needs_id": _other(p)},
    ),
    "roadmap/dependencies/<int:dependency_id>/remove/": Page(
        PAGE_ATLAS, lambda p: f"/roadmap/dependencies/{_dependency(p)}/remove/", "POST"
    ),
    "roadmap/scenarios/": Page(PAGE_WRITERS, lambda p: "/roadmap/scenarios/"),
    "roadmap/scenarios/new/": Page(PAGE_WRITERS, lambda p: "/roadmap/scenarios/new/"),
    "roadmap/scenarios/compare/": Page(
        PAGE_WRITERS, lambda p: f"/roadmap/scenarios/compare/?ids={_two(p)}"
    ),
    "roadmap/scenarios/<int:pk>/": Page(
        PAGE_WRITERS, lambda p: f"/roadmap/scenarios/{_scenario(p)}/"
    ),
    # Otto may open the scenario but not place Atlas Search: the page says so (a redirect).
    "roadmap/scenarios/<int:pk>/apply/": Page(
        PAGE_WRITERS, lambda p: f"/roadmap/scenarios/{_scenario(p)}/apply/", "POST"
    ),
    "roadmap/scenarios/<int:pk>/edit/": Page(
        PAGE_MIAS,
        lambda p: f"/roadmap/scenarios/{_scenario(p)}/edit/",
        "POST",
        lambda p: {"notes": "Why"},
    ),
    "roadmap/scenarios/<int:pk>/delete/": Page(
        PAGE_MIAS, lambda p: f"/roadmap/scenarios/{_scenario(p)}/delete/", "POST"
    ),
}

API_ELSEWHERE: dict[tuple[str, str], str] = {}
