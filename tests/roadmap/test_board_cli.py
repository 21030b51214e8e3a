"""`quarterdeck roadmap show | place | export | views list | share | revoke`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.test import Client

from quarterdeck.cli import cli
from quarterdeck.roadmap import board
from quarterdeck.roadmap.models import RoadmapEntry, ShareLink
from tests.personas import Personas

pytestmark = pytest.mark.django_db
ENV = {"COLUMNS": "200"}


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["roadmap", *args], env=ENV)
    assert result.exit_code == 0, result.output
    return result.output


def test_place_and_show(personas: Personas) -> None:
    out = _run(
        "place", "Atlas Search", "--lane", "next", "--start", "2027-04-01", "--end", "2027-06-30"
    )
    assert "is in Next at position 1, 2027-04-01 → 2027-06-30" in out
    assert RoadmapEntry.objects.get(feature=personas.search).lane == "next"
    assert "Atlas Search" in _run("show")
    data = json.loads(_run("show", "--format", "json", "--line", "Platform"))
    assert [(d["feature"], d["lane"]) for d in data] == [("Atlas Search", "next")]
    assert json.loads(_run("show", "--format", "json", "--line", "Growth")) == []
    assert _run("show", "--format", "csv").splitlines()[1].startswith("next,1,Atlas Search")


def test_errors_are_one_line(personas: Personas) -> None:
    result = CliRunner().invoke(cli, ["roadmap", "place", "Nope", "--lane", "now"], env=ENV)
    assert result.exit_code == 1
    assert "There is no feature 'Nope'" in result.output
    result = CliRunner().invoke(
        cli, ["roadmap", "place", "Atlas Search", "--lane", "now", "--start", "soon"], env=ENV
    )
    assert result.exit_code == 2
    assert "--start" in result.output
    result = CliRunner().invoke(cli, ["roadmap", "revoke", "999"], env=ENV)
    assert result.exit_code == 1
    assert "no share link" in result.output


def test_export_views_share_revoke(personas: Personas, tmp_path: Path) -> None:
    board.entry_place(actor=None, feature_id=personas.search.pk, lane="now")
    view = board.view_create(actor=personas.member, data={"name": "Atlas view"})
    csv_file, png_file = tmp_path / "r.csv", tmp_path / "r.png"
    _run("export", "--format", "csv", "--out", str(csv_file))
    assert "Atlas Search" in csv_file.read_text()
    _run("export", "--format", "png", "--out", str(png_file), "--view", str(view.pk))
    assert png_file.read_bytes().startswith(b"\x89PNG")
    assert "Atlas view" in _run("views", "list")
    result = CliRunner().invoke(
        cli, ["roadmap", "share", str(view.pk), "--expires-days", "5"], env=ENV
    )
    path = result.stdout.strip()
    assert path.startswith("/share/")
    assert Client().get(path).status_code == 200
    link = ShareLink.objects.get(view=view)
    assert "revoked" in _run("revoke", str(link.pk))
    assert Client().get(path).status_code == 404
