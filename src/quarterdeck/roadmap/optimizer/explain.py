"""Why: why no plan exists (checked before solving, so the answer names a cause rather than
"the solver said infeasible"), and why each initiative left out of a plan was left out."""

from __future__ import annotations

from typing import Any

from quarterdeck.roadmap.optimizer.model import TOLERANCE, Prepared, required


def infeasibility(prepared: Prepared) -> list[str]:
    """The obvious causes of an impossible instance, in plain words; [] if none is found."""
    if prepared.cycle:
        names = " → ".join(_label(prepared, i) for i in prepared.cycle)
        return [f"The dependencies form a cycle: {names} (each needs the next). Remove one."]
    needed = required(prepared)
    reasons = _exclusive_conflicts(prepared, needed)
    reasons += [r for i in needed if (r := _unplaceable(prepared, needed, i))]
    return reasons or _over_capacity(prepared, needed)


def _label(prepared: Prepared, i: int) -> str:
    item = prepared.instance.initiatives[i]
    return item.id if item.name == item.id else f"{item.id} ({item.name})"


def _why_required(prepared: Prepared, needed: dict[int, int | None], i: int) -> str:
    chain = []
    while (by := needed[i]) is not None:
        chain.append(f"needed by {_label(prepared, by)}")
        i = by
    return "a must-have" if not chain else ", ".join(chain) + ", a must-have"


def _exclusive_conflicts(prepared: Prepared, needed: dict[int, int | None]) -> list[str]:
    reasons = []
    for group in prepared.instance.exclusive_groups:
        inside = [prepared.instance.index(m) for m in group.initiatives]
        forced = [i for i in inside if i in needed]
        if len(forced) > 1:
            who = "; ".join(
                f"{_label(prepared, i)} is {_why_required(prepared, needed, i)}" for i in forced
            )
            reasons.append(
                f"Exclusive group {group.id} allows one initiative, but {len(forced)} are "
                f"required: {who}."
            )
    return reasons


def _unplaceable(prepared: Prepared, needed: dict[int, int | None], i: int) -> str | None:
    if prepared.allowed[i]:
        return None
    instance = prepared.instance
    item = instance.initiatives[i]
    why = _why_required(prepared, needed, i)
    if not prepared.fitting[i]:
        short = _short_teams(prepared, i, list(item.window(len(instance.periods))))
        return f"{_label(prepared, i)} is {why}, but its effort exceeds the capacity of {short}."
    late = [n for n in prepared.needs[i] if not _can_precede(prepared, n.index, n.strict, i)]
    culprit = _label(prepared, late[0].index) if late else "what it needs"
    last = instance.periods[prepared.fitting[i][-1]]
    return (
        f"{_label(prepared, i)} is {why}, but it needs {culprit}, which cannot be done "
        f"{'before' if late and late[0].strict else 'by'} {last}, its latest possible period."
    )


def _can_precede(prepared: Prepared, need: int, strict: bool, i: int) -> bool:
    if not prepared.allowed[need]:
        return False
    return prepared.allowed[need][0] + int(strict) <= prepared.fitting[i][-1]


def _short_teams(prepared: Prepared, i: int, periods: list[int]) -> str:
    teams = prepared.instance.teams
    parts = []
    for j, amount in prepared.effort[i]:
        most = max((prepared.capacity[j][t] for t in periods), default=0.0)
        if amount > most + TOLERANCE:
            unit = f" {teams[j].unit}" if teams[j].unit else ""
            parts.append(f"{teams[j].id} (needs {amount:g}{unit}, at most {most:g} per period)")
    return ", ".join(parts) or "its teams in its window"


def _over_capacity(prepared: Prepared, needed: dict[int, int | None]) -> list[str]:
    reasons = []
    for j, team in enumerate(prepared.instance.teams):
        total = sum(a for i in needed for t, a in prepared.effort[i] if t == j)
        available = sum(prepared.capacity[j])
        if total > available + TOLERANCE:
            reasons.append(
                f"The must-haves (and what they need) take {total:g} of {team.id}'s capacity, "
                f"but it has {available:g} over all periods."
            )
    return reasons


def unexplained(prepared: Prepared) -> str:
    names = ", ".join(_label(prepared, i) for i in sorted(required(prepared)))
    return (
        "The must-haves and what they need cannot all be scheduled together under the "
        f"capacities, windows and dependencies ({names}); relax one of them."
    )


# Left out -----------------------------------------------------------------------------------


def left_out(prepared: Prepared, period_of: dict[int, int]) -> list[dict[str, Any]]:
    """For each initiative not in the plan, the constraint that keeps it out."""
    free = _free(prepared, period_of)
    taken = _taken_groups(prepared, period_of)
    found = []
    for i, item in enumerate(prepared.instance.initiatives):
        if i not in period_of:
            binding = taken.get(i) or _binding(prepared, i, period_of, free)
            found.append(
                {
                    "initiative": item.id,
                    "name": item.name,
                    "value": item.value,
                    "reason": binding["detail"],
                    "binding": binding,
                }
            )
    return sorted(found, key=lambda row: -row["value"])


def _free(prepared: Prepared, period_of: dict[int, int]) -> list[list[float]]:
    free = [list(row) for row in prepared.capacity]
    for i, t in period_of.items():
        for j, amount in prepared.effort[i]:
            free[j][t] -= amount
    return free


def _taken_groups(prepared: Prepared, period_of: dict[int, int]) -> dict[int, dict[str, Any]]:
    instance = prepared.instance
    found: dict[int, dict[str, Any]] = {}
    for group in instance.exclusive_groups:
        chosen = [m for m in group.initiatives if instance.index(m) in period_of]
        for member in group.initiatives:
            if chosen and member not in chosen:
                detail = f"Exclusive group {group.id}: {chosen[0]} was chosen instead."
                found[instance.index(member)] = {
                    "kind": "exclusive",
                    "group": group.id,
                    "chosen": chosen[0],
                    "detail": detail,
                }
    return found


def _dependencies_allow(prepared: Prepared, i: int, t: int, period_of: dict[int, int]) -> bool:
    return all(
        n.index in period_of and period_of[n.index] + int(n.strict) <= t for n in prepared.needs[i]
    )


def _binding(
    prepared: Prepared, i: int, period_of: dict[int, int], free: list[list[float]]
) -> dict[str, Any]:
    instance = prepared.instance
    window = instance.initiatives[i].window(len(instance.periods))
    every = range(len(instance.periods))
    open_ = {t for t in every if _dependencies_allow(prepared, i, t, period_of)}
    fits = {t for t in every if prepared.fits(i, t, free)}
    if inside := [t for t in window if t in open_ and t in fits]:
        return _value_binding(prepared, i, inside[0])
    if any(t in fits for t in window):  # room, but what it needs is missing or too late
        return _dependency_binding(prepared, i, period_of)
    if outside := sorted(t for t in open_ & fits if t not in window):
        where = instance.periods[outside[0]]
        return {
            "kind": "window",
            "detail": f"It would fit in {where}, outside its allowed periods.",
        }
    if in_window := [t for t in window if t in open_]:
        return _capacity_binding(prepared, i, in_window, free)
    return _dependency_binding(prepared, i, period_of)


def _value_binding(prepared: Prepared, i: int, t: int) -> dict[str, Any]:
    period = prepared.instance.periods[t]
    if prepared.instance.initiatives[i].value <= 0:
        detail = f"It fits in {period} but adds no value (value 0)."
    else:
        detail = f"It fits in {period}: left out within the accepted optimality gap."
    return {"kind": "value", "detail": detail}


def _capacity_binding(
    prepared: Prepared, i: int, periods: list[int], free: list[list[float]]
) -> dict[str, Any]:
    teams = prepared.instance.teams
    names = prepared.instance.periods
    short: list[tuple[int, float, list[int]]] = []
    for j, amount in prepared.effort[i]:
        missing = [t for t in periods if free[j][t] + TOLERANCE < amount]
        if missing:
            short.append((j, amount, missing))
    short.sort(key=lambda s: -len(s[2]))
    parts = []
    for j, amount, missing in short:
        unit = f" {teams[j].unit}" if teams[j].unit else ""
        room = ", ".join(f"{max(free[j][t], 0.0):g} in {names[t]}" for t in missing)
        parts.append(f"{teams[j].id} needs {amount:g}{unit}, free {room}")
    return {
        "kind": "capacity",
        "team": teams[short[0][0]].id,
        "teams": [teams[j].id for j, _, _ in short],
        "detail": "No room: " + "; ".join(parts) + ".",
    }


def _dependency_binding(prepared: Prepared, i: int, period_of: dict[int, int]) -> dict[str, Any]:
    instance = prepared.instance
    item = instance.initiatives[i]
    window = item.window(len(instance.periods))
    for need in prepared.needs[i]:
        other = instance.initiatives[need.index]
        if need.index not in period_of:
            detail = f"It needs {other.id}, which is left out."
        elif period_of[need.index] + int(need.strict) > window[-1]:
            when = instance.periods[period_of[need.index]]
            detail = (
                f"It needs {other.id}, scheduled in {when}: too late for its latest period "
                f"{instance.periods[window[-1]]}."
            )
        else:
            continue
        return {"kind": "dependency", "needs": other.id, "detail": detail}
    return {"kind": "dependency", "needs": None, "detail": "Its dependencies leave no period."}
