"""The demo's planning: capacities of the four delivery teams for the next four quarters,
efforts (engineer-weeks) of the initiatives in idea, discovery and build, dependencies that
make sense, and two scenarios for next quarter — "base plan" (put on the roadmap) and "+2
Platform engineers" (to compare). Runs after the scoring demo (the values are the scores).
Idempotent: a second run adds nothing."""

from __future__ import annotations

from typing import Any, Final

from quarterdeck.accounts.models import User
from quarterdeck.demo.company import DOMAIN
from quarterdeck.people.models import Team
from quarterdeck.portfolio.models import Feature
from quarterdeck.roadmap import planning, scenarios
from quarterdeck.roadmap.models import Dependency, Effort, Scenario, TeamCapacity
from quarterdeck.roadmap.planning_periods import next_periods
from quarterdeck.roadmap.planning_selectors import PLANNABLE

FLEET, FREIGHT, WAREHOUSE, PLATFORM = (
    "Fleet Operations", "Freight Marketplace", "Warehouse Operations", "Platform & Integrations",
)  # fmt: skip
# Engineer-weeks per quarter: roughly engineers times 13 weeks, less support and holidays.
CAPACITY: Final = {FLEET: 40, FREIGHT: 36, WAREHOUSE: 30, PLATFORM: 16}
GROWTH: Final = {FLEET: 2, FREIGHT: 2, WAREHOUSE: 0, PLATFORM: 4}  # hires landing each quarter
EFFORT: Final[dict[str, dict[str, float]]] = {
    "EV range-aware routing": {FLEET: 16, PLATFORM: 4},
    "Charging stop planner": {FLEET: 10},
    "Battery health from telematics": {FLEET: 8, PLATFORM: 6},
    "Driver chat with dispatch": {FLEET: 12},
    "Damage photo tagging": {FLEET: 8, PLATFORM: 3},
    "Motive connector": {PLATFORM: 8, FLEET: 2},
    "Cold-chain temperature monitoring": {FLEET: 10, PLATFORM: 6},
    "Carrier onboarding and compliance": {FREIGHT: 14, PLATFORM: 4},
    "Insurance certificate verification": {FREIGHT: 6},
    "Saved lane alerts": {FREIGHT: 4},
    "Load tendering via API": {FREIGHT: 8, PLATFORM: 8},
    "Instant spot quotes": {FREIGHT: 12},
    "Contract rate benchmarking": {FREIGHT: 8},
    "Quote-to-book conversion": {FREIGHT: 6},
    "Margin guardrails": {FREIGHT: 3},
    "Batch and cluster picking": {WAREHOUSE: 14},
    "Voice picking": {WAREHOUSE: 16, PLATFORM: 2},
    "Slotting recommendations": {WAREHOUSE: 10},
    "Low-stock alerts": {WAREHOUSE: 5},
    "Cycle count scheduler": {WAREHOUSE: 6},
    "Partner sandbox": {PLATFORM: 10},
    "Route cost simulator": {FLEET: 6},
    "Driver scorecards": {FLEET: 6},
    "Door assignment optimiser": {WAREHOUSE: 8},
    "Multi-site inventory view": {WAREHOUSE: 10, PLATFORM: 2},
    "ERP inventory sync": {WAREHOUSE: 6, PLATFORM: 10},
}
NEEDS: Final = [  # (initiative, what it needs first)
    ("Charging stop planner", "EV range-aware routing"),
    ("Battery health from telematics", "EV range-aware routing"),
    ("Cold-chain temperature monitoring", "Motive connector"),
    ("Insurance certificate verification", "Carrier onboarding and compliance"),
    ("Load tendering via API", "Partner sandbox"),
    ("Quote-to-book conversion", "Instant spot quotes"),
    ("Margin guardrails", "Instant spot quotes"),
    ("Multi-site inventory view", "ERP inventory sync"),
]
BASE: Final = "Next quarter — base plan"
MORE: Final = "Next quarter — +2 Platform engineers"
EXTRA_PLATFORM: Final = 26  # two engineers for a 13-week quarter


def _teams() -> dict[str, Team]:
    return {t.name: t for t in Team.objects.filter(name__in=CAPACITY)}


def _features() -> dict[str, Feature]:
    found = Feature.objects.filter(name__in=EFFORT)
    return {f.name: f for f in found}


def _capacities(teams: dict[str, Team], periods: list[str]) -> int:
    made = 0
    for name, team in teams.items():
        for n, period in enumerate(periods):
            if not TeamCapacity.objects.filter(team=team, period=period).exists():
                amount = CAPACITY[name] + n * GROWTH[name]
                planning.capacity_set(actor=None, team_id=team.pk, period=period, capacity=amount)
                made += 1
    return made


def _efforts(teams: dict[str, Team], features: dict[str, Feature]) -> int:
    made = 0
    for name, feature in features.items():
        if feature.stage in PLANNABLE and not Effort.objects.filter(feature=feature).exists():
            amounts = {teams[t].pk: a for t, a in EFFORT[name].items() if t in teams}
            planning.effort_set(actor=None, feature_id=feature.pk, efforts=amounts)
            made += 1
    return made


def _dependencies(features: dict[str, Feature]) -> int:
    made = 0
    for name, needs in NEEDS:
        if name in features and needs in features:
            first, second = features[name], features[needs]
            if not Dependency.objects.filter(feature=first, needs=second).exists():
                planning.dependency_add(actor=None, feature_id=first.pk, needs_id=second.pk)
                made += 1
    return made


def _leader() -> User | None:
    return User.objects.filter(email=f"dana.reyes@{DOMAIN}", is_active=True).first()


def _scenario(name: str, options: dict[str, Any]) -> tuple[Scenario, bool]:
    found = Scenario.objects.filter(name=name).first()
    if found is not None:
        return found, False
    return scenarios.scenario_run(actor=_leader(), name=name, options=options), True


def _scenarios(teams: dict[str, Team], period: str) -> tuple[Scenario, Scenario, int]:
    base, _ = _scenario(BASE, {"periods": [period]})
    notes = "What two more Platform & Integrations engineers would unlock next quarter."
    overrides = {}
    if PLATFORM in teams:
        capacity = CAPACITY[PLATFORM] + EXTRA_PLATFORM
        overrides = {str(teams[PLATFORM].pk): {period: capacity}}
    more, created = _scenario(MORE, {"periods": [period], "capacity_overrides": overrides})
    if created:
        scenarios.scenario_update(actor=None, scenario_id=more.pk, data={"notes": notes},
                                  expected_version=None)  # fmt: skip
    placed = 0
    if "applied" not in base.result:
        placed = scenarios.scenario_apply(actor=_leader(), scenario_id=base.pk)
    return base, more, placed


def demo_planning_ensure() -> str:
    periods = next_periods(4)
    teams, features = _teams(), _features()
    capacities = _capacities(teams, periods)
    efforts = _efforts(teams, features)
    needs = _dependencies(features)
    base, more, placed = _scenarios(teams, periods[0])
    return (
        f"Planning: {capacities} capacities, {efforts} efforts, {needs} dependencies added; "
        f"“{base.name}” value {base.value or 0:,.1f} ({placed} placed on the roadmap), "
        f"“{more.name}” value {more.value or 0:,.1f}."
    )
