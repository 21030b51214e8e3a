"""`quarterdeck metrics warehouse check` on good and bad mappings, `metrics run` in warehouse mode,
and ingestion, which keeps writing into the embedded store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from django.test import Client
from pytest_django.fixtures import Settings

from quarterdeck.cli import cli
from quarterdeck.metrics.engine import ActiveUsers, DuckDBEngine, run
from quarterdeck.metrics.services import events_flush, events_path, source_create
from quarterdeck.metrics.warehouse import event_engine, warehouse_config
from tests.metrics.ingest.conftest import basic
from tests.metrics.warehouse_events import D1, D10, MAPPING, TABLE, company_duckdb_file
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # Rich wraps table cells to the terminal's width


@pytest.fixture
def company(tmp_path: Path, settings: Settings) -> Path:
    settings.EVENTS_DIR = tmp_path / "events"
    path = tmp_path / "company.duckdb"
    company_duckdb_file(str(path))
    return path


def configure(settings: Settings, path: Path, **mapping: str) -> None:
    settings.EVENTS_WAREHOUSE = warehouse_config(
        url=f"duckdb://{path}", table=TABLE, mapping=json.dumps({**MAPPING, **mapping})
    )


def check() -> Result:
    return CliRunner().invoke(cli, ["metrics", "warehouse", "check"])


def test_a_good_mapping_passes_with_rows_and_time_range(company: Path, settings: Settings) -> None:
    configure(settings, company)
    result = check()
    assert result.exit_code == 0, result.output
    assert "lower(kind)" in result.output
    assert "19" in result.output  # rows
    assert "2024-01-01 09:00:00" in result.output
    assert "2024-01-10 12:00:00" in result.output
    assert "track: 16" in result.output
    assert "The warehouse is ready" in result.output


def test_a_missing_column_is_named_with_the_fix(company: Path, settings: Settings) -> None:
    configure(settings, company, user_id="user_uuid")
    result = check()
    assert result.exit_code == 1
    assert "user_uuid" in result.output
    assert 'fix "user_id" in QUARTERDECK_EVENTS_MAPPING' in result.output
    assert "cannot be used as configured" in result.output


def test_an_unmapped_column_that_is_not_there(company: Path, settings: Settings) -> None:
    settings.EVENTS_WAREHOUSE = warehouse_config(
        url=f"duckdb://{company}",
        table=TABLE,
        mapping=json.dumps({k: v for k, v in MAPPING.items() if k != "event"}),
    )
    result = check()
    assert result.exit_code == 1
    assert "event (not mapped)" in result.output
    assert 'set "event" in QUARTERDECK_EVENTS_MAPPING' in result.output


def test_a_time_zone_aware_time_is_refused_with_the_expression_to_use(
    company: Path, settings: Settings
) -> None:
    configure(settings, company, time="ts")
    result = check()
    assert result.exit_code == 1
    assert "TIMESTAMP WITH TIME ZONE" in result.output
    assert "ts AT TIME ZONE 'UTC'" in result.output


def test_a_number_where_text_is_needed(company: Path, settings: Settings) -> None:
    configure(settings, company, user_id="length(uid)")
    result = check()
    assert result.exit_code == 1
    assert "CAST(length(uid) AS VARCHAR)" in result.output


def test_unknown_row_types_are_a_warning(company: Path, settings: Settings) -> None:
    configure(settings, company, type="kind")
    result = check()
    assert result.exit_code == 0, result.output
    assert "16 rows have type 'Track'" in result.output
    assert "No track, page or screen rows" in result.output


def test_a_missing_table_and_a_missing_file(company: Path, settings: Settings) -> None:
    settings.EVENTS_WAREHOUSE = warehouse_config(url=f"duckdb://{company}", table="analytics.nope")
    result = check()
    assert result.exit_code == 1
    assert "Cannot read the table analytics.nope" in result.output
    settings.EVENTS_WAREHOUSE = warehouse_config(url=f"duckdb://{company}.gone", table=TABLE)
    assert check().exit_code == 1


def test_without_warehouse_mode_the_embedded_store_is_checked(company: Path) -> None:
    result = check()
    assert result.exit_code == 0, result.output
    assert "Warehouse mode is off" in result.output


def test_metrics_run_reads_the_warehouse(company: Path, settings: Settings) -> None:
    configure(settings, company)
    args = ["metrics", "run", "active-users", "--from", "2024-01-01", "--to", "2024-01-03"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert [row["dau"] for row in json.loads(result.output)] == [2, 1, 2]


def test_ingestion_keeps_filling_the_embedded_store_while_metrics_read_the_warehouse(
    company: Path, settings: Settings, personas: Personas
) -> None:
    configure(settings, company)
    before = run(ActiveUsers(start=D1, end=D10), event_engine()).values()
    source = source_create(actor=None, data={"name": "Web", "product_ids": [personas.atlas.pk]})
    event = {"type": "track", "event": "Opened", "userId": "newcomer"}
    response = Client().post(
        "/v1/batch",
        json.dumps({"batch": [{**event, "timestamp": "2024-01-02T12:00:00Z"}]}),
        content_type="application/json",
        headers={"Authorization": basic(source.write_key)},
    )
    assert response.status_code == 200, response.content
    events_flush()
    embedded = DuckDBEngine.from_parquet(events_path())  # kept for switching back
    assert run(ActiveUsers(start=D1, end=D10), embedded).values()[:3] == [0, 1, 0]
    assert run(ActiveUsers(start=D1, end=D10), event_engine()).values() == before


def test_the_sources_page_says_where_metrics_come_from(
    company: Path, settings: Settings, personas: Personas, client_for: Any
) -> None:
    page = client_for(personas.admin).get("/sources/").content.decode()
    assert 'data-events-mode="embedded"' in page
    settings.EVENTS_WAREHOUSE = warehouse_config(
        url="postgresql://qd:s3cret@db.internal/warehouse", table=TABLE
    )
    page = client_for(personas.admin).get("/sources/").content.decode()
    assert 'data-events-mode="warehouse"' in page
    assert "PostgreSQL postgresql://qd:***@db.internal/warehouse, table analytics.tracks" in page
    assert "s3cret" not in page
    member_page = client_for(personas.member).get("/sources/").content.decode()
    assert "analytics.tracks" in member_page
    assert "db.internal" not in member_page  # where the warehouse lives: for managers only
