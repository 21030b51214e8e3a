"""`quarterdeck launches gates | move` at the terminal: the system is not gated but warned."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from quarterdeck.cli import cli
from quarterdeck.launches.models import GateCriterion
from quarterdeck.portfolio.models import StageChange
from tests.personas import Personas

pytestmark = pytest.mark.django_db
WIDE = {"COLUMNS": "200"}


def test_install_list_and_status(personas: Personas) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["launches", "gates", "install-defaults"])
    assert first.exit_code == 0, first.output
    assert f"{GateCriterion.objects.count()} added" in first.output
    assert "0 added" in runner.invoke(cli, ["launches", "gates", "install-defaults"]).output
    listed = runner.invoke(cli, ["launches", "gates", "list", "--type", "product"], env=WIDE)
    assert "Pricing and packaging decided" in listed.output
    assert "Customer evidence reviewed" not in listed.output
    status = runner.invoke(cli, ["launches", "gates", "status", "Atlas/Atlas Search"], env=WIDE)
    assert status.exit_code == 0, status.output
    assert "in discovery, next build" in status.output
    assert "✗" in status.output
    assert "Customer evidence reviewed" in status.output


def test_move_warns_but_is_not_gated(personas: Personas) -> None:
    GateCriterion.objects.create(stage="discovery", kind="checklist", label="Evidence reviewed")
    runner = CliRunner()
    args = ["launches", "move", "Atlas Search", "--to", "launch", "--reason", "Imported"]
    result = runner.invoke(cli, args, env=WIDE)
    assert result.exit_code == 0, result.output
    assert "warning: unmet exit criterion" in result.output
    assert "Evidence reviewed" in result.output
    assert "from discovery to launch" in result.output
    change = StageChange.objects.filter(item_id=personas.search.pk).first()
    assert change is not None
    assert (change.to_stage, change.actor, change.reason) == ("launch", None, "Imported")
    bad = runner.invoke(cli, ["launches", "move", "Atlas Search", "--to", "orbit", "--reason", "x"])
    assert bad.exit_code == 1
    assert "not a stage" in bad.output
