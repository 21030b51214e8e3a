"""Tracking definitions over the API: which events are a product's, what counts as using a
feature. Versions, validation, permissions (the full matrix is in test_permission_matrix)."""

from __future__ import annotations

import pytest

from quarterdeck.audit.models import AuditEntry
from quarterdeck.metrics.models import FeatureUsage, Source
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_a_feature_usage_is_created_read_changed_and_removed(personas: Personas) -> None:
    api, path = Api(personas.member), f"/features/{personas.search.pk}/usage"
    assert api.get(path).json() == {
        "feature_id": personas.search.pk,
        "defined": False,
        "event": "",
        "conditions": [],
        "version": 0,
    }
    body = {"event": "Searched", "conditions": [{"key": "scope", "op": "in", "value": ["all"]}]}
    created = api.put(path, body)
    assert created.status_code == 200, created.content
    assert created.headers["ETag"] == '"1"'
    assert created.json()["conditions"] == [
        {"key": "scope", "op": "in", "value": ["all"], "on": "properties"}
    ]

    assert api.put(path, {"event": "Search Run"}).status_code == 428  # it exists now
    assert api.put(path, {"event": "Search Run"}, if_match=7).status_code == 412
    changed = api.put(path, {"event": "Search Run"}, if_match=1)
    assert changed.json()["event"] == "Search Run"
    assert changed.json()["version"] == 2
    assert AuditEntry.objects.filter(object_type="featureusage").count() == 2

    assert api.delete(path, if_match=2).status_code == 204
    assert api.get(path).json()["defined"] is False
    assert not FeatureUsage.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event": "", "conditions": []}, "event"),
        ({"event": "X", "conditions": [{"key": "n", "op": "gt", "value": "many"}]}, "conditions"),
        ({"event": "X", "conditions": [{"key": "a'b", "value": "v"}]}, "conditions"),
        ({"event": "X", "conditions": [{"key": "plan", "op": "like", "value": "v"}]}, "op"),
        ({"event": "X", "conditions": [{"key": "plan", "op": "in", "value": "pro"}]}, "conditions"),
        ({"event": "X", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_definition_is_refused_naming_the_field(
    personas: Personas, body: dict[str, object], field: str
) -> None:
    response = Api(personas.member).put(f"/features/{personas.search.pk}/usage", body)
    # 400 from the service's checks, 422 from the schema's: both name the field.
    assert response.status_code in (400, 422), response.content
    assert field in response.content.decode()
    assert not FeatureUsage.objects.exists()


def test_the_product_tracking_shows_its_sources_and_keeps_conditions(personas: Personas) -> None:
    source = Source.objects.create(name="Atlas web", write_key="qdw_atlas")
    source.products.add(personas.atlas)
    api, path = Api(personas.member), f"/products/{personas.atlas.pk}/tracking"
    read = api.get(path).json()
    assert read["tracked"] is True
    assert read["sources"] == [{"id": source.pk, "name": "Atlas web", "is_active": True}]
    saved = api.put(path, {"conditions": [{"key": "app", "value": "atlas"}]})
    assert saved.json()["conditions"] == [
        {"key": "app", "op": "eq", "value": "atlas", "on": "properties"}
    ]


def test_an_untracked_product_says_so(personas: Personas) -> None:
    read = Api(personas.viewer).get(f"/products/{personas.atlas.pk}/tracking").json()
    assert read == {
        "product_id": personas.atlas.pk,
        "tracked": False,
        "sources": [],
        "conditions": [],
        "version": 0,
    }


def test_only_who_may_change_the_feature_may_define_its_usage(personas: Personas) -> None:
    path = f"/features/{personas.search.pk}/usage"
    assert Api(personas.outsider).put(path, {"event": "Searched"}).status_code == 403
    assert Api(personas.viewer).put(path, {"event": "Searched"}).status_code == 403
    assert not FeatureUsage.objects.exists()
