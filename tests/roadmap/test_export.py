"""Exports of the roadmap: CSV rows, PNG and PDF files (pages, API, saved view)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from quarterdeck.portfolio.models import Feature, Stage
from quarterdeck.roadmap import board
from quarterdeck.roadmap.models import Dependency
from tests.api.client import Api
from tests.personas import Personas

ClientFor = Callable[[Any], Client]


def _roadmap(p: Personas) -> Feature:
    base = Feature.objects.create(product=p.atlas, name="Atlas Index", stage=Stage.BUILD)
    board.entry_place(actor=None, feature_id=base.pk, lane="now", start=dt.date(2027, 1, 4),
                      end=dt.date(2027, 3, 26))  # fmt: skip
    board.entry_place(actor=None, feature_id=p.search.pk, lane="next", start=dt.date(2027, 4, 1),
                      end=dt.date(2027, 6, 30))  # fmt: skip
    Dependency.objects.create(feature=p.search, needs=base)
    return base


def test_csv_rows(personas: Personas, client_for: ClientFor) -> None:
    _roadmap(personas)
    response = client_for(personas.viewer).get("/roadmap/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [
        "lane", "position", "feature", "product", "line", "owner", "stage", "start", "end",
        "score", "needs",
    ]  # fmt: skip
    assert [(r["lane"], r["feature"], r["needs"]) for r in rows] == [
        ("now", "Atlas Index", ""),
        ("next", "Atlas Search", "Atlas Index"),
    ]
    assert rows[1]["start"] == "2027-04-01"
    assert rows[1]["line"] == "Platform"


def test_png_board_and_timeline(personas: Personas, client_for: ClientFor) -> None:
    _roadmap(personas)
    client = client_for(personas.viewer)
    for layout in ("board", "timeline"):
        response = client.get("/roadmap/export.png", {"layout": layout, "grain": "month"})
        assert response.status_code == 200
        assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_pdf(personas: Personas, client_for: ClientFor) -> None:
    _roadmap(personas)
    response = client_for(personas.viewer).get("/roadmap/export.pdf")
    if response.status_code == 503:  # no Pango on this machine: a clear message, not a crash
        assert "Pango" in response.content.decode()
        pytest.skip("WeasyPrint's system libraries are missing")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_api_and_view_exports(personas: Personas) -> None:
    _roadmap(personas)
    api = Api(personas.viewer)
    response = api.get("/roadmap/export.csv", product_id=personas.atlas.pk)
    assert response.status_code == 200
    assert b"Atlas Search" in response.content
    assert api.get("/roadmap/export.doc").status_code in (400, 404, 422)
    view = board.view_create(
        actor=personas.member, data={"name": "Q", "shared": True, "layout": "timeline"}
    )
    png = api.get(f"/roadmap/views/{view.pk}/export.png")
    assert png.status_code == 200
    assert png.content.startswith(b"\x89PNG")
    page = Client()
    page.force_login(personas.viewer)
    assert page.get(f"/roadmap/views/{view.pk}/export.csv").status_code == 200
    assert page.get("/roadmap/export.doc").status_code == 400
