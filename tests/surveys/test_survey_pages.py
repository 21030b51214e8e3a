"""Creating, editing and deleting a survey through its pages (the form views)."""

from __future__ import annotations

from typing import Any

import pytest

from quarterdeck.surveys.models import Survey
from tests.surveys.conftest import Surveys

pytestmark = pytest.mark.django_db

CSAT = {
    "name": "Checkout CSAT",
    "kind": "csat",
    "scale_min": "",
    "scale_max": "",
    "question": "How satisfied are you with checkout?",
    "product_id": "",
    "event_name": "survey sent",
    "event_survey_id": "",
    "score_property": "rating",
    "comment_property": "",
}


def _edit_data(survey: Survey, **changes: Any) -> dict[str, Any]:
    data = {name: getattr(survey, name) for name in CSAT if name != "kind"}
    data["product_id"] = survey.product_id or ""
    return data | {"version": survey.version} | changes


def test_leader_creates_a_survey_through_the_form(surveys: Surveys, client_for: Any) -> None:
    p = surveys.personas
    client = client_for(p.leader)
    index = client.get("/surveys/").content.decode()
    assert 'href="/surveys/new/"' in index
    form = client.get("/surveys/new/").content.decode()
    assert "Answers from events (optional)" in form
    assert "autofocus" in form
    response = client.post("/surveys/new/", CSAT | {"product_id": str(p.atlas.pk)})
    created = Survey.objects.get(name="Checkout CSAT")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/surveys/{created.pk}/"
    assert (created.kind, created.scale_min, created.scale_max) == ("csat", 1, 5)
    assert (created.product, created.event_name, created.score_property) == (
        p.atlas,
        "survey sent",
        "rating",
    )


def test_a_set_scale_overrides_the_kinds_default(surveys: Surveys, client_for: Any) -> None:
    data = CSAT | {"kind": "ces", "name": "Setup effort", "scale_min": "1", "scale_max": "5"}
    response = client_for(surveys.personas.admin).post("/surveys/new/", data)
    assert response.status_code == 302
    survey = Survey.objects.get(name="Setup effort")
    assert (survey.kind, survey.scale_min, survey.scale_max) == ("ces", 1, 5)


def test_viewer_sees_no_new_button_and_may_not_use_the_form(
    surveys: Surveys, client_for: Any
) -> None:
    client = client_for(surveys.personas.viewer)
    assert "/surveys/new/" not in client.get("/surveys/").content.decode()
    assert client.get("/surveys/new/").status_code == 403
    assert client.post("/surveys/new/", CSAT).status_code == 403
    assert not Survey.objects.filter(name="Checkout CSAT").exists()


def test_member_must_pick_a_product_she_may_change(surveys: Surveys, client_for: Any) -> None:
    p = surveys.personas
    client = client_for(p.member)
    form = client.get("/surveys/new/").content.decode()
    assert f'value="{p.atlas.pk}"' in form
    assert "Beacon" not in form  # Otto's product: not hers to attach surveys to
    response = client.post("/surveys/new/", CSAT)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Survey.objects.filter(name="Checkout CSAT").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "atlas nps"}, "name", "Another survey already has this name."),
        ({"scale_min": "5", "scale_max": "3"}, "scale_max", "The scale needs at least three"),
        ({"kind": "nps", "scale_min": "1", "scale_max": "5"}, "scale_max", "NPS is always"),
    ],
    ids=["empty-name", "duplicate-name", "min-above-max", "nps-scale"],
)
def test_bad_input_shows_field_errors_and_keeps_typed_values(
    surveys: Surveys, client_for: Any, changes: dict[str, str], field: str, message: str
) -> None:
    response = client_for(surveys.personas.leader).post("/surveys/new/", CSAT | changes)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    assert 'value="How satisfied are you with checkout?"' in html  # typed values kept
    assert 'value="rating"' in html
    assert Survey.objects.count() == 2


def test_editor_changes_a_survey_and_sees_the_buttons(surveys: Surveys, client_for: Any) -> None:
    client = client_for(surveys.personas.member)
    nps = surveys.nps
    detail = client.get(f"/surveys/{nps.pk}/").content.decode()
    assert f'href="/surveys/{nps.pk}/edit/"' in detail
    assert f'href="/surveys/{nps.pk}/delete/"' in detail
    response = client.post(f"/surveys/{nps.pk}/edit/", _edit_data(nps, question="Recommend?"))
    assert response.status_code == 302
    nps.refresh_from_db()
    assert (nps.question, nps.version) == ("Recommend?", 2)


def test_viewer_sees_no_edit_buttons_and_may_not_edit(surveys: Surveys, client_for: Any) -> None:
    client = client_for(surveys.personas.viewer)
    nps = surveys.nps
    assert f"/surveys/{nps.pk}/edit/" not in client.get(f"/surveys/{nps.pk}/").content.decode()
    assert client.get(f"/surveys/{nps.pk}/edit/").status_code == 403
    response = client.post(f"/surveys/{nps.pk}/edit/", _edit_data(nps, question="Hacked"))
    assert response.status_code == 403
    nps.refresh_from_db()
    assert nps.question == ""


def test_edit_with_a_stale_version_shows_the_conflict(surveys: Surveys, client_for: Any) -> None:
    client = client_for(surveys.personas.leader)
    nps = surveys.nps
    stale = _edit_data(nps, question="Mine")
    Survey.objects.filter(pk=nps.pk).update(question="Theirs", version=2)
    response = client.post(f"/surveys/{nps.pk}/edit/", stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this survey" in html
    assert response.context["conflicts"] == [("Question", "Theirs", "Mine")]
    assert 'value="Mine"' in html  # the typed value is kept...
    assert 'name="version" value="2"' in html  # ...on top of the new version
    nps.refresh_from_db()
    assert nps.question == "Theirs"
    again = client.post(f"/surveys/{nps.pk}/edit/", stale | {"version": 2})
    assert again.status_code == 302
    nps.refresh_from_db()
    assert nps.question == "Mine"


def test_delete_works_for_the_products_owner(surveys: Surveys, client_for: Any) -> None:
    client = client_for(surveys.personas.member)
    nps = surveys.nps
    confirm = client.get(f"/surveys/{nps.pk}/delete/")
    assert confirm.status_code == 200
    assert "9 answers" in confirm.content.decode()
    response = client.post(f"/surveys/{nps.pk}/delete/", {"version": nps.version})
    assert response.status_code == 302
    assert response.headers["Location"] == "/surveys/"
    assert not Survey.objects.filter(pk=nps.pk).exists()


@pytest.mark.parametrize("role", ["viewer", "contributor", "outsider"])
def test_delete_is_refused_for_others(surveys: Surveys, client_for: Any, role: str) -> None:
    client = client_for(getattr(surveys.personas, role))
    nps = surveys.nps
    assert client.get(f"/surveys/{nps.pk}/delete/").status_code == 403
    assert client.post(f"/surveys/{nps.pk}/delete/", {"version": nps.version}).status_code == 403
    assert Survey.objects.filter(pk=nps.pk).exists()


def test_member_may_not_delete_a_survey_without_product(surveys: Surveys, client_for: Any) -> None:
    path = f"/surveys/{surveys.csat.pk}/delete/"
    response = client_for(surveys.personas.member).post(path, {"version": 1})
    assert response.status_code == 403
    assert Survey.objects.filter(pk=surveys.csat.pk).exists()


@pytest.mark.parametrize(("version", "status"), [("1x", 400), ("7", 409)])
def test_delete_with_a_bad_or_stale_version_says_why(
    surveys: Surveys, client_for: Any, version: str, status: int
) -> None:
    path = f"/surveys/{surveys.nps.pk}/delete/"
    response = client_for(surveys.personas.leader).post(path, {"version": version})
    assert response.status_code == status
    assert 'role="alert"' in response.content.decode()
    assert Survey.objects.filter(pk=surveys.nps.pk).exists()
