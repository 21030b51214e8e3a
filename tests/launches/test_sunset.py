"""Sunset plans: CRUD through the API, the affected accounts computed from a tiny event set,
MRR visible only to who may read revenue, the page, the CSV and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from quarterdeck.cli import cli
from quarterdeck.launches.models import SunsetPlan
from quarterdeck.launches.sunset import affected_accounts, sunset_recompute
from quarterdeck.metrics.models import FeatureUsage, Source
from quarterdeck.revenue.models import Customer, Subscription, SubscriptionItem
from tests.api.client import Api
from tests.kpis.conftest import Store
from tests.metrics.engine.events import at, page, track
from tests.personas import Personas

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 3, 31)


def _days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def _customer(account: str, name: str, monthly: str) -> None:
    customer = Customer.objects.create(external_id=f"cus_{account}", account_id=account, name=name)
    sub = Subscription.objects.create(
        external_id=f"sub_{account}",
        customer=customer,
        currency="USD",
        started_at=dt.date(2023, 1, 1),
    )
    SubscriptionItem.objects.create(subscription=sub, amount=Decimal(monthly))


@pytest.fixture
def events(settings: Any, tmp_path: Path, personas: Personas) -> Store:
    """Atlas Search used by Acme (2 users, 3 days), Globex (1 user) and, long ago, Oldco;
    Initech only browses Atlas; someone without an account searches too."""
    settings.EVENTS_DIR = tmp_path / "events"
    settings.TIME_ZONE = "UTC"
    source = Source.objects.create(name="Atlas app", write_key="qdw_atlas")
    source.products.set([personas.atlas])
    FeatureUsage.objects.create(feature=personas.search, event="Search Used")
    store = Store(tmp_path / "events", str(source.pk), "")
    s = str(source.pk)

    def used(who: str, account: str | None, ago: int) -> Any:
        return track(who, "Search Used", at(_days_ago(ago)), account=account, source=s)

    store.write(
        [
            used("u1", "acme", 3),
            used("u1", "acme", 1),
            used("u2", "acme", 2),
            used("u3", "globex", 10),
            used("u5", "oldco", 200),
            used("u6", None, 4),
            page("u4", at(_days_ago(5)), account="initech", source=s),
        ]
    )
    _customer("acme", "Acme Corp", "900")
    _customer("globex", "Globex", "9900")
    return store


def _plan(personas: Personas, **extra: Any) -> SunsetPlan:
    return SunsetPlan.objects.create(
        item_type="feature", item_id=personas.search.pk, shutdown_on=dt.date(2024, 6, 30), **extra
    )


def test_affected_accounts_of_a_feature(personas: Personas, events: Store) -> None:
    rows = affected_accounts(personas.search, 90, today=TODAY)
    assert [r["account"] for r in rows] == ["globex", "acme"]  # by MRR
    acme = rows[1]
    assert (acme["name"], acme["users"], acme["active_days"]) == ("Acme Corp", 2, 3)
    assert acme["last_seen"] == _days_ago(1).isoformat()
    assert acme["mrr"] == pytest.approx(900.0)
    assert [r["account"] for r in affected_accounts(personas.search, 365, today=TODAY)][
        -1
    ] == "oldco"


def test_affected_accounts_of_a_product_count_any_activity(
    personas: Personas, events: Store
) -> None:
    rows = affected_accounts(personas.atlas, 90, today=TODAY)
    assert {r["account"] for r in rows} == {"acme", "globex", "initech"}


def test_an_untracked_feature_affects_nobody(personas: Personas, events: Store) -> None:
    FeatureUsage.objects.all().delete()
    assert affected_accounts(personas.search, 90, today=TODAY) == []


def test_mrr_is_hidden_from_contributors(personas: Personas, events: Store) -> None:
    plan = sunset_recompute(actor=personas.member, plan_id=_plan(personas).pk, today=TODAY)
    assert plan.affected_computed_at is not None
    mine = Api(personas.member).get(f"/sunset-plans/{plan.pk}").json()
    assert mine["affected"][0]["mrr"] == pytest.approx(9900.0)
    theirs = Api(personas.contributor).get(f"/sunset-plans/{plan.pk}").json()
    assert [r["mrr"] for r in theirs["affected"]] == [None, None]
    assert [r["account"] for r in theirs["affected"]] == ["acme", "globex"]  # by users
    sheet = Api(personas.contributor).get(f"/sunset-plans/{plan.pk}/affected.csv")
    header = next(csv.reader(io.StringIO(sheet.content.decode())))
    assert header == ["account", "name", "users", "active_days", "last_seen"]
    page = Client()
    page.force_login(personas.contributor)
    body = page.get(f"/launches/sunset/feature/{personas.search.pk}/").content.decode()
    assert "Globex" in body
    assert "9,900" not in body
    assert "MRR" not in body


def test_the_csv_lists_the_accounts_with_mrr(personas: Personas, events: Store) -> None:
    plan = sunset_recompute(actor=None, plan_id=_plan(personas).pk, today=TODAY)
    client = Client()
    client.force_login(personas.leader)
    response = client.get(f"/launches/sunset/feature/{personas.search.pk}/affected.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["account"], r["users"], r["mrr"]) for r in rows] == [
        ("globex", "1", "9900.0"),
        ("acme", "2", "900.0"),
    ]
    assert plan.affected == SunsetPlan.objects.get().affected


def test_crud_through_the_api(personas: Personas) -> None:
    api = Api(personas.member)
    body = {"item_type": "feature", "item_id": personas.search.pk, "shutdown_on": "2024-06-30"}
    assert Api(personas.contributor).post("/sunset-plans", body).status_code == 403
    assert Api(personas.outsider).post("/sunset-plans", body).status_code == 403
    created = api.post("/sunset-plans", {**body, "migration_path": "Use the new search"})
    assert created.status_code == 201, created.content
    assert api.post("/sunset-plans", body).status_code == 400  # one per item
    path = f"/sunset-plans/{created.json()['id']}"
    bad = api.patch(path, {"announce_on": "2024-07-01"}, if_match=1)
    assert bad.status_code == 400
    assert "shutdown_on" in bad.json()["fields"]
    ok = api.patch(path, {"announce_on": "2024-04-01", "successor_id": None}, if_match=1)
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 2
    assert ok.json()["item_name"] == "Atlas Search"
    assert api.patch(path, {"usage_days": 30}, if_match=1).status_code == 412
    itself = api.patch(path, {"successor_id": personas.search.pk}, if_match=2)
    assert itself.status_code == 400, itself.content
    assert "successor_id" in itself.json()["fields"]
    assert Api(personas.viewer).get("/sunset-plans").json()[0]["id"] == created.json()["id"]
    assert api.delete(path, if_match=2).status_code == 204


def test_the_page_creates_and_updates_the_plan(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.member)
    path = f"/launches/sunset/feature/{personas.search.pk}/"
    assert "Create the plan" in client.get(path).content.decode()
    bad = client.post(
        path, {"usage_days": "90", "shutdown_on": "2024-06-30", "announce_on": "2024-07-30"}
    )
    assert bad.status_code == 400
    assert "Must be on or after" in bad.content.decode()
    assert client.post(path, {"usage_days": "60", "shutdown_on": "2024-06-30"}).status_code == 302
    plan = SunsetPlan.objects.get()
    assert (plan.usage_days, plan.shutdown_on) == (60, dt.date(2024, 6, 30))
    viewer = Client()
    viewer.force_login(personas.viewer)
    assert viewer.post(path, {"usage_days": "10"}).status_code == 403


def test_the_cli_prints_and_exports_the_accounts(personas: Personas, events: Store) -> None:
    sunset_recompute(actor=None, plan_id=_plan(personas).pk, today=TODAY)
    runner = CliRunner()
    table = runner.invoke(cli, ["launches", "sunset", "Atlas/Atlas Search"], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "Globex" in table.output
    assert "9,900" in table.output
    sheet = runner.invoke(cli, ["launches", "sunset", "Atlas Search", "--format", "csv"])
    assert sheet.output.splitlines()[1].startswith("globex,Globex,1,")
    missing = runner.invoke(cli, ["launches", "sunset", "Nope"])
    assert missing.exit_code == 1
