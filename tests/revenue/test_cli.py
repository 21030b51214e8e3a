"""`quarterdeck revenue import`, `revenue metrics` and `revenue rate set`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quarterdeck.cli import cli
from quarterdeck.revenue.models import CurrencyRate, Subscription
from tests.personas import Personas
from tests.revenue.conftest import V7_CSV

pytestmark = pytest.mark.django_db


@pytest.fixture
def v7_file(tmp_path: Path) -> Path:
    path = tmp_path / "subs.csv"
    path.write_text(V7_CSV, encoding="utf-8")
    return path


def test_import_then_metrics_as_json(personas: Personas, v7_file: Path) -> None:
    imported = CliRunner().invoke(cli, ["revenue", "import", str(v7_file)])
    assert imported.exit_code == 0, imported.output
    assert Subscription.objects.count() == 9
    args = ["revenue", "metrics", "--metric", "quick_ratio", "--from", "2024-03-01"]
    result = CliRunner().invoke(cli, [*args, "--to", "2024-03-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert round(json.loads(result.output)[0]["value"], 2) == 1.92


def test_metrics_per_line_as_csv_and_table(personas: Personas, v7_file: Path) -> None:
    CliRunner().invoke(cli, ["revenue", "import", str(v7_file)])
    args = ["revenue", "metrics", "--metric", "movements", "--line", "platform"]
    result = CliRunner().invoke(
        cli, [*args, "--from", "2024-03-01", "--to", "2024-03-31", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "2024-03-01,2024-04-01,60.0,50.0,80.0,50.0,40.0"
    table = CliRunner().invoke(
        cli, ["revenue", "metrics", "--product", "Atlas", "--to", "2024-03-31"]
    )
    assert table.exit_code == 0
    assert "370" in table.output


def test_a_bad_file_writes_nothing_and_leaves_a_report(personas: Personas, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(V7_CSV + "\nz1,Z,,active,oops,USD,month,1,Atlas,2024-01-01,,", encoding="utf-8")
    report = tmp_path / "report.csv"
    result = CliRunner().invoke(cli, ["revenue", "import", str(bad), "--report", str(report)])
    assert result.exit_code == 1
    assert "row 11, column amount" in result.output
    assert not Subscription.objects.exists()
    assert "oops" in report.read_text(encoding="utf-8")
    skipped = CliRunner().invoke(cli, ["revenue", "import", str(bad), "--skip-invalid"])
    assert skipped.exit_code == 0
    assert Subscription.objects.count() == 9


def test_rate_set_and_bad_rates(personas: Personas) -> None:
    result = CliRunner().invoke(cli, ["revenue", "rate", "set", "eur", "1.08"])
    assert result.exit_code == 0, result.output
    assert CurrencyRate.objects.get().currency == "EUR"
    assert CliRunner().invoke(cli, ["revenue", "rate", "set", "EUR", "lots"]).exit_code == 2
    negative = CliRunner().invoke(cli, ["revenue", "rate", "set", "EUR", "--", "-1"])
    assert negative.exit_code == 1
    assert "rate" in negative.output


def test_unknown_line_is_one_red_line(personas: Personas) -> None:
    result = CliRunner().invoke(cli, ["revenue", "metrics", "--line", "Nope"])
    assert result.exit_code == 1
    assert "no product line named 'Nope'" in result.output
