"""`quarterdeck feedback add | import | list | process | import-surveys`, as operators run them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from quarterdeck.cli import cli
from quarterdeck.feedback.models import DuplicateCandidate, FeedbackItem
from quarterdeck.surveys.models import Response, Survey
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ROWS = [
    ("Id", "Comment", "Product"),
    ("S-1", "The invoice PDF has the wrong logo", "Atlas"),
    ("S-2", "Alerts wake me up at night for nothing", "Beacon"),
    ("S-3", "The PDF of the invoice shows the wrong logo", "Atlas"),
]


def _file(tmp_path: Path, rows: Sequence[tuple[str, ...]]) -> Path:
    path = tmp_path / "tickets.csv"
    with path.open("w", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


MAPS = ["--map", "Id=external_id", "--map", "Comment=text", "--map", "Product=product"]


def test_import_processes_then_list(personas: Personas, tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(cli, ["feedback", "import", str(_file(tmp_path, ROWS)), *MAPS])
    assert done.exit_code == 0, done.output
    assert "3 rows: 3 imported" in done.output
    assert "Processed 3 items" in done.output
    assert "1 possible duplicates" in done.output
    assert DuplicateCandidate.objects.count() == 1
    listed = runner.invoke(cli, ["feedback", "list", "--product", "Atlas", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [r["text"] for r in rows] == [ROWS[3][1], ROWS[1][1]]
    as_csv = runner.invoke(cli, ["feedback", "list", "--format", "csv", "--limit", "1"])
    assert len(list(csv.DictReader(io.StringIO(as_csv.output)))) == 1


def test_a_bad_file_is_refused_whole(personas: Personas, tmp_path: Path) -> None:
    rows = [*ROWS, ("S-4", "", "Atlas"), ("S-5", "Fine", "Zeppelin")]
    report = tmp_path / "report.json"
    refused = CliRunner().invoke(
        cli, ["feedback", "import", str(_file(tmp_path, rows)), *MAPS, "--report", str(report)]
    )
    assert refused.exit_code == 1
    assert "2 of 5 rows are invalid" in refused.output
    assert "Zeppelin" in refused.output
    assert json.loads(report.read_text())["skipped_rows"] == 2
    assert FeedbackItem.objects.count() == 0


def test_add_and_process(personas: Personas) -> None:
    runner = CliRunner()
    added = runner.invoke(
        cli, ["feedback", "add", "I hate waiting for exports", "--product", "Atlas", "--tag", "x"]
    )
    assert added.exit_code == 0, added.output
    assert "negative sentiment" in added.output
    item = FeedbackItem.objects.get()
    assert (item.product, item.source, item.tags) == (personas.atlas, "form", ["x"])
    unknown = runner.invoke(cli, ["feedback", "add", "x", "--product", "Nope"])
    assert unknown.exit_code == 1
    assert "no product named 'Nope'" in unknown.output
    FeedbackItem.objects.create(text="A new one, never processed")
    processed = runner.invoke(cli, ["feedback", "process"])
    assert "Processed 1 items" in processed.output
    assert "Nothing to process" in runner.invoke(cli, ["feedback", "process"]).output


def test_import_surveys(personas: Personas) -> None:
    survey = Survey.objects.create(name="Atlas NPS", kind="nps", scale_min=0, scale_max=10)
    Response.objects.create(
        survey=survey, score=2, comment="Too expensive, and the support is terrible",
        answered_at="2025-01-01T00:00:00Z", source="api", external_id="r1",
    )  # fmt: skip
    runner = CliRunner()
    first = runner.invoke(cli, ["feedback", "import-surveys", "--survey", "Atlas NPS"])
    assert first.exit_code == 0, first.output
    assert "Added 1 survey verbatims" in first.output
    assert "Processed 1 items" in first.output
    again = runner.invoke(cli, ["feedback", "import-surveys"])
    assert "Added 0 survey verbatims" in again.output
    assert FeedbackItem.objects.get().sentiment == "negative"
