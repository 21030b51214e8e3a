"""The survey pages: the list, a survey's charts, breakdown and verbatims, the import form."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.surveys.conftest import Surveys

pytestmark = pytest.mark.django_db


def test_list_shows_each_surveys_headline_and_count(surveys: Surveys, client_for: Any) -> None:
    page = client_for(surveys.personas.viewer).get("/surveys/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Atlas NPS" in html
    assert "Support CSAT" in html
    assert "-11" in html  # NPS (3 promoters - 4 detractors) / 9 answers
    assert '<a href="/surveys/"' in html or "Surveys</a>" in html  # the nav entry


def _spec(html: str, element_id: str) -> dict[str, Any]:
    start = html.index(f'id="{element_id}"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return dict(json.loads(body))


def test_detail_charts_breakdown_and_verbatims(surveys: Surveys, client_for: Any) -> None:
    page = client_for(surveys.personas.member).get(f"/surveys/{surveys.nps.pk}/?by=segment")
    assert page.status_code == 200
    html = page.content.decode()
    over_time = _spec(html, "survey-over-time")
    assert [v["value"] for v in over_time["data"]["values"]] == [20.0, -50.0]
    spread = _spec(html, "survey-spread")
    colours = {v["group"] for v in spread["data"]["values"]}
    assert colours == {"detractor", "passive", "promoter"}
    assert "Enterprise" in html
    assert "SMB" in html
    assert "Outage again" in html  # a verbatim


def test_verbatims_filter_by_group_and_stay_hidden_from_viewers(
    surveys: Surveys, client_for: Any
) -> None:
    path = f"/surveys/{surveys.nps.pk}/?group=promoter"
    html = client_for(surveys.personas.member).get(path).content.decode()
    assert "Love it" in html
    assert "Outage again" not in html
    viewer = client_for(surveys.personas.viewer).get(path).content.decode()
    assert "Love it" not in viewer
    assert "Latest verbatims" not in viewer


def test_import_form_rejects_then_imports(surveys: Surveys, client_for: Any) -> None:
    client = client_for(surveys.personas.member)
    path = f"/surveys/{surveys.nps.pk}/import/"
    content = b"when,score\n2024-06-01T10:00,9\n2024-06-02T10:00,\n"

    def post(skip: bool) -> Any:
        data = {
            "file": SimpleUploadedFile("a.csv", content),
            "mapping": "when=answered_at\nscore=score",
            "date_format": "iso",
        }
        return client.post(path, data | ({"skip_invalid": "on"} if skip else {}))

    rejected = post(False)
    assert rejected.status_code == 400
    assert "No score" in rejected.content.decode()
    assert surveys.nps.responses.count() == 9
    done = post(True)
    assert done.status_code == 302
    assert surveys.nps.responses.count() == 10


def test_import_form_names_a_bad_mapping(surveys: Surveys, client_for: Any) -> None:
    data = {"file": SimpleUploadedFile("a.csv", b"x\n1\n"), "mapping": "nonsense"}
    page = client_for(surveys.personas.leader).post(f"/surveys/{surveys.csat.pk}/import/", data)
    assert page.status_code == 400
    assert "COLUMN=field" in page.content.decode()
