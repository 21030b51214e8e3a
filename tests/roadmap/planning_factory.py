"""A small portfolio to plan on, on top of the personas (tests of planning and scenarios).

Teams: Platform squad (capacity 10 next quarter) and Web squad (6). Initiatives and scores under
the "Planning value" model: Atlas Search 10 (platform 6), Atlas Sync 8 (platform 5, web 2),
Atlas Export 3 (web 3, needs Atlas Sync), Beacon Alerts 7 (platform 4), Atlas Legacy (launched).
The optimum is Sync + Export + Alerts = 18; greedy by score takes Search + Alerts = 17.
"""

from __future__ import annotations

from dataclasses import dataclass

from quarterdeck.people.models import Team
from quarterdeck.portfolio.models import Feature, Stage
from quarterdeck.roadmap.models import Dependency, Effort, Score, ScoringModel, TeamCapacity
from quarterdeck.roadmap.planning_periods import next_periods
from tests.personas import Personas


@dataclass
class Plan:
    model: ScoringModel
    platform: Team
    web: Team
    search: Feature
    sync: Feature
    export: Feature
    alerts: Feature
    legacy: Feature
    period: str


def make_plan(p: Personas) -> Plan:
    period = next_periods(1)[0]
    web = Team.objects.create(name="Web squad")
    TeamCapacity.objects.create(team=p.team, period=period, capacity=10)
    TeamCapacity.objects.create(team=web, period=period, capacity=6)
    model = ScoringModel.objects.create(
        name="Planning value", framework="custom", formula="value", criteria=[]
    )
    sync = Feature.objects.create(
        name="Atlas Sync", product=p.atlas, owner=p.people["mia"], stage=Stage.BUILD
    )
    export = Feature.objects.create(name="Atlas Export", product=p.atlas, stage=Stage.IDEA)
    alerts = Feature.objects.create(
        name="Beacon Alerts", product=p.beacon, owner=p.people["otto"], stage=Stage.IDEA
    )
    legacy = Feature.objects.create(name="Atlas Legacy", product=p.atlas, stage=Stage.GROWTH)
    values = {p.search: 10.0, sync: 8.0, export: 3.0, alerts: 7.0, legacy: 9.0}
    for feature, value in values.items():
        Score.objects.create(feature=feature, scoring_model=model, value=value)
    efforts = [
        (p.search, p.team, 6),
        (sync, p.team, 5),
        (sync, web, 2),
        (export, web, 3),
        (alerts, p.team, 4),
        (legacy, p.team, 1),
    ]
    for feature, team, amount in efforts:
        Effort.objects.create(feature=feature, team=team, amount=amount)
    Dependency.objects.create(feature=export, needs=sync)
    Dependency.objects.create(feature=p.search, needs=legacy)  # met: Legacy has launched
    return Plan(model, p.team, web, p.search, sync, export, alerts, legacy, period)
