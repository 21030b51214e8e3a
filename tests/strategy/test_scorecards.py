"""Scorecards: every figure equals its source (KPI snapshots, survey results, the revenue
engine), targets and status come from the key result aiming at them, and the exports (CSV,
PNG), the API and the CLI say the same. Every role reads them; revenue only those who may."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quarterdeck.cli import cli
from quarterdeck.kpis.models import KpiSnapshot
from quarterdeck.lib.dates import workspace_today
from quarterdeck.revenue.metrics import revenue_series
from quarterdeck.strategy.scorecards import portfolio_scorecard, product_scorecard
from quarterdeck.surveys.selectors import survey_summary
from tests.api.client import Api
from tests.personas import Personas
from tests.strategy.numbers_data import answers, key_result, nps_survey, outcome, subscription

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def days_ago(n: int) -> dt.date:
    return workspace_today() - dt.timedelta(days=n)


def moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), dt.UTC)


@pytest.fixture
def numbers(personas: Personas) -> Personas:
    """Atlas (the only product of Platform) with twelve weeks of MAU snapshots growing by 10 a
    day, NPS answers and two subscriptions; Beacon with nothing."""
    p = personas
    KpiSnapshot.objects.bulk_create(
        KpiSnapshot(product=p.atlas, day=days_ago(n), metric="mau", value=1000 - 10 * n)
        for n in range(1, 100)
    )
    KpiSnapshot.objects.create(product=p.atlas, day=days_ago(0), metric="mau", value=5)  # partial
    survey = nps_survey(p)
    scores = [(10, moment(days_ago(3))), (9, moment(days_ago(5))), (3, moment(days_ago(40)))]
    answers(p, survey, [*scores, (0, moment(days_ago(120)))])  # the last one is too old
    subscription(p, "acme", 120, days_ago(200))
    subscription(p, "globex", 80, days_ago(200))
    return p


def row_named(rows: list[Any], name: str) -> Any:
    return next(row for row in rows if row.name == name)


def test_figures_equal_their_sources(numbers: Personas) -> None:
    p, today = numbers, workspace_today()
    rows = portfolio_scorecard(p.leader, today=today)
    atlas, platform = row_named(rows, "Atlas"), row_named(rows, "Platform")

    latest = KpiSnapshot.objects.get(product=p.atlas, metric="mau", day=days_ago(1))
    assert atlas.adoption.value == latest.value == 990  # yesterday: today is partial
    assert atlas.adoption.before == 1000 - 10 * 29  # four weeks before yesterday
    assert atlas.adoption.change_relative == pytest.approx((990 - 710) / 710)
    assert len(atlas.adoption.spark) == 12
    survey = p.atlas.surveys.get()
    expected = survey_summary(survey, start=today - dt.timedelta(days=89), end=today).value
    assert atlas.satisfaction.value == pytest.approx(expected)
    assert atlas.satisfaction.value == pytest.approx(100 * (2 - 1) / 3)
    assert atlas.satisfaction.unit == "NPS"
    mrr = revenue_series("mrr", p.atlas, today, today)[-1].value
    assert atlas.revenue.value == pytest.approx(mrr) == 200
    # The line adds up its products (Atlas is Platform's only one) and says so.
    assert platform.adoption.value == 990
    assert "Sum of products" in platform.adoption.trace
    assert platform.revenue.value == 200
    beacon = row_named(rows, "Beacon")
    assert beacon.adoption.value is None
    assert beacon.satisfaction.value is None
    assert beacon.revenue.value == 0


def test_lines_come_first_with_their_products_under_them(numbers: Personas) -> None:
    rows = portfolio_scorecard(numbers.leader)
    assert [(r.kind, r.name, r.depth) for r in rows] == [
        ("line", "Growth", 0),
        ("product", "Beacon", 1),
        ("line", "Platform", 0),
        ("product", "Atlas", 1),
    ]


def test_target_and_status_come_from_the_key_result_aiming_at_the_figure(
    numbers: Personas,
) -> None:
    p = numbers
    goal = outcome(p, days_ago(30), days_ago(-60))
    query = {"kind": "active-users", "product_id": p.atlas.pk, "measure": "mau"}
    key_result(goal, "manual", {}, title="Not a metric family", position=0)
    key_result(
        goal, "analytics", {"query": query, "series": "mau"}, target=1500.0, status="at_risk",
        unit="users", position=1,
    )  # fmt: skip
    key_result(goal, "analytics", {"query": query, "series": "mau"}, target=9.0, position=2)
    ended = outcome(p, days_ago(200), days_ago(100), title="Last year's")
    key_result(ended, "revenue", {"metric": "mrr", "product_id": p.atlas.pk}, target=1.0)

    atlas = product_scorecard(p.viewer, p.atlas.pk)

    assert atlas.adoption.target == 1500.0  # the first by position
    assert atlas.adoption.status == "at_risk"
    assert atlas.adoption.goal is not None
    assert atlas.adoption.goal.outcome_id == goal.pk
    assert "Target 1500 users" in atlas.adoption.title
    assert (atlas.satisfaction.target, atlas.satisfaction.status) == (None, "no_target")
    assert atlas.revenue.status == "hidden"  # viewers do not see revenue at all
    assert atlas.revenue.value is None


def test_a_line_key_result_sets_the_line_target(numbers: Personas) -> None:
    p = numbers
    goal = outcome(p, days_ago(10), days_ago(-10), level="line", product=None, line=p.platform)
    key_result(goal, "revenue", {"metric": "mrr"}, target=300.0)
    rows = portfolio_scorecard(p.leader)
    assert row_named(rows, "Platform").revenue.target == 300.0
    assert row_named(rows, "Atlas").revenue.target is None


def test_csv_has_one_row_per_line_and_product_with_every_column(numbers: Personas) -> None:
    response = Api(numbers.viewer).get("/scorecards", format="csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    found = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["name"] for row in found] == ["Growth", "Beacon", "Platform", "Atlas"]
    atlas = found[3]
    assert list(atlas)[:3] == ["name", "level", "line"]
    for family in ("adoption", "satisfaction", "revenue"):
        for column in ("value", "unit", "target", "status", "change", "change_pct"):
            assert f"{family}_{column}" in atlas
    assert (atlas["level"], atlas["line"], atlas["adoption_value"]) == (
        "product",
        "Platform",
        "990",
    )
    assert atlas["adoption_status"] == "no_target"
    assert atlas["revenue_status"] == "hidden"


def test_png_is_a_picture_of_a_sane_size(numbers: Personas) -> None:
    response = Api(numbers.leader).get("/scorecards.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_SIGNATURE)
    assert 10_000 < len(response.content) < 5_000_000


def test_api_rows_and_single_scorecards(numbers: Personas) -> None:
    p, api = numbers, Api(numbers.member)
    body = api.get("/scorecards").json()
    assert body["day"] == workspace_today().isoformat()
    atlas = next(row for row in body["rows"] if row["name"] == "Atlas")
    assert atlas["adoption"]["value"] == 990
    assert atlas["revenue"]["value"] == 200  # members read revenue
    assert len(atlas["adoption"]["spark"]) == 12
    assert atlas["url"] == f"/portfolio/products/{p.atlas.pk}/"
    one = api.get(f"/products/{p.atlas.pk}/scorecard").json()
    assert one["adoption"] == atlas["adoption"]
    line = api.get(f"/lines/{p.platform.pk}/scorecard").json()
    assert (line["kind"], line["adoption"]["value"]) == ("line", 990)
    assert api.get("/products/999999/scorecard").status_code == 404
    assert api.get("/lines/999999/scorecard").status_code == 404
    assert Api(None).get("/scorecards").status_code == 401


def test_cli_prints_a_table_and_writes_every_format(numbers: Personas, tmp_path: Path) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["scorecard"], catch_exceptions=False)
    assert table.exit_code == 0, table.output
    assert "Atlas" in table.output
    assert "990" in table.output
    assert "(no target)" in table.output
    as_csv = runner.invoke(cli, ["scorecard", "--format", "csv"], catch_exceptions=False)
    assert as_csv.output.splitlines()[0].startswith("name,level,line,adoption_value")
    as_json = runner.invoke(cli, ["scorecard", "--format", "json"], catch_exceptions=False)
    assert [row["name"] for row in json.loads(as_json.output)][-1] == "Atlas"
    out = tmp_path / "scorecard.png"
    png = runner.invoke(cli, ["scorecard", "--format", "png", "--out", str(out)])
    assert png.exit_code == 0, png.output
    assert out.read_bytes().startswith(PNG_SIGNATURE)
    misuse = runner.invoke(cli, ["scorecard", "--out", str(tmp_path / "x.txt")])
    assert misuse.exit_code == 2


def test_every_role_reads_the_scorecard_page_with_exports(
    numbers: Personas, client_for: Any
) -> None:
    for user in (numbers.viewer, numbers.contributor, numbers.member, numbers.leader):
        page = client_for(user).get("/strategy/scorecards/")
        assert page.status_code == 200
        html = page.content.decode()
        assert f'href="/portfolio/products/{numbers.atlas.pk}/">Atlas</a>' in html
        assert "<svg" in html
        assert "Export CSV" in html
    download = client_for(numbers.viewer).get("/strategy/scorecards/scorecard.csv")
    assert download["Content-Type"].startswith("text/csv")
    picture = client_for(numbers.viewer).get("/strategy/scorecards/scorecard.png")
    assert picture.content.startswith(PNG_SIGNATURE)
    assert client_for(None).get("/strategy/scorecards/").status_code == 302


def test_a_new_subscription_shows_at_once(numbers: Personas) -> None:
    before = product_scorecard(numbers.leader, numbers.atlas.pk).revenue.value
    subscription(numbers, "initech", 50, days_ago(10))
    after = product_scorecard(numbers.leader, numbers.atlas.pk).revenue.value
    assert (before, after) == (200, 250)
