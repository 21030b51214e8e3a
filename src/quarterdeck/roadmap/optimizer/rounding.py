"""A primal heuristic from the LP relaxation: a good plan fast, to warm-start the MILP and, when
it is already within the requested gap of the LP bound, to stop there.

Order: what the must-haves require; then initiatives by how much of them the LP chose (whole
ones first), ties and the rest by priced profit — value minus effort at the LP's capacity
prices. Each goes, with whatever it needs, in the period the LP put most of it in, else the
next best. A last pass fills what room is left by priced profit."""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray

from quarterdeck.roadmap.optimizer.improve import improve
from quarterdeck.roadmap.optimizer.milp import Programme
from quarterdeck.roadmap.optimizer.model import Prepared, required
from quarterdeck.roadmap.optimizer.placement import Placement
from quarterdeck.roadmap.optimizer.relax import Relaxation


def lp_round(
    prepared: Prepared,
    programme: Programme,
    relaxation: Relaxation,
    *,
    enough: float = float("inf"),
    deadline: float = 0.0,
) -> dict[int, int]:
    """initiative index -> period index; feasible unless the must-haves could not be placed.

    Below ``enough`` (a value that would already be within the requested gap), local search
    (improve.py) tries swaps until ``deadline`` (a time.perf_counter() value)."""
    instance = prepared.instance
    periods = len(instance.periods)
    mass = np.zeros((len(instance.initiatives), periods))
    np.add.at(mass, (programme.item, programme.period), relaxation.x)
    chosen = mass.sum(axis=1)
    profit = _priced_profit(prepared, relaxation)
    preference = [_by_mass(allowed, mass[i]) for i, allowed in enumerate(prepared.allowed)]
    state = Placement(prepared)
    forced = required(prepared)
    for i in prepared.order:
        if i in forced:
            state.place(i, preference[i])
    rest = [i for i in range(len(instance.initiatives)) if i not in forced and prepared.allowed[i]]
    rest.sort(key=lambda i: (-round(float(chosen[i]), 3), -profit[i]))
    for i in rest:
        state.place_with_needs(i, preference.__getitem__)
    by_profit = sorted(rest, key=lambda i: -profit[i])
    _fill(state, by_profit, preference)
    if _value(state) < enough and time.perf_counter() < deadline:
        improve(state, by_profit, preference, set(forced), deadline)
        _fill(state, by_profit, preference)
    return state.period_of


def _fill(state: Placement, order: list[int], preference: list[list[int]]) -> None:
    for i in order:
        state.place_with_needs(i, preference.__getitem__)


def _value(state: Placement) -> float:
    instance = state.prepared.instance
    return sum(
        instance.initiatives[i].value * instance.weight(t) for i, t in state.period_of.items()
    )


def _by_mass(allowed: list[int], mass: NDArray[np.float64]) -> list[int]:
    """The periods where the LP put most of the initiative first; ties: earlier first."""
    return sorted(allowed, key=lambda t: (-float(mass[t]), t))


def _priced_profit(prepared: Prepared, relaxation: Relaxation) -> list[float]:
    instance = prepared.instance
    found = []
    for i, item in enumerate(instance.initiatives):
        best = -np.inf
        for t in prepared.allowed[i]:
            cost = sum(relaxation.prices.get((j, t), 0.0) * a for j, a in prepared.effort[i])
            best = max(best, item.value * instance.weight(t) - cost)
        found.append(float(best))
    return found
