"""A plan under construction, for the heuristics (the greedy baseline and the LP rounding):
capacity left per team and period, who is placed where, which exclusive groups are taken.
Placing checks every constraint, so whatever is built this way is feasible."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from quarterdeck.roadmap.optimizer.model import Prepared

Preference = Callable[[int], Sequence[int]]  # initiative -> periods to try, in order


class Placement:
    def __init__(self, prepared: Prepared) -> None:
        instance = prepared.instance
        self.prepared = prepared
        self.free = [list(row) for row in prepared.capacity]
        self.period_of: dict[int, int] = {}
        self.groups: dict[int, list[int]] = {}
        for n, group in enumerate(instance.exclusive_groups):
            for member in group.initiatives:
                self.groups.setdefault(instance.index(member), []).append(n)
        self.taken: dict[int, int] = {}  # group -> its chosen initiative

    def earliest(self, i: int) -> int | None:
        """The first period its placed needs allow; None if a need is not placed."""
        first = 0
        for need in self.prepared.needs[i]:
            if need.index not in self.period_of:
                return None
            first = max(first, self.period_of[need.index] + int(need.strict))
        return first

    def place(self, i: int, periods: Sequence[int] | None = None) -> bool:
        """Place ``i`` in the first of ``periods`` (default: its allowed periods, earliest
        first) where everything holds; False if none."""
        if i in self.period_of or any(g in self.taken for g in self.groups.get(i, ())):
            return False
        first = self.earliest(i)
        if first is None:
            return False
        allowed = self.prepared.allowed[i]
        for t in allowed if periods is None else periods:
            if t >= first and self.prepared.fits(i, t, self.free) and t in allowed:
                self._take(i, t)
                return True
        return False

    def place_with_needs(self, i: int, prefer: Preference) -> bool:
        """Place ``i`` and, first, whatever it needs that is not placed yet — all or nothing."""
        added: list[int] = []
        for k in self._unplaced_closure(i):
            if not self.place(k, prefer(k)):
                for undo in reversed(added):
                    self.remove(undo)
                return False
            added.append(k)
        return True

    def _unplaced_closure(self, i: int) -> list[int]:
        """``i`` and its unplaced needs, transitively, needs first."""
        order: list[int] = []
        seen: set[int] = set()
        stack: list[tuple[int, bool]] = [(i, False)]
        while stack:
            k, expanded = stack.pop()
            if expanded:
                order.append(k)
                continue
            if k in seen or k in self.period_of:
                continue
            seen.add(k)
            stack.append((k, True))
            stack += [(n.index, False) for n in self.prepared.needs[k]]
        return order

    def remove(self, i: int) -> None:
        t = self.period_of.pop(i)
        for j, amount in self.prepared.effort[i]:
            self.free[j][t] += amount
        for g in self.groups.get(i, ()):
            if self.taken.get(g) == i:
                del self.taken[g]

    def _take(self, i: int, t: int) -> None:
        self.period_of[i] = t
        for j, amount in self.prepared.effort[i]:
            self.free[j][t] -= amount
        for g in self.groups.get(i, ()):
            self.taken[g] = i
