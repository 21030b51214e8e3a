"""Post-launch checks on the pages (the card on feature and product pages, the plan's check
page, the portfolio list, the metric forms) and at the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.test import Client

from quarterdeck.cli import cli
from quarterdeck.launches import checks_metrics
from quarterdeck.launches.models import LaunchCheck, SuccessMetric
from tests.launches import checks_data as data
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _launched_with_metric(personas: Personas) -> SuccessMetric:
    data.ratio(personas.atlas, "feature_adoption_30d", (0, 400), (60, 400), personas.search)
    plan = data.plan_for(personas.search)
    values = {"metric": "feature_adoption_30d", "target": 0.3, "label": "Adoption"}
    return checks_metrics.metric_add(actor=None, plan_id=plan.pk, data=values)


def test_the_card_on_feature_and_product_pages_for_a_viewer(personas: Personas) -> None:
    metric = _launched_with_metric(personas)
    viewer = _client(personas.viewer)
    for path in (
        f"/portfolio/features/{personas.search.pk}/",
        f"/portfolio/products/{personas.atlas.pk}/",
    ):
        html = viewer.get(path).content.decode()
        assert 'id="launch-checks"' in html, path
        assert html.count("lc-badge lc-no_change") == 3  # colour class and words:
        assert "= no change" in html.replace('<span aria-hidden="true">=</span>', "=")
        assert f"/launches/checks/{metric.plan_id}/" in html
        assert f'data-chart="launch-metric-{metric.pk}"' in html
        assert "target only" in html
    other = viewer.get(f"/portfolio/products/{personas.beacon.pk}/").content.decode()
    assert "No launch plan yet: success metrics" in other


def test_the_plan_page_shows_the_windows_and_tests(personas: Personas) -> None:
    metric = _launched_with_metric(personas)
    html = _client(personas.viewer).get(f"/launches/checks/{metric.plan_id}/").content.decode()
    assert "No significant change" in html
    assert "compares the value with the target only" in html
    assert "Recompute" not in html
    assert "Add a success metric" not in html
    mine = _client(personas.member).get(f"/launches/checks/{metric.plan_id}/").content.decode()
    assert "Recompute" in mine
    assert "Change target" in mine
    assert "Remove metric" not in mine  # bound: it stays


def test_metric_forms(personas: Personas) -> None:
    plan = data.plan_for(personas.search, launched=False)
    member = _client(personas.member)
    url = f"/launches/checks/{plan.pk}/metrics/"
    bad = member.post(url, {"metric": "dau", "feature": personas.search.pk, "direction": "up",
                            "baseline_days": "28"})  # fmt: skip
    assert bad.status_code == 400
    assert "is a product metric" in bad.content.decode()
    ok = member.post(url, {"metric": "feature_users", "direction": "up", "baseline_days": "28",
                           "target": "40"})  # fmt: skip
    assert ok.status_code == 302
    metric = SuccessMetric.objects.get(plan=plan)
    assert metric.feature_id == personas.search.pk
    target = member.post(f"/launches/checks/metrics/{metric.pk}/target/", {"target": "55"})
    assert target.status_code == 302
    metric.refresh_from_db()
    assert metric.target == 55
    gone = member.post(f"/launches/checks/metrics/{metric.pk}/delete/")
    assert gone.status_code == 302
    assert not SuccessMetric.objects.exists()
    denied = _client(personas.viewer).post(url, {"metric": "feature_users", "direction": "up",
                                                 "baseline_days": "28"})  # fmt: skip
    assert denied.status_code == 403


def test_the_portfolio_list_and_recompute(personas: Personas) -> None:
    metric = _launched_with_metric(personas)
    html = _client(personas.contributor).get("/launches/checks/").content.decode()
    assert "Atlas Search launch" in html
    assert "Adoption" in html
    LaunchCheck.objects.update(verdict="pending")
    done = _client(personas.member).post(f"/launches/checks/{metric.plan_id}/recompute/")
    assert done.status_code == 302
    assert set(LaunchCheck.objects.values_list("verdict", flat=True)) == {"no_change"}


def test_cli_run_and_show(personas: Personas) -> None:
    metric = _launched_with_metric(personas)
    LaunchCheck.objects.update(verdict="pending")
    runner = CliRunner()
    ran = runner.invoke(cli, ["launches", "checks", "run", "--today", "2026-04-05"])
    assert ran.exit_code == 0, ran.output
    assert "Computed 1 post-launch check" in ran.output  # only +30 is due by then
    shown = runner.invoke(
        cli, ["launches", "checks", "show", str(metric.plan_id)], env={"COLUMNS": "200"}
    )
    assert shown.exit_code == 0, shown.output
    assert "Adoption" in shown.output
    assert "target only" in shown.output
    as_json = runner.invoke(
        cli, ["launches", "checks", "show", str(metric.plan_id), "--format", "json"]
    )
    rows = json.loads(as_json.output)
    assert [c["verdict"] for c in rows[0]["metric"]["checks"]] == [
        "no_change",
        "pending",
        "pending",
    ]
    bad = runner.invoke(cli, ["launches", "checks", "run", "--today", "soon"])
    assert bad.exit_code == 2
    assert "not a date" in bad.output
    missing = runner.invoke(cli, ["launches", "checks", "show", "999"])
    assert missing.exit_code == 1
    assert "no launch plan" in missing.output
