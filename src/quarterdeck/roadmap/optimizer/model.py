"""What the solver, the greedy baseline and the explanations share: an instance turned into
indexes (efforts as team-index pairs, needs per initiative, a topological order) and the periods
each initiative may take at all.

An initiative's allowed periods are its window, minus the periods where its effort exceeds some
team's whole capacity, minus the periods before its needs can be done (propagated along the
dependencies). Removing those variables up front keeps the MILP small and presolve-friendly."""

from __future__ import annotations

from dataclasses import dataclass

from quarterdeck.roadmap.optimizer.instance import Instance

TOLERANCE = 1e-7


@dataclass(frozen=True)
class Need:
    index: int  # the needed initiative
    strict: bool  # strictly earlier


@dataclass
class Prepared:
    instance: Instance
    capacity: list[list[float]]  # [team][period]
    effort: list[list[tuple[int, float]]]  # [initiative] -> (team index, amount > 0)
    needs: list[list[Need]]  # [initiative]
    fitting: list[list[int]]  # window and capacity only
    allowed: list[list[int]]  # also after the dependencies' earliest periods
    order: list[int]  # needs before the initiatives that need them (empty when cyclic)
    cycle: list[int]  # a dependency cycle, if any

    def fits(self, i: int, t: int, free: list[list[float]]) -> bool:
        return all(free[j][t] + TOLERANCE >= amount for j, amount in self.effort[i])


def prepare(instance: Instance, extra: dict[int, float] | None = None) -> Prepared:
    """``extra``: capacity added to a team in every period (for shadow values)."""
    team_index = {team.id: j for j, team in enumerate(instance.teams)}
    capacity = [
        [c + (extra or {}).get(j, 0.0) for c in team.capacity]
        for j, team in enumerate(instance.teams)
    ]
    effort = [
        [(team_index[team], amount) for team, amount in item.effort.items() if amount > 0]
        for item in instance.initiatives
    ]
    needs: list[list[Need]] = [[] for _ in instance.initiatives]
    for dep in instance.dependencies:
        needs[instance.index(dep.initiative)].append(
            Need(instance.index(dep.needs), instance.is_strict(dep))
        )
    periods = len(instance.periods)
    fitting = [
        [t for t in item.window(periods) if all(capacity[j][t] + TOLERANCE >= a for j, a in e)]
        for item, e in zip(instance.initiatives, effort, strict=True)
    ]
    order, cycle = _topological(needs)
    prepared = Prepared(instance, capacity, effort, needs, fitting, fitting, order, cycle)
    if not cycle:
        prepared.allowed = _propagate(fitting, needs, order)
    return prepared


def _topological(needs: list[list[Need]]) -> tuple[list[int], list[int]]:
    """Kahn's order (needs first), or a cycle when there is one."""
    waiting = [len(found) for found in needs]
    needed_by: list[list[int]] = [[] for _ in needs]
    for i, found in enumerate(needs):
        for need in found:
            needed_by[need.index].append(i)
    ready = [i for i, count in enumerate(waiting) if count == 0]
    order: list[int] = []
    while ready:
        i = ready.pop()
        order.append(i)
        for follower in needed_by[i]:
            waiting[follower] -= 1
            if waiting[follower] == 0:
                ready.append(follower)
    if len(order) == len(needs):
        return order, []
    return [], _find_cycle(needs, {i for i, count in enumerate(waiting) if count > 0})


def _find_cycle(needs: list[list[Need]], stuck: set[int]) -> list[int]:
    """Walk needs inside the stuck set (every stuck node needs another stuck one) until a node
    repeats: the part from its first visit is a cycle."""
    node = min(stuck)
    seen: dict[int, int] = {}
    path: list[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(n.index for n in needs[node] if n.index in stuck)
    return [*path[seen[node] :], node]


def _propagate(
    fitting: list[list[int]], needs: list[list[Need]], order: list[int]
) -> list[list[int]]:
    allowed = [list(periods) for periods in fitting]
    for i in order:
        first = 0
        for need in needs[i]:
            if not allowed[need.index]:
                first = 10**9  # a need that can never be done: neither can this
                break
            first = max(first, allowed[need.index][0] + int(need.strict))
        allowed[i] = [t for t in allowed[i] if t >= first]
    return allowed


def required(prepared: Prepared) -> dict[int, int | None]:
    """Must-haves and everything they need, transitively: index -> who needs it (None for a
    must-have itself)."""
    found: dict[int, int | None] = {}
    stack = [i for i, item in enumerate(prepared.instance.initiatives) if item.must_have]
    for i in stack:
        found[i] = None
    while stack:
        i = stack.pop()
        for need in prepared.needs[i]:
            if need.index not in found:
                found[need.index] = i
                stack.append(need.index)
    return found
