"""Local search on a plan under construction: let an initiative in by taking out cheaper ones.

For each initiative left out (best priced profit first) and each period it could take, the
teams short of room are found; placed initiatives of that period that are not required and that
nothing placed needs are taken out, cheapest value per unit of relief first, until it fits. The
swap is kept only if it gains value. Then the freed room is filled again. Used when the LP
rounding is not yet within the requested gap, within a deadline."""

from __future__ import annotations

import time
from collections.abc import Sequence

from quarterdeck.roadmap.optimizer.model import TOLERANCE
from quarterdeck.roadmap.optimizer.placement import Placement


def improve(
    state: Placement,
    candidates: Sequence[int],
    preference: Sequence[Sequence[int]],
    forced: set[int],
    deadline: float,
) -> int:
    """Swaps made. ``candidates``: the initiatives to try to let in, in order."""
    needed_by = _needed_by(state)
    swaps = 0
    for k in candidates:
        if time.perf_counter() > deadline:
            break
        if k not in state.period_of and _swap_in(state, k, preference[k], forced, needed_by):
            swaps += 1
    return swaps


def _needed_by(state: Placement) -> list[list[int]]:
    found: list[list[int]] = [[] for _ in state.prepared.needs]
    for i, needs in enumerate(state.prepared.needs):
        for need in needs:
            found[need.index].append(i)
    return found


def _swap_in(
    state: Placement,
    k: int,
    periods: Sequence[int],
    forced: set[int],
    needed_by: list[list[int]],
) -> bool:
    first = state.earliest(k)
    if first is None or any(g in state.taken for g in state.groups.get(k, ())):
        return False
    instance = state.prepared.instance
    for t in periods:
        if t < first:
            continue
        gain = instance.initiatives[k].value * instance.weight(t)
        out = _cheapest_relief(state, k, t, forced, needed_by, gain)
        if out is not None:
            for i in out:
                state.remove(i)
            if state.place(k, [t]):
                return True
            for i in out:  # cannot happen when the relief was computed right; stay feasible
                state.place(i, [t])
    return False


def _cheapest_relief(
    state: Placement,
    k: int,
    t: int,
    forced: set[int],
    needed_by: list[list[int]],
    gain: float,
) -> list[int] | None:
    prepared = state.prepared
    short = {
        j: a - state.free[j][t] for j, a in prepared.effort[k] if a > state.free[j][t] + TOLERANCE
    }
    if not short:
        return None
    weight = prepared.instance.weight(t)

    def relief(i: int) -> float:
        return sum(min(a, short[j]) / short[j] for j, a in prepared.effort[i] if j in short)

    movable = [
        i for i, p in state.period_of.items()
        if p == t and i not in forced and relief(i) > 0
        and not any(d in state.period_of for d in needed_by[i])
    ]  # fmt: skip
    movable.sort(key=lambda i: prepared.instance.initiatives[i].value * weight / relief(i))
    out: list[int] = []
    lost = 0.0
    for i in movable:
        lost += prepared.instance.initiatives[i].value * weight
        if lost >= gain - 1e-9:
            return None
        out.append(i)
        for j, a in prepared.effort[i]:
            if j in short:
                short[j] -= a
        if all(left <= TOLERANCE for left in short.values()):
            return out
    return None
