"""Demand: the documented formula by hand, decay, segments, revenue visibility, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from decimal import Decimal

import pytest

from quarterdeck.feedback.models import FeedbackItem, FeedbackLink, Theme
from quarterdeck.portfolio.models import Feature
from quarterdeck.revenue.models import Customer, Subscription, SubscriptionItem
from tests.api.client import Api
from tests.feedback.insight_factory import days_ago, item
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _customer(external_id: str, account_id: str, monthly: str) -> None:
    customer = Customer.objects.create(external_id=external_id, account_id=account_id)
    sub = Subscription.objects.create(
        external_id=f"sub_{external_id}",
        customer=customer,
        currency="USD",
        started_at=dt.date(2024, 1, 1),
    )
    SubscriptionItem.objects.create(subscription=sub, amount=Decimal(monthly))


@pytest.fixture
def asked(personas: Personas) -> Feature:
    """Three asks for Atlas Search: Acme (MRR 900) today, important; Globex (MRR 9,900) 90
    days ago, critical; someone without an account 180 days ago, nice-to-have."""
    _customer("cus_acme", "acme", "900")
    _customer("cus_globex", "globex", "9900")
    search = personas.search
    rows = [
        ("Search should find invoices by number", "acme", "smb", 0, "important"),
        ("Searching across all products at once", "globex", "enterprise", 90, "critical"),
        ("A better search box", "", "", 180, "nice_to_have"),
    ]
    for text, account, segment, age, importance in rows:
        it = item(text, product=personas.atlas, account=account, segment=segment,
                  received_at=days_ago(age))  # fmt: skip
        FeedbackLink.objects.create(item=it, feature=search, state="accepted",
                                    importance=importance)  # fmt: skip
    FeedbackLink.objects.create(  # suggestions are not demand
        item=item("Search is great", product=personas.atlas, account="globex"), feature=search
    )
    return search


def test_the_score_is_the_documented_formula(personas: Personas, asked: Feature) -> None:
    # Acme: 2 * (1 + log10(1 + 900/100)) * 1 = 2 * 2 = 4
    # Globex: 4 * (1 + log10(1 + 9900/100)) * 0.5 = 4 * 3 * 0.5 = 6
    # No account: 1 * 1 * 0.25 = 0.25
    response = Api(personas.member).get(f"/features/{asked.pk}/demand")
    assert response.status_code == 200, response.content
    row = response.json()
    assert row["score"] == pytest.approx(10.25, abs=1e-3)
    assert row["count"] == 3
    assert row["accounts"] == 2
    assert row["importance"] == 7.0
    assert row["revenue"] == pytest.approx(10_800)
    assert row["segments"] == pytest.approx(
        {"enterprise": 6.0, "smb": 4.0, "(none)": 0.25}, abs=1e-3
    )


def test_decay_halves_every_90_days(personas: Personas) -> None:
    feature = personas.search
    for age in (0, 90, 270):
        it = item(f"Search please ({age})", product=personas.atlas, received_at=days_ago(age))
        FeedbackLink.objects.create(item=it, feature=feature, state="accepted",
                                    importance="nice_to_have")  # fmt: skip
    row = Api(personas.member).get(f"/features/{feature.pk}/demand").json()
    assert row["score"] == pytest.approx(1 + 0.5 + 0.125, abs=1e-3)


def test_segment_filter_and_ranking(personas: Personas, asked: Feature) -> None:
    other = Feature.objects.create(name="Dark mode", product=personas.atlas)
    it = item("Dark mode please", product=personas.atlas, account="acme", segment="smb")
    FeedbackLink.objects.create(item=it, feature=other, state="accepted", importance="critical")
    api = Api(personas.member)
    ranked = api.get("/demand/features").json()
    assert [r["name"] for r in ranked] == ["Atlas Search", "Dark mode"]  # 10.25 > 8
    smb = api.get("/demand/features", segment="smb").json()
    assert [(r["name"], round(r["score"], 3)) for r in smb] == [
        ("Dark mode", 8.0),
        ("Atlas Search", 4.0),
    ]
    beacon = api.get("/demand/features", product_id=personas.beacon.pk).json()
    assert beacon == []


def test_viewers_read_demand_without_revenue(personas: Personas, asked: Feature) -> None:
    row = Api(personas.viewer).get(f"/features/{asked.pk}/demand").json()
    assert row["revenue"] is None
    assert row["score"] == pytest.approx(10.25, abs=1e-3)  # the ranking itself is not secret
    assert Api(None).get("/demand/features").status_code == 401


def test_csv_export(personas: Personas, asked: Feature) -> None:
    response = Api(personas.member).get("/demand/features", format="csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["name"] == "Atlas Search"
    assert math.isclose(float(rows[0]["score"]), 10.25, abs_tol=1e-3)
    assert "enterprise=6.0" in rows[0]["segments"]


def test_theme_demand_counts_items_with_their_strongest_link(
    personas: Personas, asked: Feature
) -> None:
    theme = Theme.objects.create(name="Search")
    FeedbackItem.objects.filter(text__icontains="search").update(theme=theme)
    rows = Api(personas.member).get("/demand/themes").json()
    assert len(rows) == 1
    assert rows[0]["kind"] == "theme"
    # 10.25 from the linked asks, + the unlinked Globex item: 1 * 3 * 1
    assert rows[0]["score"] == pytest.approx(13.25, abs=1e-3)


def test_cli_ranks_demand_as_table_csv_and_json(personas: Personas, asked: Feature) -> None:
    from click.testing import CliRunner

    from quarterdeck.cli import cli

    def run(*args: str) -> str:
        # A wide terminal, whatever the ambient width: the table must not wrap the names.
        result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["feedback", "demand", *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert "Atlas / Atlas Search" in run()
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv", "--segment", "smb"))))
    assert [(r["name"], float(r["score"])) for r in rows] == [("Atlas Search", 4.0)]
    parsed = json.loads(run("--format", "json", "--product", "Atlas"))
    assert parsed[0]["revenue"] == pytest.approx(10_800)  # the operator reads revenue
    bad = CliRunner().invoke(cli, ["feedback", "demand", "--by", "account"])
    assert bad.exit_code == 2
