"""`quarterdeck roadmap formula | score | scores | scoring-models` at the terminal."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from quarterdeck.cli import cli
from tests.personas import Personas


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})


def test_formula_prints_the_value() -> None:
    done = run("roadmap", "formula", "reach * impact / effort", "--set", "reach=500",
               "--set", "impact=2", "--set", "effort=4")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.output.strip() == "250"


def test_formula_error_prints_a_caret_and_exits_2() -> None:
    done = run("roadmap", "formula", "reach ** 2")
    assert done.exit_code == 2
    assert "reach ** 2\n      ^" in done.output
    assert "Error at 6" in done.output


def test_formula_without_values_lists_its_names() -> None:
    done = run("roadmap", "formula", "reach * demand")
    assert done.exit_code == 0
    assert "demand, reach" in done.output
    assert run("roadmap", "formula", "a", "--set", "a").exit_code == 2


@pytest.mark.django_db
def test_score_then_list_in_every_format(personas: Personas) -> None:
    done = run("roadmap", "score", "Atlas Search", "--model", "rice", "--set", "reach=500",
               "--set", "impact=2", "--set", "confidence=80", "--set", "effort=4")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "Atlas Search — RICE: 200" in done.output
    again = run("roadmap", "score", "Atlas Search", "--model", "RICE", "--set", "reach=1000")
    assert again.exit_code == 1
    assert "reason" in again.output
    bad = run("roadmap", "score", "Atlas Search", "--model", "RICE", "--set", "impact=9")
    assert bad.exit_code == 1
    assert "impact" in bad.output
    table = run("roadmap", "scores", "--line", "Platform")
    assert "Atlas Search" in table.output
    assert "200" in table.output
    rows = json.loads(run("roadmap", "scores", "--model", "RICE", "--format", "json").output)
    assert rows[0]["value"] == 200
    as_csv = run("roadmap", "scores", "--format", "csv").output.splitlines()
    assert as_csv[0].startswith("feature_id,feature,product")
    assert len(as_csv) == 2
    assert "WSJF" in run("roadmap", "scoring-models").output
