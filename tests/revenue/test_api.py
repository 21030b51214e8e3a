"""Customers, subscriptions, rates and metrics over the API: versions, audit, clear errors."""

from __future__ import annotations

import pytest

from quarterdeck.audit.models import AuditEntry
from tests.api.client import Api, etag_of
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _customer(api: Api, external_id: str = "cus_1") -> int:
    response = api.post("/revenue/customers", {"external_id": external_id, "name": "Acme"})
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def _subscription(api: Api, customer: int, p: Personas, **extra: object) -> dict[str, object]:
    body = {
        "external_id": "sub_1",
        "customer_id": customer,
        "currency": "eur",
        "interval": "year",
        "started_at": "2024-01-01",
        "items": [{"product_id": p.atlas.pk, "amount": "1200", "quantity": 2}],
        **extra,
    }
    response = api.post("/revenue/subscriptions", body)
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_subscription_crud_with_versions_and_audit(personas: Personas) -> None:
    api = Api(personas.leader)
    sub = _subscription(api, _customer(api), personas)
    assert sub["currency"] == "EUR"
    assert sub["items"][0]["product"] == "Atlas"  # type: ignore[index]
    path = f"/revenue/subscriptions/{sub['id']}"
    read = Api(personas.member).get(path)
    assert read.status_code == 200
    assert etag_of(read) == 1
    assert api.patch(path, {"status": "canceled"}).status_code == 428
    refused = api.patch(path, {"status": "canceled"}, if_match=1)
    assert refused.status_code == 400
    assert "status" in refused.json()["fields"]
    changed = api.patch(path, {"status": "canceled", "ended_at": "2024-06-01"}, if_match=1)
    assert changed.status_code == 200, changed.content
    assert etag_of(changed) == 2
    assert api.patch(path, {"status": "active"}, if_match=1).status_code == 412
    entry = AuditEntry.objects.filter(object_type="subscription").first()
    assert entry is not None
    assert entry.changes["status"] == ["active", "canceled"]


def test_customer_rules(personas: Personas) -> None:
    api = Api(personas.admin)
    customer = _customer(api)
    again = api.post("/revenue/customers", {"external_id": "cus_1"})
    assert again.status_code == 400
    assert "external_id" in again.json()["fields"]
    path = f"/revenue/customers/{customer}"
    assert Api(personas.member).patch(path, {"name": "X"}, if_match=1).status_code == 403
    assert Api(personas.viewer).get(path).status_code == 403
    renamed = api.patch(path, {"name": "Acme GmbH"}, if_match=1)
    assert renamed.json()["name"] == "Acme GmbH"


def test_bad_subscription_input_names_the_field(personas: Personas) -> None:
    api = Api(personas.leader)
    customer = _customer(api)
    body = {
        "external_id": "s",
        "customer_id": customer,
        "currency": "EUR",
        "started_at": "2024-05-01",
    }
    late = api.post("/revenue/subscriptions", {**body, "ended_at": "2024-01-01"})
    assert late.status_code == 400
    assert "ended_at" in late.json()["fields"]
    ghost = api.post(
        "/revenue/subscriptions", {**body, "items": [{"product_id": 999999, "amount": 1}]}
    )
    assert ghost.status_code == 400
    assert "items.0.product_id" in ghost.json()["fields"]


def test_mixed_currencies_need_a_rate_set_by_an_admin(personas: Personas) -> None:
    api = Api(personas.leader)
    _subscription(api, _customer(api), personas)  # 2 x 1,200 EUR a year = 200 EUR a month
    query = {"metric": "mrr", "from": "2024-02-01", "to": "2024-02-29"}
    missing = api.get("/revenue/metrics", **query)
    assert missing.status_code == 400
    assert "EUR" in missing.json()["message"]
    assert "sub_1" in missing.json()["message"]
    assert api.post("/revenue/rates", {"currency": "EUR", "rate": "1.08"}).status_code == 403
    assert (
        Api(personas.admin).post("/revenue/rates", {"currency": "eur", "rate": "1.08"}).status_code
        == 200
    )
    mrr = api.get("/revenue/metrics", **query).json()
    assert mrr["currency"] == "USD"
    assert mrr["points"][0]["value"] == 216.0


def test_rate_rules(personas: Personas) -> None:
    api = Api(personas.admin)
    same = api.post("/revenue/rates", {"currency": "USD", "rate": "2"})
    assert same.status_code == 400
    assert "currency" in same.json()["fields"]
    rate = api.post(
        "/revenue/rates", {"currency": "GBP", "rate": "1.25", "valid_from": "2024-01-01"}
    )
    listed = Api(personas.member).get("/revenue/rates").json()
    assert listed["reporting_currency"] == "USD"
    assert listed["rates"][0]["currency"] == "GBP"
    gone = api.delete(f"/revenue/rates/{rate.json()['id']}", if_match=1)
    assert gone.status_code == 204


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"metric": "ltv"}, "metric"),
        ({"grain": "week"}, "grain"),
        ({"from": "2024-05-01", "to": "2024-01-01"}, "to"),
        ({"from": "1900-01-01", "to": "2024-01-01"}, "from"),
        ({"product": 1, "line": 1}, "line"),
    ],
)
def test_bad_metric_queries_name_the_parameter(
    personas: Personas, query: dict[str, object], field: str
) -> None:
    response = Api(personas.member).get("/revenue/metrics", **query)
    assert response.status_code in {400, 422}, response.content
    assert field in response.json()["fields"]


def test_contributors_and_viewers_see_no_revenue(personas: Personas) -> None:
    for user in (personas.contributor, personas.viewer):
        assert Api(user).get("/revenue/metrics").status_code == 403
        assert Api(user).get("/revenue/subscriptions").status_code == 403


def test_empty_revenue_has_undefined_ratios(personas: Personas) -> None:
    body = Api(personas.member).get("/revenue/metrics", metric="nrr", to="2024-03-31").json()
    assert len(body["points"]) == 12
    assert {p["value"] for p in body["points"]} == {None}


def test_patching_items_replaces_them(personas: Personas) -> None:
    api = Api(personas.admin)
    sub = _subscription(api, _customer(api), personas, currency="USD", interval="month")
    path = f"/revenue/subscriptions/{sub['id']}"
    items = [{"product_id": personas.beacon.pk, "amount": "10", "quantity": 3}, {"amount": "5"}]
    changed = api.patch(path, {"items": items}, if_match=1)
    assert changed.status_code == 200, changed.content
    got = [(i["product"], float(i["amount"]), i["quantity"]) for i in changed.json()["items"]]
    assert got == [("Beacon", 10.0, 3), (None, 5.0, 1)]
    mrr = api.get("/revenue/metrics", metric="mrr", to="2024-02-29", **{"from": "2024-02-01"})
    assert mrr.json()["points"][0]["value"] == 35.0
