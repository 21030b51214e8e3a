"""Scores, scoring models, line defaults and the matrix through the HTTP API, per persona."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from quarterdeck.roadmap.models import ScoringModel
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db

RICE_INPUTS = {"reach": 500, "impact": 2, "confidence": 80, "effort": 4}


def rice() -> ScoringModel:
    return ScoringModel.objects.get(name="RICE")


def put_score(api: Api, feature_id: int, inputs: Mapping[str, object], **extra: object):  # type: ignore[no-untyped-def]
    body = {"inputs": inputs, **{k: v for k, v in extra.items() if k != "if_match"}}
    if_match = extra.get("if_match")
    path = f"/scoring/features/{feature_id}/scores/{rice().pk}"
    return api.put(path, body, if_match=if_match)  # type: ignore[arg-type]


def test_built_in_models_exist_with_their_formulas(personas: Personas) -> None:
    got = Api(personas.viewer).get("/scoring/models")
    assert got.status_code == 200
    by_name = {m["name"]: m for m in got.json()}
    assert {"RICE", "ICE", "WSJF", "Value / effort", "Kano"} <= set(by_name)
    assert by_name["RICE"]["formula"] == "reach * impact * (confidence / 100) / effort"


def test_owner_scores_a_feature_and_history_keeps_who_and_why(personas: Personas) -> None:
    api = Api(personas.member)
    first = put_score(api, personas.search.pk, RICE_INPUTS)
    assert first.status_code == 201, first.json()
    assert first.json()["value"] == pytest.approx(500 * 2 * 0.8 / 4)
    score_id = first.json()["id"]
    no_reason = put_score(api, personas.search.pk, {"reach": 1000}, if_match=1)
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["fields"]
    changed = put_score(api, personas.search.pk, {"reach": 1000}, reason="New survey", if_match=1)
    assert changed.status_code == 200, changed.json()
    assert changed.json()["value"] == pytest.approx(400.0)
    assert changed["ETag"] == '"2"'
    history = Api(personas.viewer).get(f"/scoring/scores/{score_id}/history").json()
    assert [h["reason"] for h in history] == ["New survey", ""]
    assert history[0]["value_before"] == pytest.approx(200.0)
    assert history[0]["value_after"] == pytest.approx(400.0)
    assert history[0]["actor"] == personas.member.email


def test_changing_a_score_needs_the_current_version(personas: Personas) -> None:
    api = Api(personas.member)
    put_score(api, personas.search.pk, RICE_INPUTS)
    missing = put_score(api, personas.search.pk, {"reach": 9}, reason="x")
    assert missing.status_code == 428
    stale = put_score(api, personas.search.pk, {"reach": 9}, reason="x", if_match=7)
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 201), ("leader", 201), ("manager", 201), ("member", 201),
     ("outsider", 403), ("other_manager", 403), ("contributor", 403), ("viewer", 403)],
)  # fmt: skip
def test_who_may_score(personas: Personas, role: str, status: int) -> None:
    got = put_score(Api(getattr(personas, role)), personas.search.pk, RICE_INPUTS)
    assert got.status_code == status


def test_bad_inputs_name_the_criterion(personas: Personas) -> None:
    got = put_score(Api(personas.member), personas.search.pk, {"impact": 7, "reech": 1})
    assert got.status_code == 400
    assert set(got.json()["fields"]) == {"impact", "reech"}
    assert "0.25, 0.5, 1, 2, 3" in got.json()["fields"]["impact"][0]


def test_missing_input_leaves_no_value_and_says_why(personas: Personas) -> None:
    got = put_score(Api(personas.member), personas.search.pk, {"reach": 10})
    assert got.status_code == 201
    assert got.json()["value"] is None
    assert "confidence" in got.json()["error"]
    assert "effort" in got.json()["error"]


def test_only_leaders_manage_models_and_formula_errors_have_positions(personas: Personas) -> None:
    body = {
        "name": "Reach per effort",
        "criteria": [{"key": "reach", "kind": "number"}, {"key": "effort", "kind": "number"}],
        "formula": "reech / effort",
    }
    assert Api(personas.manager).post("/scoring/models", body).status_code == 403
    leader = Api(personas.leader)
    bad = leader.post("/scoring/models", body)
    assert bad.status_code == 400
    assert "did you mean 'reach'" in bad.json()["message"]
    assert "(at 0)" in bad.json()["fields"]["formula"][0]
    made = leader.post("/scoring/models", {**body, "formula": "reach / effort"})
    assert made.status_code == 201, made.json()
    model_id = made.json()["id"]
    stale = leader.put(f"/scoring/models/{model_id}", {**body, "formula": "reach"}, if_match=9)
    assert stale.status_code == 412
    deleted = leader.delete(f"/scoring/models/{model_id}", if_match=1)
    assert deleted.status_code == 204


def test_a_new_formula_recomputes_scores_with_history(personas: Personas) -> None:
    leader = Api(personas.leader)
    body = {"name": "Plain", "criteria": [{"key": "a"}], "formula": "a * 2"}
    model_id = leader.post("/scoring/models", body).json()["id"]
    path = f"/scoring/features/{personas.search.pk}/scores/{model_id}"
    score = leader.put(path, {"inputs": {"a": 3}}).json()
    assert score["value"] == 6
    changed = leader.put(f"/scoring/models/{model_id}", {**body, "formula": "a * 10"}, if_match=1)
    assert changed.status_code == 200
    now = leader.get(f"/scoring/scores/{score['id']}").json()
    assert now["value"] == 30
    history = leader.get(f"/scoring/scores/{score['id']}/history").json()
    assert history[0]["source"] == "formula"


def test_formula_check_endpoint(personas: Personas) -> None:
    api = Api(personas.viewer)
    ok = api.post("/scoring/formula/check", {"formula": "a * 2", "values": {"a": 4}}).json()
    assert ok == {"ok": True, "value": 8.0, "names": ["a"], "error": None}
    bad = api.post("/scoring/formula/check", {"formula": "a * * 2"}).json()
    assert bad["ok"] is False
    assert bad["error"]["position"] == 4
    assert bad["error"]["caret"] == "a * * 2\n    ^"


def test_line_default_by_who_may_change_the_line(personas: Personas) -> None:
    path = f"/scoring/lines/{personas.platform.pk}/default"
    assert Api(personas.outsider).put(path, {"scoring_model_id": rice().pk}).status_code == 403
    got = Api(personas.manager).put(path, {"scoring_model_id": rice().pk})
    assert got.status_code == 200
    assert got.json()["scoring_model"]["name"] == "RICE"
    assert Api(personas.viewer).get(path).json()["inherited"] is False


def test_matrix_points_and_spec(personas: Personas) -> None:
    put_score(Api(personas.member), personas.search.pk, RICE_INPUTS)
    got = Api(personas.viewer).get("/scoring/matrix", scoring_model_id=rice().pk)
    assert got.status_code == 200
    body = got.json()
    assert body["points"][0]["x"] == 4
    assert body["points"][0]["y"] == pytest.approx(800.0)
    assert body["points"][0]["quadrant"] == "Quick wins"
    assert body["spec"]["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_formula_fields_effort_total_demand_and_missing_metrics(personas: Personas) -> None:
    from quarterdeck.roadmap.models import Effort

    Effort.objects.create(feature=personas.search, team=personas.team, amount=6)
    leader = Api(personas.leader)
    body = {"name": "Fields", "criteria": [{"key": "a"}],
            "formula": "a * 10 / effort_total + demand + demand_count"}  # fmt: skip
    model_id = leader.post("/scoring/models", body).json()["id"]
    path = f"/scoring/features/{personas.search.pk}/scores/{model_id}"
    assert leader.put(path, {"inputs": {"a": 3}}).json()["value"] == pytest.approx(5.0)
    body = {"name": "Usage", "criteria": [{"key": "a"}], "formula": "a * metric.product_mau"}
    usage_id = leader.post("/scoring/models", body).json()["id"]
    got = leader.put(f"/scoring/features/{personas.search.pk}/scores/{usage_id}",
                     {"inputs": {"a": 1}}).json()  # fmt: skip
    assert got["value"] is None
    assert "field without data 'metric.product_mau'" in got["error"]


@pytest.mark.parametrize(
    ("model", "inputs", "value"),
    [
        ("RICE", {"reach": 1200, "impact": 0.5, "confidence": 50, "effort": 3}, 100.0),
        ("ICE", {"impact": 7, "confidence": 5, "ease": 4}, 140.0),
        (
            "WSJF",
            {"business_value": 8, "time_criticality": 5, "risk_reduction": 3, "job_size": 2},
            8.0,
        ),
        ("Value / effort", {"value": 9, "effort": 3}, 3.0),
        # like it if present, dislike it if absent: one-dimensional (2) x importance 4 / effort 2
        ("Kano", {"functional": 1, "dysfunctional": 5, "importance": 4, "effort": 2}, 4.0),
        # expect it / dislike it: must-be (3)
        ("Kano", {"functional": 2, "dysfunctional": 5, "importance": 1, "effort": 1}, 3.0),
        # like it / neutral: attractive (1); dislike it / like it: reverse (-1)
        ("Kano", {"functional": 1, "dysfunctional": 3, "importance": 5, "effort": 5}, 1.0),
        ("Kano", {"functional": 5, "dysfunctional": 1, "importance": 2, "effort": 1}, -2.0),
    ],
)
def test_frameworks_by_hand(
    personas: Personas, model: str, inputs: dict[str, float], value: float
) -> None:
    model_id = ScoringModel.objects.get(name=model).pk
    got = Api(personas.leader).put(
        f"/scoring/features/{personas.search.pk}/scores/{model_id}", {"inputs": inputs}
    )
    assert got.status_code == 201, got.json()
    assert got.json()["value"] == pytest.approx(value)


def test_wsjf_refuses_a_size_off_the_fibonacci_scale(personas: Personas) -> None:
    model_id = ScoringModel.objects.get(name="WSJF").pk
    got = Api(personas.leader).put(
        f"/scoring/features/{personas.search.pk}/scores/{model_id}", {"inputs": {"job_size": 4}}
    )
    assert got.status_code == 400
    assert "1, 2, 3, 5, 8, 13, 20" in got.json()["fields"]["job_size"][0]


def test_matrix_bubbles_show_reach_demand_or_nothing(personas: Personas) -> None:
    put_score(Api(personas.member), personas.search.pk, RICE_INPUTS)
    viewer = Api(personas.viewer)
    model = rice().pk
    own = viewer.get("/scoring/matrix", scoring_model_id=model).json()
    assert own["size_label"] == "reach"
    assert own["points"][0]["size"] == RICE_INPUTS["reach"]
    demand = viewer.get("/scoring/matrix", scoring_model_id=model, size="demand").json()
    assert demand["size_label"] == "demand"
    assert demand["points"][0]["size"] == 0  # no feedback linked to Atlas Search
    equal = viewer.get("/scoring/matrix", scoring_model_id=model, size="equal").json()
    assert equal["size_label"] == "equal size"
    assert equal["points"][0]["size"] == 1
    bad = viewer.get("/scoring/matrix", scoring_model_id=model, size="__import__")
    assert bad.status_code == 400
    assert "size" in bad.json()["fields"]
