"""CSV import: the real nps-verbatims file (rows without a score, day-first dates), the
all-or-nothing default, skip-invalid, idempotency, date formats, and who may import."""

from __future__ import annotations

import csv
import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from quarterdeck.surveys.models import Response
from tests.personas import Personas
from tests.surveys.conftest import Surveys, require_verbatims

pytestmark = pytest.mark.django_db

MAPPING = {
    "CUSTOMER_RESPONSE_DATE": "answered_at",
    "NPS_SCORE": "score",
    "text": "comment",
    "SURVEY_SUB_TYPE": "stage",
}


def _upload(client: Client, survey_id: int, content: bytes, **form: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "file": SimpleUploadedFile("verbatim.csv", content, content_type="text/csv"),
        "mapping": json.dumps(form.pop("mapping", MAPPING)),
        **form,
    }
    return client.post(f"/api/v1/surveys/{survey_id}/import", data)


def _expected_from_csv(content: bytes) -> tuple[int, int, float]:
    """(rows without a score, rows with one, their NPS), computed here with the csv module."""
    rows = list(csv.DictReader(content.decode("utf-8-sig").splitlines()))
    scores = [int(r["NPS_SCORE"]) for r in rows if r["NPS_SCORE"].strip()]
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return len(rows) - len(scores), len(scores), 100 * (promoters - detractors) / len(scores)


def test_the_real_file_is_rejected_whole_then_imports_with_skip_invalid(
    surveys: Surveys, client_for: Any
) -> None:
    content = require_verbatims().read_bytes()
    unscored, scored, nps = _expected_from_csv(content)
    client = client_for(surveys.personas.member)
    rejected = _upload(client, surveys.nps.pk, content, date_format="dayfirst")
    assert rejected.status_code == 400
    body = rejected.json()
    assert body["skipped_rows"] == unscored == 32
    assert {e["column"] for e in body["errors"]} == {"NPS_SCORE"}
    assert body["errors"][0]["reason"] == "No score: the answer is empty."
    assert body["created"] == 0
    assert surveys.nps.responses.filter(source="import").count() == 0

    done = _upload(client, surveys.nps.pk, content, date_format="dayfirst", skip_invalid="true")
    assert done.status_code == 200, done.content
    assert (done.json()["created"], done.json()["skipped_rows"]) == (scored, 32)
    imported = surveys.nps.responses.filter(source="import")
    assert imported.count() == scored == 2353
    values = list(imported.values_list("score", flat=True))
    got = 100 * (sum(v >= 9 for v in values if v) - sum(v <= 6 for v in values if v is not None))
    assert got / len(values) == pytest.approx(nps)
    # Day-first: "13/04/2018 ..." is April 13th, never refused as month 13.
    assert imported.filter(answered_at__month=4, answered_at__day=13).exists()


def test_auto_detects_day_first_and_reimporting_changes_nothing(
    surveys: Surveys, client_for: Any
) -> None:
    content = require_verbatims().read_bytes()
    client = client_for(surveys.personas.leader)
    first = _upload(client, surveys.nps.pk, content, skip_invalid="true")
    assert first.json()["date_format"] == "dayfirst"
    again = _upload(client, surveys.nps.pk, content, skip_invalid="true")
    assert (again.json()["created"], again.json()["updated"]) == (0, 0)
    assert surveys.nps.responses.filter(source="import").count() == first.json()["created"]


CSV = b"date,score,comment,segment\n04/05/2024 10:00,9,Nice,SMB\n05/04/2024 10:00,3,Bad,Ent\n"


def test_ambiguous_dates_are_refused_without_a_format(surveys: Surveys, client_for: Any) -> None:
    mapping = {"date": "answered_at", "score": "score", "comment": "comment"}
    client = client_for(surveys.personas.admin)
    response = _upload(client, surveys.csat.pk, CSV, mapping=mapping)
    assert response.status_code == 400
    assert "date_format" in response.json()["fields"]
    csat = CSV.replace(b",9,", b",5,")
    ok = _upload(client, surveys.csat.pk, csat, mapping=mapping, date_format="monthfirst")
    assert ok.status_code == 200, ok.content
    days = sorted(a.date() for a in surveys.csat.responses.values_list("answered_at", flat=True))
    assert days == [dt.date(2024, 4, 5), dt.date(2024, 5, 4)]


def test_every_bad_row_is_reported_with_row_and_column(surveys: Surveys, client_for: Any) -> None:
    content = b"when,score\n2024-03-01,5\n2024-02-30,4\n2024-03-02,9\n,x\n"
    mapping = {"when": "answered_at", "score": "score"}
    response = _upload(
        client_for(surveys.personas.leader), surveys.csat.pk, content, mapping=mapping
    )
    assert response.status_code == 400
    errors = sorted((e["row"], e["column"]) for e in response.json()["errors"])
    assert errors == [(3, "when"), (4, "score"), (5, "score"), (5, "when")]
    assert not Response.objects.filter(survey=surveys.csat).exists()


def test_a_bad_mapping_is_a_clear_400(surveys: Surveys, client_for: Any) -> None:
    mapping = {"NOPE": "score", "date": "answered_at", "comment": "mood"}
    response = _upload(client_for(surveys.personas.leader), surveys.csat.pk, CSV, mapping=mapping)
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"NOPE", "comment"}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("leader", 200),
        ("manager", 200),
        ("member", 200),
        ("outsider", 403),
        ("contributor", 403),
        ("viewer", 403),
        ("anonymous", 401),
    ],
)
def test_who_may_import(surveys: Surveys, client_for: Any, role: str, status: int) -> None:
    user = None if role == "anonymous" else surveys.personas.by_role()[role]
    content = b"date,score\n2024-03-01T10:00,9\n"
    mapping = {"date": "answered_at", "score": "score"}
    response = _upload(client_for(user), surveys.nps.pk, content, mapping=mapping)
    assert response.status_code == status, response.content


def test_the_answers_land_in_the_workspace_calendar(personas: Personas, surveys: Surveys) -> None:
    from quarterdeck.surveys.importing import survey_import

    content = b"date,score\n31/03/2024 23:30,9\n"
    mapping = {"date": "answered_at", "score": "score"}
    survey_import(
        actor=None,
        survey_id=surveys.csat.pk,
        content=content.replace(b",9", b",5"),
        file="x.csv",
        mapping=mapping,
        date_format="dayfirst",
    )
    answer = Response.objects.get(survey=surveys.csat)
    assert answer.answered_at == dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.UTC)
