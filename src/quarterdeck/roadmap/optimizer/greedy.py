"""The baseline: greedy by value. What the must-haves require goes first (needs before what
needs them), then the rest by value, highest first, each in the earliest period where it fits
(capacity left, its needs already placed early enough, its exclusive group still free, its
window). Passes repeat until nothing more fits, so an initiative whose need was placed later in
a pass gets another chance."""

from __future__ import annotations

import time

from quarterdeck.roadmap.optimizer.explain import infeasibility, left_out
from quarterdeck.roadmap.optimizer.instance import Instance
from quarterdeck.roadmap.optimizer.model import Prepared, prepare, required
from quarterdeck.roadmap.optimizer.placement import Placement
from quarterdeck.roadmap.optimizer.plan import HEURISTIC, INFEASIBLE, Plan, plan_value


def greedy(instance: Instance) -> Plan:
    started = time.perf_counter()
    prepared = prepare(instance)
    if prepared.cycle:
        return Plan(instance, INFEASIBLE, {}, reasons=infeasibility(prepared), solver="greedy")
    state = Placement(prepared)
    forced = required(prepared)
    missed = [i for i in prepared.order if i in forced and not state.place(i)]
    rest = sorted(
        (i for i in range(len(instance.initiatives)) if i not in forced),
        key=lambda i: -instance.initiatives[i].value,
    )
    while True:  # another pass only if the last one placed something
        before = len(rest)
        rest = [i for i in rest if not state.place(i)]
        if len(rest) == before:
            break
    return _plan(prepared, state, missed, time.perf_counter() - started)


def _plan(prepared: Prepared, state: Placement, missed: list[int], seconds: float) -> Plan:
    instance = prepared.instance
    assignments = {
        instance.initiatives[i].id: instance.periods[t] for i, t in state.period_of.items()
    }
    reasons = [
        f"Greedy could not place {instance.initiatives[i].id}, which the must-haves require."
        for i in missed
    ]
    return Plan(
        instance,
        HEURISTIC,
        assignments,
        value=plan_value(instance, assignments),
        seconds=seconds,
        solver="greedy",
        reasons=reasons,
        left_out=left_out(prepared, state.period_of),
    )
