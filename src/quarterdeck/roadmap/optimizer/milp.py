"""The mixed-integer programme and its solve with scipy.optimize.milp (HiGHS).

x[i,t] = 1 when initiative i is done in period t (only for the periods it may take: see
model.py). Rows: one choice per initiative (exactly one for what the must-haves require),
capacity per team and period, dependencies in cumulative form (by any period t, A started ⇒ B
started by t, or by t-1 when strict; one row per period A may take, the others are implied),
at most one per exclusive group. Objective: maximise Σ weight_t · value_i · x[i,t]."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from quarterdeck.roadmap.optimizer.model import Prepared, required


@dataclass
class Programme:
    objective: NDArray[np.float64]  # to maximise
    matrix: csr_array
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    item: NDArray[np.int64]  # variable -> initiative index
    period: NDArray[np.int64]  # variable -> period index
    capacity_rows: dict[tuple[int, int], int]  # (team, period) -> row


@dataclass
class Solution:
    status: int  # scipy's milp status
    period_of: dict[int, int]  # initiative index -> period index
    objective: float | None
    bound: float | None
    seconds: float


class _Rows:
    """Sparse rows collected as coordinates, then one matrix."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.data: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, cols: list[int], data: list[float], lower: float, upper: float) -> int:
        row = len(self.lower)
        self.rows += [row] * len(cols)
        self.cols += cols
        self.data += data
        self.lower.append(lower)
        self.upper.append(upper)
        return row


def build(prepared: Prepared) -> Programme:
    instance = prepared.instance
    columns: list[list[int]] = []  # per initiative, its variables in period order
    item: list[int] = []
    period: list[int] = []
    for i, periods in enumerate(prepared.allowed):
        columns.append(list(range(len(item), len(item) + len(periods))))
        item += [i] * len(periods)
        period += periods
    items = np.array(item, dtype=np.int64)
    periods_ = np.array(period, dtype=np.int64)
    values = np.array([x.value for x in instance.initiatives], dtype=np.float64)
    weights = np.array([instance.weight(t) for t in range(len(instance.periods))])
    objective = values[items] * weights[periods_] if len(items) else np.zeros(0)
    rows = _Rows()
    _choice_rows(prepared, columns, rows)
    capacity_rows = _capacity_rows(prepared, columns, rows)
    _dependency_rows(prepared, columns, rows)
    _exclusive_rows(prepared, columns, rows)
    matrix = csr_array(
        (rows.data, (rows.rows, rows.cols)), shape=(len(rows.lower), len(items)), dtype=np.float64
    )
    return Programme(
        objective,
        matrix,
        np.array(rows.lower, dtype=np.float64),
        np.array(rows.upper, dtype=np.float64),
        items,
        periods_,
        capacity_rows,
    )


def _choice_rows(prepared: Prepared, columns: list[list[int]], rows: _Rows) -> None:
    forced = required(prepared)
    for i, cols in enumerate(columns):
        if cols:
            rows.add(cols, [1.0] * len(cols), 1.0 if i in forced else 0.0, 1.0)


def _capacity_rows(
    prepared: Prepared, columns: list[list[int]], rows: _Rows
) -> dict[tuple[int, int], int]:
    cells: dict[tuple[int, int], tuple[list[int], list[float]]] = {}
    for i, cols in enumerate(columns):
        for col, t in zip(cols, prepared.allowed[i], strict=True):
            for j, amount in prepared.effort[i]:
                found = cells.setdefault((j, t), ([], []))
                found[0].append(col)
                found[1].append(amount)
    found_rows = {}
    for (j, t), (cols, data) in sorted(cells.items()):
        found_rows[(j, t)] = rows.add(cols, data, -np.inf, prepared.capacity[j][t])
    return found_rows


def _dependency_rows(prepared: Prepared, columns: list[list[int]], rows: _Rows) -> None:
    for a, needs in enumerate(prepared.needs):
        for need in needs:
            b = need.index
            for k, t in enumerate(prepared.allowed[a]):
                last = t - int(need.strict)
                mine = columns[a][: k + 1]
                theirs = [
                    c for c, s in zip(columns[b], prepared.allowed[b], strict=True) if s <= last
                ]
                rows.add(mine + theirs, [1.0] * len(mine) + [-1.0] * len(theirs), -np.inf, 0.0)


def _exclusive_rows(prepared: Prepared, columns: list[list[int]], rows: _Rows) -> None:
    instance = prepared.instance
    for group in instance.exclusive_groups:
        cols = [c for m in group.initiatives for c in columns[instance.index(m)]]
        if len({instance.index(m) for m in group.initiatives if columns[instance.index(m)]}) > 1:
            rows.add(cols, [1.0] * len(cols), 0.0, 1.0)


def solve_programme(programme: Programme, *, time_limit: float, gap: float) -> Solution:
    started = time.perf_counter()
    if len(programme.objective) == 0:
        return Solution(0, {}, 0.0, 0.0, time.perf_counter() - started)
    constraints = []
    if programme.matrix.shape[0]:
        constraints.append(LinearConstraint(programme.matrix, programme.lower, programme.upper))
    result = milp(
        -programme.objective,
        integrality=np.ones(len(programme.objective)),
        bounds=Bounds(0.0, 1.0),
        constraints=constraints,
        options={"time_limit": max(time_limit, 0.01), "mip_rel_gap": gap, "presolve": True},
    )
    seconds = time.perf_counter() - started
    if result.x is None:
        return Solution(result.status, {}, None, None, seconds)
    chosen = np.flatnonzero(result.x > 0.5)
    period_of = {int(programme.item[c]): int(programme.period[c]) for c in chosen}
    objective = float(programme.objective[chosen].sum())
    dual = getattr(result, "mip_dual_bound", None)
    if dual is not None and np.isfinite(dual):
        bound: float | None = max(-float(dual), objective)
    else:  # no proven bound unless HiGHS says optimal
        bound = objective if result.status == 0 else None
    return Solution(result.status, period_of, objective, bound, seconds)
