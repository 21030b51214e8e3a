"""The revenue page: charts, the table per line and product, filters, the import form."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quarterdeck.revenue.models import Subscription
from tests.personas import Personas
from tests.revenue.conftest import V7_CSV, upload

pytestmark = pytest.mark.django_db
MARCH = {"from": "2024-03-01", "to": "2024-03-31"}


def _spec(html: str, spec_id: str) -> Any:
    found = re.search(rf'<script id="{spec_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, spec_id
    return json.loads(found.group(1))


def test_page_shows_charts_and_the_table_per_line_and_product(
    personas: Personas, client_for: Any
) -> None:
    upload(personas.admin, V7_CSV)
    response = client_for(personas.member).get("/revenue/", MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert _spec(html, "mrr-spec")["data"]["values"] == [{"period": "2024-03-01", "value": 470.0}]
    bars = _spec(html, "moves-spec")["data"]["values"][0]
    assert (bars["new"], bars["churn"], bars["contraction"]) == (160.0, -50.0, -80.0)
    assert "77.1 %" in html  # NRR of all products (V7)
    assert "1.92" in html  # quick ratio
    assert "Platform" in html
    assert "Beacon" in html
    assert 'href="/revenue/"' in client_for(personas.member).get("/").content.decode()


def test_filter_by_product_and_bad_dates(personas: Personas, client_for: Any) -> None:
    upload(personas.admin, V7_CSV)
    client = client_for(personas.leader)
    html = client.get("/revenue/", {**MARCH, "product": personas.beacon.pk}).content.decode()
    assert _spec(html, "mrr-spec")["data"]["values"][0]["value"] == 100.0
    bad = client.get("/revenue/", {"from": "March"})
    assert bad.status_code == 400
    assert "March" in bad.content.decode()


def test_a_currency_without_a_rate_is_shown_not_summed(personas: Personas, client_for: Any) -> None:
    upload(personas.admin, V7_CSV.replace("Echo,active,60,USD", "Echo,active,60,CHF"))
    html = client_for(personas.member).get("/revenue/", MARCH).content.decode()
    assert "No exchange rate for CHF (subscriptions e1)" in html
    assert "mrr-spec" not in html


def test_import_form(personas: Personas, client_for: Any) -> None:
    client = client_for(personas.leader)
    page = client.get("/revenue/").content.decode()
    assert 'action="/revenue/import/"' in page
    assert (
        'action="/revenue/import/"'
        not in client_for(personas.member).get("/revenue/").content.decode()
    )
    upload_file = SimpleUploadedFile("subs.csv", V7_CSV.encode(), "text/csv")
    response = client.post("/revenue/import/", {"file": upload_file})
    assert response.status_code == 200
    assert "9 new" in response.content.decode()
    bad = SimpleUploadedFile("bad.csv", b"customer,status\nA,active\n", "text/csv")
    refused = client.post("/revenue/import/", {"file": bad})
    assert refused.status_code == 400
    assert "missing column" in refused.content.decode()
    assert Subscription.objects.count() == 9
