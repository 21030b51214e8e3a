"""The optimizer's output: which initiative goes in which period, how good that is (value, the
proven bound and gap), what was left out and why, and the value of more capacity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quarterdeck.roadmap.optimizer.instance import Instance

OPTIMAL = "optimal"  # proven optimal (gap below 1e-6)
WITHIN_GAP = "within_gap"  # stopped at the requested relative gap, proven
TIME_LIMIT = "time_limit"  # stopped by the time limit; value and gap as far as proven
INFEASIBLE = "infeasible"  # no plan satisfies the must-haves; `reasons` says why
HEURISTIC = "heuristic"  # the greedy baseline: no bound, no gap
ERROR = "error"


@dataclass
class Plan:
    instance: Instance
    status: str
    assignments: dict[str, str]  # initiative id -> period name
    value: float | None = None
    bound: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    solver: str = "highs-milp"
    reasons: list[str] = field(default_factory=list)  # why infeasible / why incomplete
    left_out: list[dict[str, Any]] = field(default_factory=list)
    shadow_values: dict[str, Any] | None = None

    def usage(self) -> list[dict[str, Any]]:
        """Per team and period: capacity used by the plan and capacity available."""
        periods = self.instance.periods
        used = {(team.id, p): 0.0 for team in self.instance.teams for p in periods}
        for item in self.instance.initiatives:
            period = self.assignments.get(item.id)
            if period is not None:
                for team, amount in item.effort.items():
                    used[(team, period)] += amount
        return [
            {
                "team": team.id,
                "name": team.name,
                "unit": team.unit,
                "periods": [
                    {"period": p, "used": _round(used[(team.id, p)]), "capacity": cap}
                    for p, cap in zip(periods, team.capacity, strict=True)
                ],
            }
            for team in self.instance.teams
        ]

    def rows(self) -> list[dict[str, Any]]:
        instance = self.instance
        order = {p: n for n, p in enumerate(instance.periods)}
        found = []
        for item in instance.initiatives:
            period = self.assignments.get(item.id)
            if period is None:
                continue
            weighted = item.value * instance.weight(order[period])
            found.append(
                {
                    "initiative": item.id,
                    "name": item.name,
                    "period": period,
                    "value": _round(weighted),
                    "effort": dict(item.effort),
                }
            )
        return sorted(found, key=lambda row: (order[row["period"]], -row["value"]))

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "solver": self.solver,
            "value": _round(self.value),
            "bound": _round(self.bound),
            "gap": self.gap,
            "seconds": round(self.seconds, 3),
            "reasons": list(self.reasons),
            "chosen": len(self.assignments),
            "plan": self.rows(),
            "capacity": self.usage(),
            "left_out": list(self.left_out),
            "shadow_values": self.shadow_values,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def plan_value(instance: Instance, assignments: dict[str, str]) -> float:
    order = {p: n for n, p in enumerate(instance.periods)}
    return sum(
        item.value * instance.weight(order[assignments[item.id]])
        for item in instance.initiatives
        if item.id in assignments
    )
