"""`quarterdeck surveys create | import | results | sync`, invoked like an operator would."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quarterdeck.cli import cli
from quarterdeck.surveys.models import Survey
from tests.personas import Personas
from tests.surveys.conftest import Surveys, require_verbatims

pytestmark = pytest.mark.django_db

MAPS = [
    "--map", "CUSTOMER_RESPONSE_DATE=answered_at",
    "--map", "NPS_SCORE=score",
    "--map", "text=comment",
    "--map", "SURVEY_SUB_TYPE=stage",
]  # fmt: skip


def test_create_import_and_results_of_the_real_file(personas: Personas, tmp_path: Path) -> None:
    path = require_verbatims()
    runner = CliRunner()
    created = runner.invoke(cli, ["surveys", "create", "Telco NPS", "--kind", "nps"])
    assert created.exit_code == 0, created.output
    args = ["surveys", "import", str(path), "--survey", "Telco NPS", *MAPS, "--date-format"]
    refused = runner.invoke(cli, [*args, "dayfirst"])
    assert refused.exit_code == 1
    assert "32 of 2385 rows are invalid" in refused.output
    report = tmp_path / "report.json"
    done = runner.invoke(cli, [*args, "dayfirst", "--skip-invalid", "--report", str(report)])
    assert done.exit_code == 0, done.output
    assert "2353 imported" in done.output
    assert json.loads(report.read_text())["skipped_rows"] == 32
    survey = Survey.objects.get(name="Telco NPS")
    assert survey.responses.count() == 2353

    by_stage = runner.invoke(
        cli, ["surveys", "results", "Telco NPS", "--by", "stage", "--format", "csv"]
    )
    assert by_stage.exit_code == 0, by_stage.output
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(by_stage.output))}
    assert int(rows["(all)"]["count"]) == 2353
    assert set(rows) == {"(all)", "First Payment", "Order", "Equipment Received", "Service in Use"}
    expected = _nps_of_stage(path, "Order")
    assert float(rows["Order"]["value"]) == pytest.approx(expected)


def _nps_of_stage(path: Path, stage: str) -> float:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        scores = [
            int(r["NPS_SCORE"])
            for r in csv.DictReader(handle)
            if r["SURVEY_SUB_TYPE"] == stage and r["NPS_SCORE"].strip()
        ]
    return 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def test_results_table_and_json(surveys: Surveys) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["surveys", "results", "Atlas NPS"])
    assert table.exit_code == 0, table.output
    assert "2024-03" in table.output
    assert "-50.0" in table.output
    as_json = runner.invoke(cli, ["surveys", "results", "Atlas NPS", "--format", "json"])
    assert [r["key"] for r in json.loads(as_json.output)["rows"]] == ["(all)", "2024-03", "2024-04"]


def test_unknown_survey_and_bad_mapping_are_one_red_line(surveys: Surveys, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["surveys", "results", "Nope"])
    assert missing.exit_code == 1
    assert "no survey named 'Nope'" in missing.output
    path = tmp_path / "a.csv"
    path.write_text("when,score\n2024-01-01,9\n")
    bad = runner.invoke(
        cli, ["surveys", "import", str(path), "--survey", "Atlas NPS", "--map", "score"]
    )
    assert bad.exit_code == 1
    assert "COLUMN=field" in bad.output
    assert "Traceback" not in bad.output


def test_create_a_csat_on_another_scale_for_a_product(personas: Personas) -> None:
    args = ["surveys", "create", "Atlas CSAT", "--kind", "csat", "--product", "Atlas"]
    result = CliRunner().invoke(cli, [*args, "--scale", "1-10"])
    assert result.exit_code == 0, result.output
    survey = Survey.objects.get(name="Atlas CSAT")
    assert (survey.scale_min, survey.scale_max, survey.product) == (1, 10, personas.atlas)
