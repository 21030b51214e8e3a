"""CSV import of feedback: the mapping, row errors, all-or-nothing, re-imports, the real file."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from quarterdeck.feedback.models import FeedbackItem
from tests.personas import Personas
from tests.shared_data import shared_data

pytestmark = pytest.mark.django_db

MAPPING = {
    "Comment": "text",
    "Product": "product",
    "Account": "account",
    "Company": "account_name",
    "Date": "received_at",
    "Tags": "tags",
    "Id": "external_id",
}
HEADER = "Id,Comment,Product,Account,Company,Date,Tags\n"


def _upload(client: Client, content: bytes, **form: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "file": SimpleUploadedFile("feedback.csv", content, content_type="text/csv"),
        "mapping": json.dumps(form.pop("mapping", MAPPING)),
        **form,
    }
    return client.post("/api/v1/feedback/import", data)


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(f"{r}\n" for r in rows)).encode()


GOOD = (
    'T-1,"The search misses half my invoices",Atlas,acc_1,Northwind,31/03/2025 14:30,"search,bugs"',
    "T-2,Please add dark mode,Atlas,acc_2,Contoso,01/04/2025 09:00,ui",
)


def test_a_good_file_imports_every_row_with_its_fields(personas: Personas, client_for: Any) -> None:
    response = _upload(client_for(personas.member), _csv(*GOOD))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["date_format"]) == (2, 0, "dayfirst")
    item = FeedbackItem.objects.get(external_id="T-1")
    assert item.product == personas.atlas
    assert item.line == personas.platform
    assert item.source == "csv"
    assert item.tags == ["search", "bugs"]
    assert (item.received_at.month, item.received_at.day, item.received_at.hour) == (3, 31, 14)
    assert item.account_name == "Northwind"


def test_reimporting_updates_and_never_doubles(personas: Personas, client_for: Any) -> None:
    client = client_for(personas.member)
    _upload(client, _csv(*GOOD))
    changed = GOOD[1].replace("dark mode", "a dark mode")
    again = _upload(client, _csv(GOOD[0], changed)).json()
    assert (again["created"], again["updated"]) == (0, 1)
    assert FeedbackItem.objects.count() == 2
    assert FeedbackItem.objects.get(external_id="T-2").text == "Please add a dark mode"


def test_without_an_id_column_the_same_file_twice_is_still_one_copy(
    personas: Personas, client_for: Any
) -> None:
    mapping = {k: v for k, v in MAPPING.items() if v != "external_id"}
    client = client_for(personas.member)
    assert _upload(client, _csv(*GOOD), mapping=mapping).json()["created"] == 2
    assert _upload(client, _csv(*GOOD), mapping=mapping).json()["created"] == 0
    assert FeedbackItem.objects.count() == 2


def test_bad_rows_reject_the_whole_file(personas: Personas, client_for: Any) -> None:
    rows = (
        *GOOD,
        "T-3,,Atlas,acc_3,X,02/04/2025 10:00,",  # empty text
        "T-4,Fine text,Zeppelin,acc_4,Y,02/04/2025 10:00,",  # unknown product
    )
    client = client_for(personas.member)
    response = _upload(client, _csv(*rows))
    assert response.status_code == 400
    body = response.json()
    assert body["skipped_rows"] == 2
    assert body["created"] == 0
    errors = {(e["row"], e["column"]): e["reason"] for e in body["errors"]}
    assert "empty" in errors[(4, "Comment")]
    assert "Unknown product 'Zeppelin'" in errors[(5, "Product")]
    assert "Atlas" in errors[(5, "Product")]
    assert "Beacon" in errors[(5, "Product")]
    assert FeedbackItem.objects.count() == 0  # all or nothing
    partial = _upload(client, _csv(*rows), skip_invalid="true").json()
    assert partial["created"] == 2
    assert partial["skipped_rows"] == 2
    assert FeedbackItem.objects.count() == 2


def test_a_file_that_is_not_utf8_is_one_clear_error(personas: Personas, client_for: Any) -> None:
    content = _csv("T-1,Caf\u00e9 menu is slow,Atlas,acc,X,01/04/2025 10:00,").decode()
    latin = content.encode("cp1252")
    offset = latin.index(b"\xe9")
    response = _upload(client_for(personas.member), latin, date_format="dayfirst")
    assert response.status_code == 400
    message = response.json()["message"]
    assert "not UTF-8" in message
    assert f"offset {offset}" in message
    assert "0xE9" in message
    assert "Windows-1252" in message
    assert FeedbackItem.objects.count() == 0


def test_an_enormous_text_in_a_file_is_kept_whole(personas: Personas, client_for: Any) -> None:
    text = "The invoice editor is slow. " * 20_000  # 560 kB, beyond csv's default field limit
    content = _csv(f'T-9,"{text.strip()}",Atlas,acc,X,01/04/2025 10:00,')
    response = _upload(client_for(personas.member), content, date_format="dayfirst")
    assert response.status_code == 200, response.content[:300]
    assert FeedbackItem.objects.get(external_id="T-9").text == text.strip()


def test_a_bad_mapping_names_the_column(personas: Personas, client_for: Any) -> None:
    response = _upload(client_for(personas.member), _csv(*GOOD), mapping={"Nope": "text"})
    assert response.status_code == 400
    assert "No such column" in response.json()["fields"]["Nope"][0]


@pytest.mark.parametrize(
    "role",
    ["anonymous", "admin", "leader", "manager", "member", "contributor", "viewer", "outsider"],
)
def test_who_may_import(personas: Personas, client_for: Any, role: str) -> None:
    user = None if role == "anonymous" else personas.by_role()[role]
    response = _upload(client_for(user), _csv(*GOOD), date_format="dayfirst")
    expected = {"anonymous": 401, "contributor": 403, "viewer": 403}.get(role, 200)
    assert response.status_code == expected, response.content
    assert FeedbackItem.objects.count() == (2 if expected == 200 else 0)


def test_the_real_nps_verbatims_import_through_a_mapping(
    personas: Personas, client_for: Any
) -> None:
    path = shared_data() / "nps-verbatims" / "verbatim.csv"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    content = path.read_bytes()
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    with_text = sum(1 for r in rows if r["text"].strip())
    mapping = {"text": "text", "CUSTOMER_RESPONSE_DATE": "received_at", "SURVEY_SUB_TYPE": "tags"}
    client = client_for(personas.member)
    done = _upload(client, content, mapping=mapping, date_format="dayfirst")
    assert done.status_code == 200, done.content[:300]
    assert done.json()["created"] == FeedbackItem.objects.count() == with_text == len(rows)
    assert FeedbackItem.objects.filter(tags__icontains='"First Payment"').exists()
    again = _upload(client, content, mapping=mapping, date_format="dayfirst").json()
    assert (again["created"], again["updated"]) == (0, 0)
    assert FeedbackItem.objects.count() == len(rows)
