"""`solve(instance)`: explain the obvious impossibilities first; else build the MILP, solve its
LP relaxation (a proven bound) and round it into a plan; stop there when the plan is within the
requested gap of the bound, otherwise run the MILP (HiGHS branch and cut) in the time left and
keep the better plan and the tighter bound. Then explain what was left out and value more
capacity."""

from __future__ import annotations

import time

from quarterdeck.roadmap.optimizer.explain import infeasibility, left_out, unexplained
from quarterdeck.roadmap.optimizer.greedy import greedy
from quarterdeck.roadmap.optimizer.instance import Instance
from quarterdeck.roadmap.optimizer.milp import Programme, build, solve_programme
from quarterdeck.roadmap.optimizer.model import Prepared, prepare, required
from quarterdeck.roadmap.optimizer.plan import (
    ERROR,
    INFEASIBLE,
    OPTIMAL,
    TIME_LIMIT,
    WITHIN_GAP,
    Plan,
)
from quarterdeck.roadmap.optimizer.relax import Relaxation, relax
from quarterdeck.roadmap.optimizer.rounding import lp_round
from quarterdeck.roadmap.optimizer.shadow import shadow_values

PROVEN = 1e-6  # a relative gap below this counts as optimal
MILP_INFEASIBLE = 2
MILP_TIME_LIMIT = 1
IMPROVE_SHARE = 0.25  # of the time left after the LP, for local search on the rounded plan


class _Best:
    """The best plan found so far and the tightest proven bound."""

    def __init__(self) -> None:
        self.period_of: dict[int, int] = {}
        self.value: float | None = None
        self.bound: float | None = None
        self.solver = "highs-milp"

    def offer(self, period_of: dict[int, int], value: float | None, solver: str) -> None:
        if value is not None and (self.value is None or value > self.value + 1e-9):
            self.period_of, self.value, self.solver = period_of, value, solver

    def tighten(self, bound: float | None) -> None:
        if bound is not None and (self.bound is None or bound < self.bound):
            self.bound = bound

    def gap(self) -> float | None:
        if self.value is None or self.bound is None:
            return None
        slack = max(self.bound - self.value, 0.0)
        return 0.0 if slack <= PROVEN * max(abs(self.value), 1.0) else slack / max(self.value, 1e-9)


def solve(
    instance: Instance, *, time_limit: float = 10.0, gap: float = 0.005, shadow: bool = True
) -> Plan:
    """The best plan proven within ``time_limit`` seconds, to a relative ``gap``
    ((bound - value) / value).

    ``shadow``: also compute the value of one more unit of capacity per team (after the solve,
    in at most another ``time_limit`` seconds; not counted in ``Plan.seconds``)."""
    started = time.perf_counter()
    prepared = prepare(instance)
    if reasons := infeasibility(prepared):
        return Plan(
            instance, INFEASIBLE, {}, seconds=time.perf_counter() - started, reasons=reasons
        )
    programme = build(prepared)
    best, relaxation = _Best(), relax(programme, time_limit=time_limit)
    milp_status = None
    if relaxation is not None:
        best.tighten(relaxation.bound)
        target = gap if gap > PROVEN else 0.0
        search = IMPROVE_SHARE * (time_limit - (time.perf_counter() - started))
        enough = relaxation.bound / (1.0 + target)
        _offer_rounding(best, prepared, programme, relaxation, enough, search)
    target = gap if gap > PROVEN else 0.0
    if (found := best.gap()) is None or found > target:
        left = time_limit - (time.perf_counter() - started)
        solution = solve_programme(programme, time_limit=left, gap=gap)
        milp_status = solution.status
        best.offer(solution.period_of, solution.objective, "highs-milp")
        best.tighten(solution.bound)
    if best.value is None and milp_status != MILP_INFEASIBLE:
        _offer_greedy(best, instance)
    plan = _plan(prepared, best, milp_status, target, time.perf_counter() - started)
    if plan.status == INFEASIBLE:
        plan.reasons = [unexplained(prepared)]
    if best.value is not None and plan.status != INFEASIBLE:
        plan.left_out = left_out(prepared, best.period_of)
        if shadow:
            base = best.value if plan.status == OPTIMAL else None
            plan.shadow_values = shadow_values(
                prepared, programme, base, relaxation, time_limit=time_limit
            )
    return plan


def _offer_rounding(
    best: _Best,
    prepared: Prepared,
    programme: Programme,
    relaxation: Relaxation,
    enough: float,
    seconds: float,
) -> None:
    deadline = time.perf_counter() + seconds
    period_of = lp_round(prepared, programme, relaxation, enough=enough, deadline=deadline)
    if all(i in period_of for i in required(prepared)):
        value = sum(
            prepared.instance.initiatives[i].value * prepared.instance.weight(t)
            for i, t in period_of.items()
        )
        best.offer(period_of, value, "highs-lp-rounding")


def _offer_greedy(best: _Best, instance: Instance) -> None:
    """Out of time with nothing better: the greedy plan, if it holds what is required."""
    fallback = greedy(instance)
    if not fallback.reasons:
        order = {p: t for t, p in enumerate(instance.periods)}
        period_of = {instance.index(i): order[p] for i, p in fallback.assignments.items()}
        best.offer(period_of, fallback.value, "greedy")


def _plan(
    prepared: Prepared, best: _Best, milp_status: int | None, target: float, seconds: float
) -> Plan:
    instance = prepared.instance
    assignments = {
        instance.initiatives[i].id: instance.periods[t] for i, t in best.period_of.items()
    }
    gap = best.gap()
    plan = Plan(instance, _status(best, gap, milp_status, target), assignments)
    plan.value, plan.bound, plan.gap, plan.seconds, plan.solver = (
        best.value, best.bound, gap, seconds, best.solver
    )  # fmt: skip
    if plan.status == TIME_LIMIT and best.solver == "greedy":
        plan.reasons = ["Out of time: this is the greedy plan; allow more time for a better one."]
    elif plan.status == TIME_LIMIT and best.value is None:
        plan.reasons = ["No plan found within the time limit: allow more time."]
    return plan


def _status(best: _Best, gap: float | None, milp_status: int | None, target: float) -> str:
    if milp_status == MILP_INFEASIBLE:
        return INFEASIBLE
    if best.value is None:
        return TIME_LIMIT if milp_status == MILP_TIME_LIMIT else ERROR
    if gap is not None and gap <= PROVEN:
        return OPTIMAL
    if gap is not None and (gap <= target or milp_status == 0):
        return WITHIN_GAP
    return TIME_LIMIT if milp_status == MILP_TIME_LIMIT else ERROR
