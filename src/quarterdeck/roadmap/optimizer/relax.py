"""The LP relaxation (0 <= x <= 1) with scipy.optimize.linprog (HiGHS dual simplex): its value
is a proven upper bound on any plan, its solution guides the rounding heuristic, and its
capacity rows' marginals price capacity (the shadow values' estimate)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

from quarterdeck.roadmap.optimizer.milp import Programme


@dataclass
class Relaxation:
    x: NDArray[np.float64]
    bound: float
    prices: dict[tuple[int, int], float]  # (team, period) -> value of one more unit, >= 0


def relax(programme: Programme, *, time_limit: float) -> Relaxation | None:
    """None when the LP is infeasible or not solved in time."""
    if not len(programme.objective):
        return Relaxation(np.zeros(0), 0.0, {})
    equal = programme.lower == programme.upper
    upper_rows = np.flatnonzero(~equal)
    equal_rows = np.flatnonzero(equal)
    matrix = programme.matrix
    result = linprog(
        -programme.objective,
        A_ub=matrix[upper_rows] if len(upper_rows) else None,
        b_ub=programme.upper[upper_rows] if len(upper_rows) else None,
        A_eq=matrix[equal_rows] if len(equal_rows) else None,
        b_eq=programme.upper[equal_rows] if len(equal_rows) else None,
        bounds=(0.0, 1.0),
        method="highs-ds",
        options={"time_limit": max(time_limit, 0.01)},
    )
    if result.status != 0:
        return None
    position = {int(row): n for n, row in enumerate(upper_rows)}
    marginals = result.ineqlin.marginals  # of a minimisation: <= 0
    prices = {
        cell: -float(marginals[position[row]]) for cell, row in programme.capacity_rows.items()
    }
    return Relaxation(np.asarray(result.x, dtype=np.float64), -float(result.fun), prices)
