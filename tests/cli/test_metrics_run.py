"""`quarterdeck metrics run` computes over the embedded Parquet store, as JSON or CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from pytest_django.fixtures import Settings

from quarterdeck.cli import cli
from quarterdeck.metrics.models import FeatureUsage, ProductTracking
from tests.metrics.engine.conftest import _arrow
from tests.metrics.engine.test_v1_active import v1_rows
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(tmp_path: Path, settings: Settings) -> Path:
    """Vector V1 of METRICS_SPEC as a one-file Parquet partition of the event store."""
    settings.EVENTS_DIR = tmp_path
    folder = tmp_path / "date=2024-01-01"
    folder.mkdir()
    pq.write_table(_arrow(v1_rows()), folder / "part-00000.parquet")
    return tmp_path


def test_daily_active_users_as_json(store: Path) -> None:
    result = CliRunner().invoke(
        cli, ["metrics", "run", "active-users", "--from", "2024-01-01", "--to", "2024-01-07"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["dau"] for row in rows] == [2, 2, 2, 1, 2, 1, 3]


def test_histogram_as_csv(store: Path) -> None:
    args = ["metrics", "run", "active-days", "--from", "2024-01-01", "--to", "2024-01-07"]
    result = CliRunner().invoke(cli, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "active_periods,breakdown,actors"
    assert sorted(lines[1:]) == ["1,,1", "2,,1", "3,,1", "7,,1"]


def test_bad_definition_is_one_clear_line(store: Path) -> None:
    result = CliRunner().invoke(
        cli, ["metrics", "run", "funnel", "--from", "2024-01-01", "--to", "2024-01-07"]
    )
    assert result.exit_code == 1
    assert "A funnel needs at least two steps" in result.output
    unknown = CliRunner().invoke(
        cli, ["metrics", "run", "revenue", "--from", "2024-01-01", "--to", "2024-01-07"]
    )
    assert "'revenue' is not a kind of insight" in unknown.output
    after = CliRunner().invoke(
        cli, ["metrics", "run", "lifecycle", "--from", "2024-01-07", "--to", "2024-01-01"]
    )
    assert (after.exit_code, after.output.strip()) == (
        1,
        "Invalid insight query — end: 2024-01-01 is before start 2024-01-07.",
    )


def test_scoped_to_a_product_and_by_portfolio_features(store: Path, personas: Personas) -> None:
    """V1's events carry source_id "web": Atlas's tracking condition selects them."""
    ProductTracking.objects.create(
        product=personas.atlas, conditions=[{"key": "source_id", "value": "web", "on": "column"}]
    )
    FeatureUsage.objects.create(feature=personas.search, event="Used App")
    week = ["--from", "2024-01-01", "--to", "2024-01-07"]
    atlas = CliRunner().invoke(cli, ["metrics", "run", "active-users", *week, "--product", "Atlas"])
    assert atlas.exit_code == 0, atlas.output
    assert [row["dau"] for row in json.loads(atlas.output)] == [2, 2, 2, 1, 2, 1, 3]
    adoption = CliRunner().invoke(
        cli,
        [
            "metrics",
            "run",
            "feature-adoption",
            *week,
            "--feature",
            "atlas search",
            "--min-uses",
            "3",
        ],
    )
    assert adoption.exit_code == 0, adoption.output
    assert [(r["breakdown"], r["adoption"]) for r in json.loads(adoption.output)] == [
        ("Atlas Search", 0.5)  # u1 and u2 of the four active users used it three times
    ]
    beacon = CliRunner().invoke(cli, ["metrics", "run", "lifecycle", *week, "--product", "Beacon"])
    assert beacon.exit_code == 1
    assert "Beacon has no event sources or property condition yet" in beacon.output
    nothing = CliRunner().invoke(cli, ["metrics", "run", "funnel", *week, "--feature", "Nope"])
    assert "There is no feature named 'Nope'." in nothing.output
