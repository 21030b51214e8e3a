"""The success-metric and post-launch check API: CRUD per plan (only the target after binding),
recompute, the flags of a feature and a product, and clear 4xx on bad input."""

from __future__ import annotations

import pytest

from quarterdeck.audit.models import AuditEntry
from tests.api.client import Api, etag_of
from tests.launches import checks_data as data
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _version(api: Api, path: str) -> int:
    read = api.get(path)
    assert read.status_code == 200, read.content
    return etag_of(read)


def test_metrics_crud_before_launch_and_only_the_target_after(personas: Personas) -> None:
    plan = data.plan_for(personas.search, launched=False)
    api = Api(personas.member)
    made = api.post(
        f"/launch-plans/{plan.pk}/success-metrics",
        {"metric": "feature_adoption_30d", "target": 0.3, "label": "Adoption"},
    )
    assert made.status_code == 201, made.content
    metric = made.json()
    assert metric["feature_id"] == personas.search.pk
    assert metric["checks"] == []
    assert metric["bound_at"] is None
    path = f"/success-metrics/{metric['id']}"
    assert api.patch(path, {"label": "Adoption!"}).status_code == 428  # If-Match needed
    renamed = api.patch(path, {"label": "30-day adoption"}, if_match=_version(api, path))
    assert renamed.json()["label"] == "30-day adoption"
    stale = api.patch(path, {"label": "Lost"}, if_match=metric["version"])
    assert stale.status_code == 412
    listed = api.get(f"/launch-plans/{plan.pk}/success-metrics").json()
    assert [m["label"] for m in listed] == ["30-day adoption"]

    data.ratio(personas.atlas, "feature_adoption_30d", (0, 400), (140, 400), personas.search)
    plan.launched_on, plan.status = data.LAUNCH, "launched"
    plan.save()
    recomputed = api.post(f"/launch-plans/{plan.pk}/checks/recompute", None)
    assert recomputed.status_code == 200, recomputed.content
    assert recomputed.json()["computed"] == 3
    flag = recomputed.json()["flags"][0]
    assert [c["verdict"] for c in flag["metric"]["checks"]] == ["met"] * 3
    assert flag["latest"] == "met"
    assert flag["metric"]["checks"][0]["symbol"] == "✓"

    fixed = api.patch(path, {"label": "Renamed"}, if_match=_version(api, path))
    assert fixed.status_code == 400
    assert "label" in fixed.json()["fields"]
    raised = api.patch(path, {"target": 0.5}, if_match=_version(api, path))
    assert raised.status_code == 200
    assert [c["verdict"] for c in raised.json()["checks"]] == ["no_change"] * 3
    updates = AuditEntry.objects.filter(object_type="success_metric", action="update")
    assert updates.filter(actor=personas.member).count() == 2  # the label, the target
    assert updates.filter(actor=None, actor_label="system").count() == 1  # binding
    kept = api.delete(path, if_match=_version(api, path))
    assert kept.status_code == 400
    assert "bound" in kept.json()["message"].lower()


def test_who_may_change_and_who_reads(personas: Personas) -> None:
    plan = data.plan_for(personas.search, launched=False)
    body = {"metric": "feature_users"}
    for user in (personas.viewer, personas.contributor, personas.outsider):
        denied = Api(user).post(f"/launch-plans/{plan.pk}/success-metrics", body)
        assert denied.status_code == 403, user
    made = Api(personas.manager).post(f"/launch-plans/{plan.pk}/success-metrics", body)
    assert made.status_code == 201
    viewer, path = Api(personas.viewer), f"/success-metrics/{made.json()['id']}"
    version = _version(viewer, path)
    assert viewer.patch(path, {"target": 3}, if_match=version).status_code == 403
    assert viewer.delete(path, if_match=version).status_code == 403
    assert Api(personas.member).delete(path, if_match=version).status_code == 204


def test_flags_of_a_feature_and_a_product(personas: Personas) -> None:
    data.daily_counts(personas.atlas, "dau", 100, 100)
    plan = data.plan_for(personas.search)
    api = Api(personas.member)
    api.post(f"/launch-plans/{plan.pk}/success-metrics", {"metric": "dau", "target": 500})
    viewer = Api(personas.viewer)
    feature = viewer.get(f"/features/{personas.search.pk}/launch-checks").json()
    product = viewer.get(f"/products/{personas.atlas.pk}/launch-checks").json()
    assert feature == product
    assert feature[0]["plan"]["id"] == plan.pk
    assert [c["verdict"] for c in feature[0]["metric"]["checks"]] == ["no_change"] * 3
    check = feature[0]["metric"]["checks"][0]
    assert check["test"] == "Welch's t-test"
    assert 0 < check["p_value"] <= 1
    assert viewer.get(f"/products/{personas.beacon.pk}/launch-checks").json() == []
    assert viewer.get("/launch-checks").json()[0]["plan"]["name"] == plan.name
    assert viewer.get("/features/999999/launch-checks").status_code == 404
    assert Api(None).get("/launch-checks").status_code == 401


def test_bad_input_is_a_clear_4xx(personas: Personas) -> None:
    plan = data.plan_for(personas.search, launched=False)
    api = Api(personas.member)
    path = f"/launch-plans/{plan.pk}/success-metrics"
    assert api.post(path, {"metric": "revenue"}).status_code == 422
    assert api.post(path, {"metric": "dau", "baseline_days": 2}).status_code == 422
    mixed = api.post(path, {"metric": "dau", "feature_id": personas.search.pk})
    assert mixed.status_code == 400
    assert "feature_id" in mixed.json()["fields"]
    assert api.post(path, {"metric": "dau", "nope": 1}).status_code == 422
    assert api.post("/launch-plans/999999/success-metrics", {"metric": "dau"}).status_code == 404
    not_launched = api.post(f"/launch-plans/{plan.pk}/checks/recompute", None)
    assert not_launched.status_code == 400
