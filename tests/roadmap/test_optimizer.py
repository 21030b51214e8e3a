"""The optimizer core against brute force, and its explanations on hand-made instances."""

from __future__ import annotations

import math
import random
import time
from typing import Any

import pytest

from quarterdeck.roadmap.optimizer import Instance, greedy, solve
from quarterdeck.roadmap.optimizer.milp import Solution, build
from quarterdeck.roadmap.optimizer.model import prepare
from quarterdeck.roadmap.optimizer.relax import relax
from quarterdeck.roadmap.optimizer.rounding import lp_round
from tests.roadmap.brute import best, medium_instance, random_instance, value, violations


def _instance(**parts: Any) -> Instance:
    data: dict[str, Any] = {
        "periods": ["Q1", "Q2"],
        "teams": [{"id": "eng", "capacity": 5, "unit": "engineer-weeks"}],
        "initiatives": [],
    }
    return Instance.from_json(data | parts)


@pytest.mark.parametrize("seed", range(120))
def test_solver_matches_brute_force_and_keeps_every_constraint(seed: int) -> None:
    instance = random_instance(random.Random(seed))
    expected = best(instance)
    plan = solve(instance, gap=0.0, shadow=False)
    if expected is None:
        assert plan.status == "infeasible"
        assert plan.reasons
        return
    assert plan.status == "optimal", plan.reasons
    assert plan.value == pytest.approx(expected, abs=1e-6)
    assert violations(instance, plan.assignments) == []


@pytest.mark.parametrize("seed", range(60))
def test_greedy_is_feasible_and_never_beats_the_optimum(seed: int) -> None:
    instance = random_instance(random.Random(1000 + seed))
    expected = best(instance)
    plan = greedy(instance)
    if expected is not None and not plan.reasons:
        assert violations(instance, plan.assignments) == []
        assert plan.value is not None
        assert plan.value <= expected + 1e-6


def test_a_plan_is_chosen_and_scheduled_for_value() -> None:
    instance = _instance(
        period_weights=[1.0, 0.5],
        initiatives=[
            {"id": "A", "value": 10, "effort": {"eng": 5}},
            {"id": "B", "value": 6, "effort": {"eng": 5}},
            {"id": "C", "value": 1, "effort": {"eng": 5}},
        ],
    )
    plan = solve(instance)
    assert plan.assignments == {"A": "Q1", "B": "Q2"}
    assert plan.value == pytest.approx(13.0)
    out = plan.to_json()
    assert out["status"] == "optimal"
    assert out["capacity"][0]["periods"] == [
        {"period": "Q1", "used": 5.0, "capacity": 5.0},
        {"period": "Q2", "used": 5.0, "capacity": 5.0},
    ]
    assert [row["initiative"] for row in out["plan"]] == ["A", "B"]


def _left(plan_json: dict[str, Any], item: str) -> dict[str, Any]:
    return next(row for row in plan_json["left_out"] if row["initiative"] == item)


def test_left_out_for_capacity_names_the_team_and_the_room() -> None:
    instance = _instance(
        periods=["Q1"],
        teams=[{"id": "eng", "capacity": 5}, {"id": "design", "capacity": 4}],
        initiatives=[
            {"id": "A", "value": 10, "effort": {"eng": 4, "design": 1}},
            {"id": "B", "value": 5, "effort": {"eng": 3, "design": 1}},
        ],
    )
    binding = _left(solve(instance).to_json(), "B")["binding"]
    assert binding["kind"] == "capacity"
    assert binding["team"] == "eng"
    assert binding["teams"] == ["eng"]  # design has room: it does not bind
    assert "needs 3, free 1 in Q1" in binding["detail"]


def test_left_out_for_a_dependency_names_what_it_needs() -> None:
    instance = _instance(
        periods=["Q1"],
        initiatives=[
            {"id": "A", "value": 10, "effort": {"eng": 5}},
            {"id": "B", "value": 3, "effort": {"eng": 1}},
            {"id": "C", "value": 4, "effort": {"eng": 5}},
        ],
        dependencies=[{"initiative": "B", "needs": "C"}],
    )
    plan = solve(instance).to_json()
    assert plan["left_out"][0]["initiative"] == "C"  # sorted by value
    binding = _left(plan, "B")["binding"]
    assert binding == {
        "kind": "dependency",
        "needs": "C",
        "detail": "It needs C, which is left out.",
    }


def test_left_out_when_the_need_is_scheduled_too_late() -> None:
    instance = _instance(
        teams=[{"id": "eng", "capacity": [0, 5]}, {"id": "web", "capacity": 5}],
        initiatives=[
            {"id": "A", "value": 1, "effort": {"web": 1}, "latest": "Q1"},
            {"id": "B", "value": 5, "effort": {"eng": 2}},
        ],
        dependencies=[{"initiative": "A", "needs": "B"}],
    )
    plan = solve(instance)
    assert plan.assignments == {"B": "Q2"}
    binding = _left(plan.to_json(), "A")["binding"]
    assert binding["kind"] == "dependency"
    assert "scheduled in Q2: too late for its latest period Q1" in binding["detail"]


def test_left_out_for_an_exclusive_group_names_the_chosen_alternative() -> None:
    instance = _instance(
        initiatives=[
            {"id": "build", "value": 8, "effort": {"eng": 3}},
            {"id": "buy", "value": 6, "effort": {"eng": 1}},
        ],
        exclusive_groups=[{"id": "analytics", "initiatives": ["build", "buy"]}],
    )
    binding = _left(solve(instance).to_json(), "buy")["binding"]
    assert binding["kind"] == "exclusive"
    assert binding["group"] == "analytics"
    assert binding["chosen"] == "build"


def test_left_out_for_a_window_says_where_it_would_fit() -> None:
    instance = _instance(
        teams=[{"id": "eng", "capacity": [3, 3]}],
        initiatives=[
            {"id": "A", "value": 8, "effort": {"eng": 3}, "fixed_period": "Q1"},
            {"id": "B", "value": 5, "effort": {"eng": 3}, "latest": "Q1"},
        ],
    )
    binding = _left(solve(instance).to_json(), "B")["binding"]
    assert binding["kind"] == "window"
    assert "Q2" in binding["detail"]


def test_shadow_value_is_exact_on_a_small_instance() -> None:
    # One more engineer-week per quarter lets C (value 7, effort 3) in next to A: +7. Design
    # has slack, so more of it is worth nothing.
    instance = _instance(
        periods=["Q1"],
        teams=[{"id": "eng", "capacity": 6}, {"id": "design", "capacity": 9}],
        initiatives=[
            {"id": "A", "value": 10, "effort": {"eng": 4, "design": 1}},
            {"id": "C", "value": 7, "effort": {"eng": 3}},
            {"id": "D", "value": 2, "effort": {"eng": 2}},
        ],
    )
    plan = solve(instance)
    assert plan.value == pytest.approx(12.0)  # A + D
    shadow = plan.to_json()["shadow_values"]
    assert shadow["method"] == "exact"
    assert {row["team"]: row["value"] for row in shadow["teams"]} == {"eng": 5.0, "design": 0.0}


def test_the_lp_dual_estimate_is_used_for_big_instances(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("quarterdeck.roadmap.optimizer.shadow.EXACT_VARIABLES", 0)
    instance = _instance(
        periods=["Q1"],
        initiatives=[
            {"id": "A", "value": 10, "effort": {"eng": 4}},
            {"id": "B", "value": 6, "effort": {"eng": 3}},
        ],
    )
    shadow = solve(instance).to_json()["shadow_values"]
    assert shadow["method"] == "lp_dual"
    assert shadow["teams"][0]["value"] == pytest.approx(2.0)  # B's 6 per 3 units at the margin


@pytest.mark.parametrize("seed", range(3))
def test_bigger_instances_keep_every_constraint_within_the_gap(seed: int) -> None:
    instance = medium_instance(random.Random(seed), 20)
    plan = solve(instance, gap=0.01, shadow=False)
    assert plan.status in ("optimal", "within_gap")
    assert violations(instance, plan.assignments) == []
    assert plan.value is not None
    assert plan.bound is not None
    assert plan.gap is not None
    assert plan.gap <= 0.01
    exact = solve(instance, gap=0.0, shadow=False)
    assert exact.status == "optimal"
    assert exact.value is not None
    assert plan.value <= exact.value + 1e-6  # nothing beats the optimum
    assert plan.value >= exact.value / 1.01 - 1e-6  # and the gap it claims is real
    assert plan.bound >= exact.value - 1e-6
    baseline = greedy(instance)
    assert baseline.value is not None
    assert baseline.value <= exact.value + 1e-6
    assert violations(instance, baseline.assignments) == []


@pytest.mark.parametrize("seed", range(8))
def test_lp_rounding_and_local_search_keep_every_constraint(seed: int) -> None:
    # The heuristic that can end a solve on big instances: its plan must be feasible as is.
    instance = medium_instance(random.Random(50 + seed), 80)
    prepared = prepare(instance)
    programme = build(prepared)
    relaxation = relax(programme, time_limit=10)
    assert relaxation is not None
    period_of = lp_round(
        prepared, programme, relaxation, enough=math.inf, deadline=time.perf_counter() + 1
    )
    plan = {instance.initiatives[i].id: instance.periods[t] for i, t in period_of.items()}
    assert violations(instance, plan) == []
    assert value(instance, plan) <= relaxation.bound + 1e-6
    assert value(instance, plan) >= (greedy(instance).value or 0.0)


def test_out_of_time_falls_back_to_the_greedy_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    nothing = Solution(status=1, period_of={}, objective=None, bound=None, seconds=0.0)
    monkeypatch.setattr("quarterdeck.roadmap.optimizer.solver.relax", lambda *a, **k: None)
    monkeypatch.setattr(
        "quarterdeck.roadmap.optimizer.solver.solve_programme", lambda *a, **k: nothing
    )
    instance = medium_instance(random.Random(3), 20)
    plan = solve(instance, time_limit=0.5)
    assert plan.status == "time_limit"
    assert plan.solver == "greedy"
    assert plan.assignments == greedy(instance).assignments
    assert plan.gap is None
    assert "Out of time: this is the greedy plan" in plan.reasons[0]
