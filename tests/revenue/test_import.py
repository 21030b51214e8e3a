"""CSV import of subscriptions through the API: row-level errors, all-or-nothing, re-import."""

from __future__ import annotations

import pytest

from quarterdeck.audit.models import AuditEntry
from quarterdeck.revenue.models import Customer, Subscription
from tests.api.client import Api
from tests.personas import Personas
from tests.revenue.conftest import HEADER, V7_CSV, upload

pytestmark = pytest.mark.django_db


def test_import_then_metrics_reproduce_vector_v7(personas: Personas) -> None:
    response = upload(personas.leader, V7_CSV)
    assert response.status_code == 200, response.content
    assert response.json()["created"] == {"customers": 6, "subscriptions": 9}
    query = {"from": "2024-03-01", "to": "2024-03-31"}
    api = Api(personas.member)
    nrr = api.get("/revenue/metrics", metric="nrr", **query).json()["points"][0]["value"]
    assert round(nrr, 4) == 0.7714
    moves = api.get("/revenue/metrics", metric="movements", **query).json()["points"][0]
    assert [moves[k] for k in ("new", "expansion", "contraction", "churn", "reactivation")] == [
        160,
        50,
        80,
        50,
        40,
    ]
    atlas = api.get("/revenue/metrics", metric="mrr", product=personas.atlas.pk, **query).json()
    assert atlas["points"][0]["value"] == 370  # F's 100 is Beacon's
    line = api.get("/revenue/metrics", metric="mrr", line=personas.growth.pk, **query).json()
    assert line["points"][0]["value"] == 100


def test_reimport_updates_instead_of_duplicating(personas: Personas) -> None:
    upload(personas.leader, V7_CSV)
    again = upload(personas.leader, V7_CSV.replace("Echo,active,60", "Echo,active,70"))
    body = again.json()
    assert again.status_code == 200
    assert body["created"] == {"customers": 0, "subscriptions": 0}
    assert body["updated"]["subscriptions"] == 1
    assert body["unchanged"] == 8
    assert Subscription.objects.count() == 9
    assert Subscription.objects.get(external_id="e1").items.get().amount == 70


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(
    personas: Personas,
) -> None:
    bad = "\n".join(
        [
            HEADER,
            "x1,X,,active,ten,USD,month,1,Atlas,2024-01-01,,",
            "x2,X,,active,10,USD,fortnight,1,Nebula,2024-01-01,,",
            "x3,Y,,active,10,USD,month,1,,2024-02-30,,",
            "x4,Y,,active,10,USD,month,1,Atlas,2024-01-01,,",
        ]
    )
    response = upload(personas.admin, bad)
    assert response.status_code == 400
    errors = {(e["row"], e["column"]): e["message"] for e in response.json()["errors"]}
    assert "ten" in errors[(2, "amount")]
    assert "fortnight" in errors[(3, "interval")]
    assert "Nebula" in errors[(3, "product")]
    assert "Atlas" in errors[(3, "product")]
    assert (4, "start") in errors
    assert not Customer.objects.exists()
    assert not Subscription.objects.exists()
    assert not AuditEntry.objects.filter(object_type="subscription").exists()


def test_skip_invalid_writes_the_good_rows(personas: Personas) -> None:
    content = V7_CSV + "\nz1,Z,,active,-5,USD,month,1,Atlas,2024-01-01,,"
    response = upload(personas.leader, content, skip_invalid="true")
    assert response.status_code == 200
    assert [e["row"] for e in response.json()["errors"]] == [11]
    assert Subscription.objects.count() == 9


def test_column_mapping_and_stripe_names(personas: Personas) -> None:
    content = (
        "Client,Status,Plan Amount,Plan Currency,Plan Interval,Start Date (UTC)\n"
        "k1,active,25,eur,month,2024-01-05 10:00\n"
    )
    response = upload(personas.leader, content, mapping='{"customer": "Client"}')
    assert response.status_code == 200, response.content
    sub = Subscription.objects.get()
    assert (sub.customer.external_id, sub.currency, str(sub.started_at)) == (
        "k1",
        "EUR",
        "2024-01-05",
    )


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"customer,status\nA,active\n", "missing column"),
        ("customer\n\xe9".encode("latin-1"), "UTF-8"),
    ],
)
def test_unreadable_files_are_refused_whole(
    personas: Personas, content: bytes, needle: str
) -> None:
    response = upload(personas.leader, content)
    assert response.status_code == 400
    assert needle in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("leader", 200),
        ("manager", 403),
        ("member", 403),
        ("contributor", 403),
        ("viewer", 403),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_only_leaders_and_admins_import(personas: Personas, role: str, status: int) -> None:
    user = None if role == "anonymous" else personas.by_role()[role]
    assert upload(user, V7_CSV).status_code == status


def test_a_bad_mapping_is_a_clear_error(personas: Personas) -> None:
    response = upload(personas.leader, V7_CSV, mapping="{oops")
    assert response.status_code == 400
    assert "mapping" in response.json()["fields"]


def test_revenue_series_is_the_interface_for_other_modules(personas: Personas) -> None:
    from datetime import date

    from quarterdeck.lib.errors import InvalidInput, NotAllowed
    from quarterdeck.revenue.metrics import revenue_series

    upload(personas.leader, V7_CSV)
    [point] = revenue_series("grr", None, date(2024, 3, 1), date(2024, 3, 31))
    assert point.value is not None
    assert round(point.value, 4) == 0.6286
    platform, start, end = personas.platform, date(2023, 10, 1), date(2024, 3, 31)
    quarters = revenue_series("arr", platform, start, end, "quarter")
    assert [p.value for p in quarters] == [12 * 80.0, 12 * 370.0]  # only D pays in December
    with pytest.raises(NotAllowed):
        revenue_series("mrr", None, date(2024, 3, 1), date(2024, 3, 31), user=personas.viewer)
    with pytest.raises(InvalidInput):
        revenue_series("movements", None, date(2024, 3, 1), date(2024, 3, 31))
