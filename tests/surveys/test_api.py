"""The surveys API: CRUD with versions, answers in batches, results, verbatims."""

from __future__ import annotations

import pytest

from quarterdeck.audit.models import AuditEntry
from quarterdeck.surveys.models import Response
from tests.api.client import Api
from tests.surveys.conftest import Surveys

pytestmark = pytest.mark.django_db


def test_create_with_the_kinds_default_scale(surveys: Surveys) -> None:
    api = Api(surveys.personas.member)
    body = {"name": "Atlas CES", "kind": "ces", "product_id": surveys.personas.atlas.pk}
    response = api.post("/surveys", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["scale_min"], data["scale_max"], data["version"]) == (1, 7, 1)
    assert response.headers["ETag"] == '"1"'
    assert AuditEntry.objects.filter(object_type="survey", action="create").count() == 1


def test_a_member_may_not_create_a_survey_of_another_product(surveys: Surveys) -> None:
    body = {"name": "Beacon NPS", "kind": "nps", "product_id": surveys.personas.beacon.pk}
    response = Api(surveys.personas.member).post("/surveys", body)
    assert response.status_code == 403


def test_bad_survey_fields_are_named(surveys: Surveys) -> None:
    api = Api(surveys.personas.leader)
    response = api.post("/surveys", {"name": "Atlas NPS", "kind": "nps", "scale_max": 5})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"name", "scale_max"}


def test_patch_needs_the_current_version(surveys: Surveys) -> None:
    api = Api(surveys.personas.member)
    path = f"/surveys/{surveys.nps.pk}"
    assert api.patch(path, {"question": "Recommend?"}).status_code == 428
    assert api.patch(path, {"question": "Recommend?"}, if_match=7).status_code == 412
    response = api.patch(path, {"question": "Recommend?"}, if_match=1)
    assert response.status_code == 200
    assert response.json()["question"] == "Recommend?"
    assert response.headers["ETag"] == '"2"'


def test_csat_scale_can_change_but_not_past_its_answers(surveys: Surveys) -> None:
    api = Api(surveys.personas.leader)
    path = f"/surveys/{surveys.csat.pk}"
    assert api.patch(path, {"scale_min": 1, "scale_max": 10}, if_match=1).status_code == 200
    api.post(f"{path}/responses", {"responses": [{"score": 9, "answered_at": "2024-03-01T10:00"}]})
    response = api.patch(path, {"scale_max": 5}, if_match=2)
    assert response.status_code == 400
    assert "outside" in response.json()["fields"]["scale_max"][0]


def test_a_batch_is_all_or_nothing(surveys: Surveys) -> None:
    api = Api(surveys.personas.member)
    good = {"score": 10, "answered_at": "2024-05-01T10:00:00Z", "comment": "Yes"}
    bad = {"score": 11, "answered_at": "2024-05-01T10:00:00Z"}
    response = api.post(f"/surveys/{surveys.nps.pk}/responses", {"responses": [good, bad]})
    assert response.status_code == 400
    assert response.json()["fields"] == {"responses.1.score": ["11 is outside the scale 0-10."]}
    assert surveys.nps.responses.count() == len([1 for _ in range(9)])


def test_a_batch_with_external_ids_is_idempotent(surveys: Surveys) -> None:
    api = Api(surveys.personas.member)
    path = f"/surveys/{surveys.nps.pk}/responses"
    item = {"score": 6, "answered_at": "2024-05-01T10:00:00Z", "external_id": "x1"}
    assert api.post(path, {"responses": [item]}).json() == {"created": 1, "updated": 0}
    again = api.post(path, {"responses": [{**item, "score": 9}]})
    assert again.json() == {"created": 0, "updated": 1}
    assert Response.objects.get(survey=surveys.nps, external_id="x1").score == 9


def test_a_verbatim_without_a_score_is_kept_but_not_counted(surveys: Surveys) -> None:
    api = Api(surveys.personas.member)
    item = {"answered_at": "2024-05-01T10:00:00Z", "comment": "No score, just words"}
    assert (
        api.post(f"/surveys/{surveys.nps.pk}/responses", {"responses": [item]}).status_code == 201
    )
    summary = api.get(f"/surveys/{surveys.nps.pk}").json()["summary"]
    assert summary["count"] == 9
    comments = [
        r["comment"] for r in api.get(f"/surveys/{surveys.nps.pk}/responses").json()["items"]
    ]
    assert "No score, just words" in comments


def test_results_by_period_stage_and_segment(surveys: Surveys) -> None:
    api = Api(surveys.personas.viewer)
    path = f"/surveys/{surveys.nps.pk}/results"
    months = api.get(path, by="period", grain="month").json()
    assert [(g["key"], g["value"], g["count"]) for g in months["groups"]] == [
        ("2024-03", 20.0, 5),
        ("2024-04", -50.0, 4),
    ]
    assert months["overall"]["value"] == pytest.approx(100 * (3 - 4) / 9)
    stages = {g["key"]: g["value"] for g in api.get(path, by="stage").json()["groups"]}
    assert stages == {"Renewal": -60.0, "Onboarding": 50.0}
    quarter = api.get(path, by="period", grain="quarter").json()["groups"]
    assert [g["key"] for g in quarter] == ["2024-Q1", "2024-Q2"]
    weeks = api.get(path, by="period", grain="week", start="2024-04-01").json()["groups"]
    assert [(g["key"], g["count"]) for g in weeks] == [("2024-04-01", 4)]


def test_results_refuse_an_unknown_breakdown(surveys: Surveys) -> None:
    response = Api(surveys.personas.viewer).get(f"/surveys/{surveys.nps.pk}/results", by="color")
    assert response.status_code == 400
    assert "by" in response.json()["fields"]


def test_verbatims_by_score_group_for_members_not_viewers(surveys: Surveys) -> None:
    path = f"/surveys/{surveys.nps.pk}/responses"
    detractors = Api(surveys.personas.member).get(path, group="detractor").json()
    assert detractors["count"] == 4
    assert {r["group"] for r in detractors["items"]} == {"detractor"}
    assert detractors["items"][0]["comment"] == ""  # newest first: the 5 of April 5
    assert Api(surveys.personas.viewer).get(path).status_code == 403
    assert Api(surveys.personas.member).get(path, group="fans").status_code == 400


def test_delete_removes_the_answers(surveys: Surveys) -> None:
    api = Api(surveys.personas.member)
    assert api.delete(f"/surveys/{surveys.nps.pk}", if_match=1).status_code == 204
    assert not Response.objects.exists()
