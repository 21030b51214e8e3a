"""Import through the API: every row checked first, nothing half-done, clear errors per cell."""

from __future__ import annotations

import json
from typing import Any

import pytest

from quarterdeck.audit.models import AuditEntry
from quarterdeck.people.models import Person
from quarterdeck.portfolio.models import Feature, Product, ProductLine, StageChange
from tests.personas import Personas
from tests.transfer.conftest import Upload
from tests.transfer.helpers import counts, csv_zip

PEOPLE = (
    "name,email,title,function,level,manager,teams,location\n"
    "Rita Roadmap,rita@example.com,Group PM,product,group_pm,lena@example.com,Platform squad,Oslo\n"
    "Sam Sprint,sam@example.com,PM,product,pm,Rita Roadmap,,Oslo\n"
    "Walt Wizard,walt@example.com,PM,wizardry,pm,rita@example.com,,Oslo\n"
)


def errors(response: Any) -> list[dict[str, Any]]:
    body: dict[str, Any] = response.json()
    return list(body["errors"])


def test_a_bad_last_row_writes_nothing(personas: Personas, upload: Upload) -> None:
    before = counts()

    response = upload("people.csv", PEOPLE.encode())

    assert response.status_code == 400
    assert response.json()["written"] is False
    assert errors(response) == [
        {
            "file": "people.csv",
            "row": 4,
            "column": "function",
            "message": "unknown function 'wizardry'; use one of product, engineering, design, "
            "marketing, data, sales, support, cto",
        }
    ]
    assert counts() == before


def test_skip_invalid_imports_the_rest_and_lists_the_bad_row(
    personas: Personas, upload: Upload
) -> None:
    response = upload("people.csv", PEOPLE.encode(), skip_invalid=True)

    assert response.status_code == 200
    body = response.json()
    assert body["created"]["people"] == 2
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(4, "function")]
    rita = Person.objects.get(email="rita@example.com")
    assert rita.manager == personas.people["lena"]
    assert list(rita.teams.all()) == [personas.team]
    assert Person.objects.get(email="sam@example.com").manager == rita
    assert not Person.objects.filter(email="walt@example.com").exists()
    created = AuditEntry.objects.filter(
        object_type="person", action="create", actor=personas.leader
    )
    assert created.count() == 2


def test_rows_that_depend_on_a_skipped_row_are_skipped_too(
    personas: Personas, upload: Upload
) -> None:
    files = {
        "lines.csv": "parent,name,stage\n,Logistics,growth\n,Broken,beta\nBroken,Child line,idea\n",
        "products.csv": "line,name,owner\nLogistics,Router,mia@example.com\nBroken,Orphan,\n",
        "features.csv": (
            "line,product,parent,name\n"
            "Logistics,Router,,Maps\nLogistics,Router,Maps,Offline maps\n"
            "Broken,Orphan,,Lost\n"
        ),
    }
    response = upload("portfolio.zip", csv_zip(files), skip_invalid=True)

    body = response.json()
    assert response.status_code == 200
    assert body["errors"] == [
        {
            "file": "lines.csv",
            "row": 3,
            "column": "stage",
            "message": "unknown stage 'beta'; use one of idea, discovery, build, launch, growth, "
            "mature, sunset",
        }
    ]
    skipped = {(s["file"], s["row"]): s["message"] for s in body["skipped"]}
    assert skipped == {
        ("lines.csv", 4): "it depends on lines.csv row 3, which is not imported",
        ("products.csv", 3): "it depends on lines.csv row 3, which is not imported",
        ("features.csv", 4): "it depends on products.csv row 3, which is not imported",
    }
    assert body["created"] == {
        "teams": 0,
        "people": 0,
        "lines": 1,
        "products": 1,
        "features": 2,
        "stage_changes": 0,
    }
    maps = Feature.objects.get(name="Offline maps")
    assert maps.parent is not None
    assert maps.parent.name == "Maps"
    assert not ProductLine.objects.filter(name__in=["Broken", "Child line"]).exists()


def test_a_file_without_history_gives_each_item_an_imported_entry(
    personas: Personas, upload: Upload
) -> None:
    response = upload("products.csv", b"line,name,stage\nPlatform,Compass,build\n")

    assert response.status_code == 200
    compass = Product.objects.get(name="Compass")
    history = StageChange.objects.filter(item_type="product", item_id=compass.pk)
    assert [(h.from_stage, h.to_stage, h.reason, h.actor) for h in history] == [
        ("", "build", "Imported", personas.leader)
    ]


def test_stage_history_is_imported_with_its_dates(personas: Personas, upload: Upload) -> None:
    document = {
        "format": "quarterdeck",
        "version": 1,
        "products": [{"line": "Growth", "name": "Harbor", "stage": "discovery"}],
        "stage_changes": [
            {
                "item_type": "product",
                "item": "Growth/Harbor",
                "to_stage": "idea",
                "at": "2025-01-06T09:00:00+00:00",
                "reason": "Customer council",
            },
            {
                "item_type": "product",
                "item": "Growth/Harbor",
                "from_stage": "idea",
                "to_stage": "discovery",
                "at": "2025-03-03T10:30:00+01:00",
                "reason": "Signal",
            },
        ],
    }
    response = upload("export.json", json.dumps(document).encode())

    assert response.status_code == 200, response.json()
    harbor = Product.objects.get(name="Harbor")
    history = StageChange.objects.filter(item_type="product", item_id=harbor.pk).order_by("at")
    assert [(h.to_stage, h.at.isoformat(), h.reason) for h in history] == [
        ("idea", "2025-01-06T09:00:00+00:00", "Customer council"),
        ("discovery", "2025-03-03T09:30:00+00:00", "Signal"),
    ]
    assert harbor.created_at.isoformat() == "2025-01-06T09:00:00+00:00"


def test_rows_already_there_are_left_unchanged(personas: Personas, upload: Upload) -> None:
    content = b"line,name,description\nPlatform,Atlas,A new description\nPlatform,Compass,New\n"
    response = upload("products.csv", content)

    assert response.json()["created"]["products"] == 1
    assert response.json()["unchanged"]["products"] == 1
    personas.atlas.refresh_from_db()
    assert personas.atlas.description == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "name,email,manager\nAnn,ann@example.com,Bob\nBob,bob@example.com,Ann\n",
            "this makes a loop: Ann → Bob → Ann (reports to each other)",
        ),
        (
            "name,email,manager\nAnn,ann@example.com,nobody@example.com\n",
            "unknown person 'nobody@example.com'",
        ),
        (
            "name,email\nAnn,ann@example.com\nAnnie,ann@example.com\n",
            "the same e-mail address as people.csv row 2",
        ),
        ("name,email\nAnn,not-an-address\n", "'not-an-address' is not an e-mail address"),
        ("name,teams\nAnn,Nonexistent squad\n", "unknown team 'Nonexistent squad'"),
        ("name,email\n,ann@example.com\n", "required; this cell is empty"),
    ],
)
def test_bad_rows_are_named(personas: Personas, upload: Upload, content: str, message: str) -> None:
    response = upload("people.csv", content.encode())

    assert response.status_code == 400
    assert any(e["message"].startswith(message) for e in errors(response)), errors(response)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.csv", "name,email\nJosé,jose@example.com\n".encode("latin-1"), "not UTF-8 text"),
        ("people.csv", b"", "the file is empty"),
        ("people.csv", b"   \n", "the file is empty"),
        ("people.csv", b"name,shoe_size\nAnn,42\n", "unknown column(s) 'shoe_size'"),
        ("products.csv", b"name\nAtlas\n", "missing column(s) line"),
        ("pets.csv", b"name\nRex\n", "unknown file name"),
        ("export.json", b'{"people": [', "not valid JSON"),
        ("export.json", b'{"pets": []}', "unknown section(s) pets"),
        ("export.zip", b"PK\x03\x04 definitely not a zip", "not a readable zip file"),
        ("notes.txt", b"hello", "unrecognised file"),
    ],
)
def test_unreadable_files_get_a_clear_error(
    personas: Personas, upload: Upload, name: str, content: bytes, message: str
) -> None:
    before = counts()

    response = upload(name, content, skip_invalid=True)

    assert response.status_code == 400
    assert message in errors(response)[0]["message"], errors(response)
    assert counts() == before


def test_json_rows_are_checked_for_types(personas: Personas, upload: Upload) -> None:
    document = {"teams": [{"name": 42}, "not an object", {"name": "Ok", "colour": "red"}]}

    response = upload("export.json", json.dumps(document).encode())

    found = [(e["file"], e["row"], e["column"], e["message"]) for e in errors(response)]
    assert found == [
        ("teams", 1, "name", "expected text, found 42"),
        ("teams", 2, None, "expected an object with the row's fields, found 'not an object'"),
        ("teams", 3, "colour", "unknown field; expected name, description"),
    ]
