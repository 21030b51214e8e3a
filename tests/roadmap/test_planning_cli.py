"""`quarterdeck roadmap capacity | effort | needs | export-instance | scenario …`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quarterdeck.cli import cli
from quarterdeck.roadmap.models import Dependency, Effort, RoadmapEntry, Scenario, TeamCapacity
from tests.personas import Personas
from tests.roadmap.planning_factory import Plan, make_plan

pytestmark = pytest.mark.django_db
ENV = {"COLUMNS": "200"}


@pytest.fixture
def plan(personas: Personas) -> Plan:
    return make_plan(personas)


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["roadmap", *args], env=ENV)


def test_capacity_grid_and_set(plan: Plan) -> None:
    result = _run("capacity", "--periods", plan.period)
    assert result.exit_code == 0, result.output
    assert "Platform squad" in result.output
    assert "— / 10" in result.output
    result = _run("capacity", "set", "web squad", plan.period, "8")
    assert result.exit_code == 0, result.output
    assert TeamCapacity.objects.get(team=plan.web, period=plan.period).capacity == 8
    bad = _run("capacity", "set", "Nobody", plan.period, "8")
    assert bad.exit_code == 1
    assert "There is no team 'Nobody'" in bad.output


def test_effort_and_needs(plan: Plan) -> None:
    result = _run("effort", "Atlas Export", "Platform squad=2", "Web squad=0")
    assert result.exit_code == 0, result.output
    assert "Atlas Export: Platform squad 2." in result.output
    assert [(e.team.name, e.amount) for e in Effort.objects.filter(feature=plan.export)] == [
        ("Platform squad", 2)
    ]
    cycle = _run("needs", "Atlas Sync", "Atlas Export")
    assert cycle.exit_code == 1
    assert "cycle" in cycle.output
    assert _run("needs", "Atlas Export", "Atlas Sync", "--remove").exit_code == 0
    assert not Dependency.objects.filter(feature=plan.export).exists()


def test_export_instance_then_run_list_show_compare_apply(plan: Plan, tmp_path: Path) -> None:
    out = tmp_path / "instance.json"
    model = str(plan.model.pk)
    result = _run("export-instance", "--model", model, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert {i["name"] for i in json.loads(out.read_text())["initiatives"]} >= {"Atlas Sync"}
    base = _run("scenario", "run", "--name", "Base", "--model", model)
    assert base.exit_code == 0, base.output
    assert "value 18 (greedy 17)" in base.output
    assert "Left out: Atlas Search" in base.output
    more = _run(
        "scenario",
        "run",
        "--name",
        "More",
        "--model",
        model,
        "--capacity",
        "Platform squad=20",
        "--format",
        "json",
    )
    assert more.exit_code == 0, more.output
    assert json.loads(more.output)["value"] == 28
    listed = json.loads(_run("scenario", "list", "--format", "json").output)
    assert [s["name"] for s in listed] == ["More", "Base"]
    first, second = (str(s.pk) for s in Scenario.objects.order_by("pk"))
    compared = _run("scenario", "compare", first, second)
    assert compared.exit_code == 0
    assert "Atlas Search" in compared.output
    applied = _run("scenario", "apply", first)
    assert applied.exit_code == 0
    assert "Placed 3 initiatives" in applied.output
    assert RoadmapEntry.objects.filter(lane="now").count() == 3
    assert _run("scenario", "show", "999999").exit_code == 1
