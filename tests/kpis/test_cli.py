"""`quarterdeck kpis refresh` and `quarterdeck kpis show`."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from quarterdeck.cli import cli
from quarterdeck.kpis.models import KpiRefreshState, KpiSnapshot
from tests.kpis.conftest import LAST, Store, Tracked, refresh

pytestmark = pytest.mark.django_db


def test_refresh_one_product_in_full(store: Store, tracked: Tracked) -> None:
    result = CliRunner().invoke(cli, ["kpis", "refresh", "--full", "--product", "Atlas"])
    assert result.exit_code == 0, result.output
    assert "Atlas" in result.output
    assert "full" in result.output
    assert KpiRefreshState.objects.filter(product=tracked.personas.atlas).exists()
    assert not KpiRefreshState.objects.filter(product=tracked.personas.beacon).exists()


def test_refresh_of_an_unknown_product_is_one_red_line(store: Store, tracked: Tracked) -> None:
    result = CliRunner().invoke(cli, ["kpis", "refresh", "--product", "Nope"])
    assert result.exit_code == 1
    assert "no product named 'Nope'" in result.output


def test_show_as_json_and_csv(store: Store, tracked: Tracked) -> None:
    refresh(today=LAST)
    args = [
        "kpis",
        "show",
        "Atlas",
        "--metric",
        "mau",
        "--from",
        "2024-02-01",
        "--to",
        "2024-02-15",
    ]
    as_json = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.output)
    assert [r["day"] for r in rows][:2] == ["2024-02-01", "2024-02-02"]
    stored = KpiSnapshot.objects.get(product=tracked.personas.atlas, metric="mau", day=LAST)
    assert rows[-1]["value"] == stored.value
    as_csv = CliRunner().invoke(cli, [*args, "--format", "csv"])
    parsed = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert len(parsed) == 15
    assert float(parsed[-1]["value"]) == stored.value


def test_show_a_feature_metric_as_a_table(store: Store, tracked: Tracked) -> None:
    refresh(today=LAST)
    args = ["kpis", "show", "Atlas", "--feature", "csv export", "--metric", "feature_users_30d"]
    result = CliRunner().invoke(cli, [*args, "--from", "2024-02-14"])
    assert result.exit_code == 0, result.output
    assert "2024-02-15" in result.output


def test_show_with_a_bad_metric_says_which(store: Store, tracked: Tracked) -> None:
    result = CliRunner().invoke(cli, ["kpis", "show", "Atlas", "--metric", "feature_users"])
    assert result.exit_code == 1
    assert "name the feature" in result.output
