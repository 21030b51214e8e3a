"""The optimizer's input: periods, teams with capacity, initiatives, dependencies, exclusive
groups — parsed from and written to the JSON format of docs/optimizer.md.

Every validation error names the JSON path that is wrong (``initiatives[3].effort.platform``)
and what was expected, so a CLI user or the planning page can point at the fix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class InstanceError(ValueError):
    """A bad instance: ``path`` is where in the JSON, ``message`` what is wrong there."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    capacity: tuple[float, ...]  # one amount per period, in the order of Instance.periods
    unit: str = ""


@dataclass(frozen=True)
class Initiative:
    id: str
    name: str
    value: float
    effort: Mapping[str, float]  # team id -> amount, consumed in the one chosen period
    earliest: int | None = None  # period indexes
    latest: int | None = None
    must_have: bool = False
    fixed: int | None = None

    def window(self, periods: int) -> range:
        """The periods it may be scheduled in, before capacity and dependencies."""
        if self.fixed is not None:
            return range(self.fixed, self.fixed + 1)
        low = 0 if self.earliest is None else self.earliest
        high = periods - 1 if self.latest is None else self.latest
        return range(low, high + 1)


@dataclass(frozen=True)
class Dependency:
    initiative: str  # chosen => `needs` chosen, not later (earlier when strict)
    needs: str
    strict: bool = False


@dataclass(frozen=True)
class ExclusiveGroup:
    id: str
    initiatives: tuple[str, ...]


@dataclass(frozen=True)
class Instance:
    periods: tuple[str, ...]
    teams: tuple[Team, ...]
    initiatives: tuple[Initiative, ...]
    dependencies: tuple[Dependency, ...] = ()
    exclusive_groups: tuple[ExclusiveGroup, ...] = ()
    period_weights: tuple[float, ...] = ()  # empty: 1 for every period
    strict: bool = False
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({item.id: n for n, item in enumerate(self.initiatives)})

    def weight(self, period: int) -> float:
        return self.period_weights[period] if self.period_weights else 1.0

    def index(self, initiative_id: str) -> int:
        return self._index[initiative_id]

    def is_strict(self, dependency: Dependency) -> bool:
        return self.strict or dependency.strict

    def team(self, team_id: str) -> Team:
        return next(team for team in self.teams if team.id == team_id)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Instance:
        """Parse and validate; raises InstanceError naming the JSON path."""
        from quarterdeck.roadmap.optimizer.parse import parse  # it builds these classes

        return parse(data)

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"periods": list(self.periods)}
        if self.period_weights:
            found["period_weights"] = list(self.period_weights)
        return found | {
            "strict": self.strict,
            "teams": [_team_json(team, self.periods) for team in self.teams],
            "initiatives": [_initiative_json(item, self.periods) for item in self.initiatives],
            "dependencies": [
                {"initiative": d.initiative, "needs": d.needs, "strict": d.strict}
                for d in self.dependencies
            ],
            "exclusive_groups": [
                {"id": g.id, "initiatives": list(g.initiatives)} for g in self.exclusive_groups
            ],
        }


def _team_json(team: Team, periods: Sequence[str]) -> dict[str, Any]:
    capacity = dict(zip(periods, team.capacity, strict=True))
    return {"id": team.id, "name": team.name, "unit": team.unit, "capacity": capacity}


def _initiative_json(item: Initiative, periods: Sequence[str]) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": item.id,
        "name": item.name,
        "value": item.value,
        "effort": dict(item.effort),
        "must_have": item.must_have,
    }
    for key, index in (("earliest", item.earliest), ("latest", item.latest)):
        if index is not None:
            found[key] = periods[index]
    if item.fixed is not None:
        found["fixed_period"] = periods[item.fixed]
    return found
