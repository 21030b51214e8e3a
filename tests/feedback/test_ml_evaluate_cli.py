"""`quarterdeck feedback evaluate` on small subsets of the real labelled sets."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quarterdeck.cli import cli
from tests.shared_data import shared_data


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUARTERDECK_CACHE_DIR", str(tmp_path / "cache"))


def evaluate(*args: str) -> Result:
    return CliRunner().invoke(cli, ["feedback", "evaluate", *args])


def scores(result: Result, task: str) -> dict[str, dict[str, float]]:
    assert result.exit_code == 0, result.output
    return {r["method"]: r["scores"] for r in json.loads(result.stdout)[task]}


def _subset(source: Path, target: Path, keep: object) -> Path:
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if keep(row)]  # type: ignore[operator]
        columns = reader.fieldnames or []
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_themes_on_banking_rows_beat_the_floor_and_show_the_baseline() -> None:
    result = evaluate(
        "--task", "themes", "--data-dir", str(shared_data()), "--limit", "400", "--json"
    )
    by_method = scores(result, "themes")
    assert set(by_method) == {"MiniLM", "TF-IDF"}
    assert by_method["MiniLM"]["NMI"] >= 0.6
    assert by_method["MiniLM"]["NMI"] > by_method["TF-IDF"]["NMI"]
    assert by_method["MiniLM"]["themes found"] >= 5


def test_linking_on_one_app(tmp_path: Path) -> None:
    source = shared_data() / "app-reviews-feature-linking/study2_feature_review_judgements_dev.csv"
    data = _subset(source, tmp_path / "spotify.csv", lambda row: row["app_folder"] == "Spotify")
    result = evaluate("--task", "linking", "--data", str(data), "--json")
    by_method = scores(result, "linking")
    minilm = by_method["MiniLM"]
    assert minilm["recall"] >= 0.7
    assert minilm["avg precision after accepts"] > minilm["avg precision"]
    assert "TF-IDF" in by_method


def test_duplicates_on_a_subset_with_known_pairs(tmp_path: Path) -> None:
    folder = shared_data() / "bug-report-duplicates"
    with (folder / "SeaMonkey_bugs-combined.csv").open() as handle:
        paired = {i for row in csv.DictReader(handle) for i in row.values()}
    data = _subset(
        folder / "SeaMonkey_bugs.csv",
        tmp_path / "bugs.csv",
        lambda row: row["Issue id"] in paired or row["Issue id"].endswith("77"),
    )
    result = evaluate(
        "--task", "duplicates", "--data", str(data),
        "--duplicates", str(folder / "SeaMonkey_bugs-combined.csv"), "--json",
    )  # fmt: skip
    by_method = scores(result, "duplicates")
    assert by_method["MiniLM"]["recall@5"] >= 0.6
    assert set(by_method) == {"MiniLM", "TF-IDF"}


def test_table_output_names_the_methods() -> None:
    result = evaluate("--task", "themes", "--data-dir", str(shared_data()), "--limit", "60")
    assert result.exit_code == 0, result.output
    assert "MiniLM" in result.stdout
    assert "TF-IDF" in result.stdout
    assert "NMI" in result.stdout


def test_bad_paths_and_columns_are_named(tmp_path: Path) -> None:
    missing = evaluate("--task", "themes", "--data", str(tmp_path / "none.csv"))
    assert missing.exit_code == 2
    assert "none.csv: no such file" in missing.output
    banking = str(shared_data() / "banking77/train.csv")
    wrong = evaluate("--task", "themes", "--data", banking, "--label-column", "intent")
    assert wrong.exit_code == 2
    assert "no column 'intent'" in wrong.output
    assert "'text', 'category'" in wrong.output
    latin = tmp_path / "latin.csv"
    latin.write_bytes("text,category\ncaf\xe9,x\n".encode("latin-1"))
    assert "not UTF-8" in evaluate("--task", "themes", "--data", str(latin)).output
    assert evaluate("--data", banking).exit_code == 2
