"""The optimizer's edges: JSON validation with paths, infeasibility explained, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterdeck.cli.roadmap_optimize import optimize_command
from quarterdeck.roadmap.optimizer import Instance, InstanceError, solve

BASE: dict[str, Any] = {
    "periods": ["2027-Q1", "2027-Q2"],
    "teams": [{"id": "platform", "capacity": {"2027-Q1": 10, "2027-Q2": 8}}],
    "initiatives": [
        {"id": "A", "value": 10, "effort": {"platform": 6}},
        {"id": "B", "value": 4, "effort": {"platform": 5}},
        {"id": "C", "value": 3, "effort": {"platform": 9}},
    ],
}


def _with(**changes: Any) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(BASE))
    return copy | changes


def _items(*changes: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(json.dumps(BASE["initiatives"]))
    for item, change in zip(items, changes, strict=False):
        item.update(change)
    return items


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        ({"teams": []}, "periods", "required"),
        (_with(periods=[]), "periods", "at least one"),
        (_with(periods="Q1"), "periods", "expected a list"),
        (_with(initiatives=_items({}, {}, {"effort": {"platform": -1}})),
         "initiatives[2].effort.platform", "expected a number >= 0"),
        (_with(initiatives=_items({"effort": {"mobile": 1}})),
         "initiatives[0].effort.mobile", "unknown team"),
        (_with(initiatives=_items({}, {"value": "high"})), "initiatives[1].value", "a number"),
        (_with(initiatives=_items({}, {"id": "A"})), "initiatives[1].id", "duplicate"),
        (_with(initiatives=_items({"earliest": "2027-Q3"})),
         "initiatives[0].earliest", "unknown period"),
        (_with(initiatives=_items({"earliest": "2027-Q2", "latest": "2027-Q1"})),
         "initiatives[0].latest", "before earliest"),
        (_with(initiatives=_items({"must_have": "yes"})),
         "initiatives[0].must_have", "true or false"),
        (_with(initiatives=_items({"colour": "red"})), "initiatives[0].colour", "unknown key"),
        (_with(teams=[{"id": "platform", "capacity": {"2027-Q1": 3}}]),
         "teams[0].capacity.2027-Q2", "every period"),
        (_with(teams=[{"id": "platform", "capacity": [1, 2, 3]}]),
         "teams[0].capacity", "one per period"),
        (_with(dependencies=[{"initiative": "A", "needs": "Z"}]),
         "dependencies[0].needs", "unknown initiative"),
        (_with(dependencies=[{"initiative": "A", "needs": "A"}]),
         "dependencies[0].needs", "cannot need itself"),
        (_with(exclusive_groups=[{"id": "g", "initiatives": ["A", "Q"]}]),
         "exclusive_groups[0].initiatives[1]", "unknown initiative"),
        (_with(period_weights=[1]), "period_weights", "one per period"),
    ],
)  # fmt: skip
def test_bad_instances_name_the_json_path(data: dict[str, Any], path: str, words: str) -> None:
    with pytest.raises(InstanceError) as caught:
        Instance.from_json(data)
    assert caught.value.path == path
    assert words in caught.value.message


def test_the_json_round_trips() -> None:
    data = _with(
        period_weights=[1, 0.8],
        dependencies=[{"initiative": "B", "needs": "A", "strict": True}],
        exclusive_groups=[{"id": "g", "initiatives": ["B", "C"]}],
        initiatives=_items({"must_have": True}, {"latest": "2027-Q2"}, {"fixed_period": "2027-Q1"}),
    )
    instance = Instance.from_json(data)
    assert Instance.from_json(instance.to_json()) == instance


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_with(dependencies=[{"initiative": "A", "needs": "B"}, {"initiative": "B", "needs": "A"}]),
         "cycle: A → B → A"),
        (_with(initiatives=_items({"must_have": True}, {"must_have": True}),
               exclusive_groups=[{"id": "g", "initiatives": ["A", "B"]}]),
         "Exclusive group g allows one initiative, but 2 are required"),
        (_with(initiatives=_items({"must_have": True}),
               dependencies=[{"initiative": "A", "needs": "C"}],
               exclusive_groups=[{"id": "g", "initiatives": ["C", "B"]}, {"id": "h",
                                 "initiatives": ["C", "A"]}]),
         "C is needed by A, a must-have"),
        (_with(initiatives=_items({}, {}, {"must_have": True, "effort": {"platform": 11}})),
         "exceeds the capacity of platform (needs 11, at most 10 per period)"),
        (_with(initiatives=_items({"must_have": True, "latest": "2027-Q1"}),
               dependencies=[{"initiative": "A", "needs": "C", "strict": True}]),
         "it needs C, which cannot be done before 2027-Q1"),
        (_with(initiatives=_items({"must_have": True}, {"must_have": True},
                                  {"must_have": True})),
         "take 20 of platform's capacity, but it has 18"),
    ],
)  # fmt: skip
def test_infeasible_instances_say_why(data: dict[str, Any], words: str) -> None:
    plan = solve(Instance.from_json(data))
    assert plan.status == "infeasible"
    assert plan.assignments == {}
    assert words in " ".join(plan.reasons)


def test_infeasible_without_an_obvious_cause_still_explains() -> None:
    # The team's total fits (15 <= 18), but both must go in 2027-Q1, where only 10 fit.
    data = _with(initiatives=_items({"must_have": True, "effort": {"platform": 7}},
                                    {"must_have": True, "effort": {"platform": 8}}))  # fmt: skip
    data["teams"][0]["capacity"] = {"2027-Q1": 10, "2027-Q2": 8}
    data["initiatives"][0]["latest"] = "2027-Q1"
    data["initiatives"][1]["latest"] = "2027-Q1"
    plan = solve(Instance.from_json(data))
    assert plan.status == "infeasible"
    assert "cannot all be scheduled together" in plan.reasons[0]
    assert "A, B" in plan.reasons[0]


# CLI ----------------------------------------------------------------------------------------


def _run(args: list[str], stdin: str | None = None) -> Any:
    return CliRunner().invoke(optimize_command, args, input=stdin)


def test_cli_prints_the_plan_as_json(tmp_path: Path) -> None:
    source = tmp_path / "instance.json"
    source.write_text(json.dumps(_with(period_weights=[1, 0.5])))
    result = _run([str(source)])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["status"] == "optimal"
    assert {row["initiative"]: row["period"] for row in plan["plan"]} == {
        "A": "2027-Q1",
        "B": "2027-Q2",
    }
    assert plan["value"] == 12.0
    assert plan["greedy_value"] == 12.0
    assert plan["gap"] == 0.0
    assert "optimal: value 12, gap 0.000%, 2 chosen, 1 left out" in result.stderr


def test_cli_reads_stdin_and_writes_out(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = _run(["-", "--out", str(out), "--greedy"], stdin=json.dumps(BASE))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text())["solver"] == "greedy"
    assert "written to" in result.stderr


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        ("{not json", "is not valid JSON: Expecting property name enclosed in double quotes"),
        (json.dumps(_with(initiatives=_items({}, {}, {"effort": {"platform": -2}}))),
         "Bad instance at initiatives[2].effort.platform: expected a number >= 0, got -2"),
        ("[1, 2]", "Bad instance at the top level: expected an object"),
    ],
)  # fmt: skip
def test_cli_bad_input_is_one_line_and_exit_2(stdin: str, words: str) -> None:
    result = _run(["-"], stdin=stdin)
    assert result.exit_code == 2
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    result = _run([str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "Cannot read" in result.stderr


def test_cli_infeasible_prints_why_and_exits_1() -> None:
    data = _with(initiatives=_items({"must_have": True, "effort": {"platform": 12}}))
    result = _run(["-"], stdin=json.dumps(data))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["status"] == "infeasible"
    assert "Infeasible: A is a must-have" in result.stderr


def test_cli_needs_no_django_settings(tmp_path: Path) -> None:
    source = tmp_path / "instance.json"
    source.write_text(json.dumps(BASE))
    script = (
        "import sys; from quarterdeck.cli.base import cli; "
        "import quarterdeck.cli.roadmap_optimize; cli(['roadmap', 'optimize', sys.argv[1]])"
    )
    env = {"PATH": os.environ.get("PATH", ""), "QUARTERDECK_DATABASE_URL": "nonsense://"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(source)], capture_output=True, text=True, env=env,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "optimal"


def test_the_documented_example_gives_the_documented_plan() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "optimizer.md").read_text()
    example = json.loads(text.split("```json\n")[1].split("```")[0])
    plan = solve(Instance.from_json(example)).to_json()
    assert plan["value"] == 194.3
    assert {row["initiative"]: row["period"] for row in plan["plan"]} == {
        "route-api": "2027-Q1", "sso": "2027-Q1", "route-planner": "2027-Q2", "kiosk": "2027-Q3",
    }  # fmt: skip
    assert [row["initiative"] for row in plan["left_out"]] == ["kiosk-buy"]


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 20)
    | st.floats(allow_nan=True)
    | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    ["periods", "teams", "initiatives", "dependencies", "exclusive_groups", "period_weights",
     "strict", "id", "value", "effort", "capacity"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    broken=st.lists(st.tuples(st.sampled_from(["teams", "initiatives"]), KEYS, JSON), max_size=3),
    top=st.dictionaries(KEYS, JSON, max_size=2),
)
def test_any_json_is_an_instance_or_an_instance_error(
    broken: list[tuple[str, str, Any]], top: dict[str, Any]
) -> None:
    data = _with(**top)
    for where, key, junk in broken:
        if isinstance(data.get(where), list) and data[where] and isinstance(data[where][0], dict):
            data[where][0][key] = junk
    refused: InstanceError | None = None
    try:
        instance = Instance.from_json(data)
    except InstanceError as exc:  # the only way to refuse: with a path and a message
        refused = exc
    if refused is not None:
        assert refused.message
        return
    assert solve(instance, shadow=False).status in ("optimal", "within_gap", "infeasible")
