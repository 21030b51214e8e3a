"""Brute force for the optimizer tests: every assignment of every initiative to a period or to
nothing, checked against every constraint; plus the checker itself and a random small-instance
generator."""

from __future__ import annotations

import itertools
import random
from typing import Any

from quarterdeck.roadmap.optimizer import Instance

TOLERANCE = 1e-7


def violations(instance: Instance, assignments: dict[str, str]) -> list[str]:
    """Every constraint the plan breaks (empty: the plan is feasible)."""
    at = {item: instance.periods.index(p) for item, p in assignments.items()}
    found = []
    for item in instance.initiatives:
        if item.must_have and item.id not in at:
            found.append(f"must-have {item.id} left out")
        if item.id in at and at[item.id] not in item.window(len(instance.periods)):
            found.append(f"{item.id} outside its window")
    for dep in instance.dependencies:
        if dep.initiative in at:
            late = (
                dep.needs not in at or at[dep.needs] + instance.is_strict(dep) > at[dep.initiative]
            )
            if late:
                found.append(f"{dep.initiative} needs {dep.needs}")
    for group in instance.exclusive_groups:
        if sum(m in at for m in group.initiatives) > 1:
            found.append(f"group {group.id} has more than one")
    for team in instance.teams:
        for t, capacity in enumerate(team.capacity):
            used = sum(
                i.effort.get(team.id, 0.0) for i in instance.initiatives if at.get(i.id) == t
            )
            if used > capacity + TOLERANCE:
                found.append(f"{team.id} over capacity in {instance.periods[t]}")
    return found


def value(instance: Instance, assignments: dict[str, str]) -> float:
    return sum(
        item.value * instance.weight(instance.periods.index(assignments[item.id]))
        for item in instance.initiatives
        if item.id in assignments
    )


def best(instance: Instance) -> float | None:
    """The optimal value by enumeration, or None when nothing is feasible."""
    choices: list[Any] = [None, *instance.periods]
    top = None
    for combo in itertools.product(choices, repeat=len(instance.initiatives)):
        plan = {i.id: p for i, p in zip(instance.initiatives, combo, strict=True) if p is not None}
        if not violations(instance, plan):
            found = value(instance, plan)
            top = found if top is None or found > top else top
    return top


def random_instance(rng: random.Random) -> Instance:
    """2-7 initiatives, 1-3 periods, 1-3 teams; acyclic dependencies; must-haves; groups."""
    periods = [f"P{t}" for t in range(rng.randint(1, 3))]
    teams = [f"t{j}" for j in range(rng.randint(1, 3))]
    count = rng.randint(2, 7 if len(periods) < 3 else 6)
    items = []
    for n in range(count):
        item: dict[str, Any] = {
            "id": f"i{n}",
            "value": rng.choice([0, rng.randint(1, 20), rng.randint(1, 20)]),
            "effort": {t: rng.randint(0, 5) for t in rng.sample(teams, rng.randint(1, len(teams)))},
            "must_have": rng.random() < 0.12,
        }
        _window(rng, item, periods)
        items.append(item)
    deps = [
        {"initiative": f"i{a}", "needs": f"i{b}", "strict": rng.random() < 0.3}
        for a in range(count)
        for b in range(a)
        if rng.random() < 0.2
    ]
    members = rng.sample([i["id"] for i in items], min(count, rng.choice([0, 2, 3])))
    groups = [{"id": "g", "initiatives": members}] if members else []
    return Instance.from_json(
        {
            "periods": periods,
            "period_weights": [rng.choice([1.0, 0.9, 0.5]) for _ in periods],
            "teams": [{"id": t, "capacity": [rng.randint(2, 9) for _ in periods]} for t in teams],
            "initiatives": items,
            "dependencies": deps,
            "exclusive_groups": groups,
        }
    )


def _window(rng: random.Random, item: dict[str, Any], periods: list[str]) -> None:
    roll = rng.random()
    if roll < 0.1:
        item["fixed_period"] = rng.choice(periods)
    elif roll < 0.25:
        item["earliest"] = rng.choice(periods)
    elif roll < 0.35:
        item["latest"] = rng.choice(periods)


def medium_instance(rng: random.Random, count: int) -> Instance:
    """Too big for brute force: to check that the plans of bigger instances are feasible."""
    periods = ["Q1", "Q2", "Q3", "Q4"]
    teams = [f"t{j}" for j in range(4)]
    items = [
        {
            "id": f"i{n}",
            "value": rng.randint(0, 60),
            "effort": {t: rng.randint(1, 8) for t in rng.sample(teams, rng.randint(1, 3))},
        }
        for n in range(count)
    ]
    for item in rng.sample(items, count // 10):
        _window(rng, item, periods)
    deps = {(a, b) for a, b in (sorted(rng.sample(range(count), 2)) for _ in range(count // 2))}
    for item in items[:3]:
        item["must_have"] = True  # needs nothing: dependencies only go from later to earlier
        item.pop("latest", None)
    return Instance.from_json(
        {
            "periods": periods,
            "period_weights": [1.0, 0.9, 0.8, 0.7],
            "teams": [{"id": t, "capacity": count * 0.6} for t in teams],
            "initiatives": items,
            "dependencies": [
                {"initiative": f"i{b}", "needs": f"i{a}", "strict": rng.random() < 0.2}
                for a, b in sorted(deps)
            ],
            "exclusive_groups": [
                {"id": f"g{n}", "initiatives": [f"i{k}" for k in range(3 + 2 * n, 5 + 2 * n)]}
                for n in range(count // 20)
            ],
        }
    )
