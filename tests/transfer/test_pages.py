"""The import / export page and API: leaders and admins only, downloads, result and report."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quarterdeck.people.models import Person
from tests.api.client import Api
from tests.personas import Personas
from tests.transfer.conftest import Upload

ClientFor = Callable[[Any], Any]
BAD_LAST_ROW = b"name,email,function\nAnn,ann@example.com,design\nBob,bob@example.com,astrology\n"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("leader", 200),
        ("manager", 403),
        ("member", 403),
        ("contributor", 403),
        ("viewer", 403),
    ],
)
def test_only_leaders_and_admins_see_the_page(
    personas: Personas, client_for: ClientFor, role: str, status: int
) -> None:
    client = client_for(personas.by_role()[role])

    assert client.get("/transfer/").status_code == status
    assert client.get("/transfer/export/?format=json").status_code == status
    upload = SimpleUploadedFile("people.csv", BAD_LAST_ROW)
    assert client.post("/transfer/", {"file": upload}).status_code in {status, 400}


def test_the_nav_shows_import_export_to_leaders_only(
    personas: Personas, client_for: ClientFor
) -> None:
    assert 'href="/transfer/"' in client_for(personas.leader).get("/transfer/").content.decode()
    assert 'href="/transfer/"' not in client_for(personas.member).get("/").content.decode()


def test_a_failed_upload_shows_every_problem_and_writes_nothing(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.leader)

    response = client.post("/transfer/", {"file": SimpleUploadedFile("people.csv", BAD_LAST_ROW)})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert "unknown function &#x27;astrology&#x27;" in page
    assert not Person.objects.filter(email="ann@example.com").exists()


def test_skipping_imports_the_valid_rows_and_offers_the_report(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.admin)
    upload = SimpleUploadedFile("people.csv", BAD_LAST_ROW)

    response = client.post("/transfer/", {"file": upload, "skip_invalid": "on"})

    assert response.status_code == 200
    assert "Download report (CSV)" in response.content.decode()
    assert Person.objects.filter(email="ann@example.com").exists()
    report = client.get("/transfer/report/")
    assert report["Content-Disposition"].startswith(
        'attachment; filename="quarterdeck-import-report-'
    )
    rows = list(csv.reader(io.StringIO(report.content.decode())))
    assert rows[0] == ["file", "row", "column", "status", "message"]
    assert rows[1][:4] == ["people.csv", "3", "function", "skipped"]
    assert "astrology" in rows[1][4]


def test_no_report_before_an_import(personas: Personas, client_for: ClientFor) -> None:
    assert client_for(personas.leader).get("/transfer/report/").status_code == 404


def test_an_upload_without_a_file_is_a_form_error(
    personas: Personas, client_for: ClientFor
) -> None:
    response = client_for(personas.leader).post("/transfer/", {})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_the_api_exports_json_and_csv_to_leaders(personas: Personas) -> None:
    leader = Api(personas.leader)

    document = leader.get("/export", format="json")
    archive = zipfile.ZipFile(io.BytesIO(leader.get("/export", format="csv").content))

    assert document.status_code == 200
    body = json.loads(document.content)
    assert {p["name"] for p in body["products"]} == {"Atlas", "Beacon"}
    atlas = next(p for p in body["products"] if p["name"] == "Atlas")
    assert atlas["line"] == "Platform"
    assert atlas["owner"] == "mia@example.com"
    assert sorted(archive.namelist())[0] == "features.csv"
    assert "Atlas Search" in archive.read("features.csv").decode()
    assert leader.get("/export", format="xml").status_code == 422


@pytest.mark.parametrize("role", ["manager", "member", "contributor", "viewer"])
def test_the_api_refuses_everyone_else(personas: Personas, upload: Upload, role: str) -> None:
    user = personas.by_role()[role]

    assert Api(user).get("/export").status_code == 403
    assert upload("people.csv", BAD_LAST_ROW, user=user).status_code == 403
    assert Api(None).get("/export").status_code == 401
