"""The value of one more unit of capacity per team (one more unit in EACH period of the team).

Exact for small and medium instances: the programme is solved again to optimality with the extra
unit, time-boxed; the difference of the two optimal values is the answer. For big instances (or
when a re-solve runs out of time) the estimate is the LP relaxation's dual: the sum over the
team's periods of its capacity rows' marginals, from scipy.optimize.linprog (HiGHS). That is the
rate of value per unit at the margin — an upper-bound-ish estimate, not what one whole unit
buys in whole initiatives."""

from __future__ import annotations

import time
from typing import Any

from quarterdeck.roadmap.optimizer.milp import Programme, build, solve_programme
from quarterdeck.roadmap.optimizer.model import Prepared, prepare
from quarterdeck.roadmap.optimizer.relax import Relaxation, relax

EXACT_VARIABLES = 4000  # above this many variables, the LP dual only
OPTIMAL_STATUS = 0


def shadow_values(
    prepared: Prepared,
    programme: Programme,
    base: float | None,
    relaxation: Relaxation | None,
    *,
    time_limit: float,
) -> dict[str, Any]:
    """``base``: the proven optimal value, or None when only a gap-bounded value is known;
    ``relaxation``: the LP relaxation already solved, if any."""
    teams = prepared.instance.teams
    exact: dict[int, float] = {}
    if base is not None and len(programme.objective) <= EXACT_VARIABLES and teams:
        exact = _exact(prepared, base, time_limit=time_limit)
    if len(exact) < len(teams) and relaxation is None:
        relaxation = relax(programme, time_limit=time_limit)
    lp = _lp_duals(prepared, relaxation)
    found = []
    for j, team in enumerate(teams):
        method = "exact" if j in exact else "lp_dual"
        value = exact[j] if j in exact else lp.get(j)
        found.append(
            {
                "team": team.id,
                "name": team.name,
                "unit": team.unit,
                "value": None if value is None else round(value, 6),
                "method": method,
            }
        )
    methods = {row["method"] for row in found}
    return {"method": methods.pop() if len(methods) == 1 else "mixed", "teams": found}


def _exact(prepared: Prepared, base: float, *, time_limit: float) -> dict[int, float]:
    deadline = time.perf_counter() + time_limit
    found = {}
    for j in range(len(prepared.instance.teams)):
        left = deadline - time.perf_counter()
        if left <= 0:
            break
        more = build(prepare(prepared.instance, extra={j: 1.0}))
        solution = solve_programme(more, time_limit=left, gap=0.0)
        if solution.status == OPTIMAL_STATUS and solution.objective is not None:
            found[j] = max(solution.objective - base, 0.0)
    return found


def _lp_duals(prepared: Prepared, relaxation: Relaxation | None) -> dict[int, float]:
    if relaxation is None:
        return {}
    found: dict[int, float] = dict.fromkeys(range(len(prepared.instance.teams)), 0.0)
    for (j, _t), price in relaxation.prices.items():
        found[j] += price
    return found
