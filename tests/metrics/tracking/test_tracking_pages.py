"""The Tracking card of product / feature pages and the forms behind it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from quarterdeck.metrics.models import FeatureUsage, ProductTracking, Source
from tests.personas import Personas

pytestmark = pytest.mark.django_db
ClientFor = Callable[[Any], Any]


def test_the_feature_page_shows_its_usage_and_the_change_link(
    personas: Personas, client_for: ClientFor
) -> None:
    FeatureUsage.objects.create(
        feature=personas.search,
        event="Searched",
        conditions=[{"key": "hits", "op": "gt", "value": 0}],
    )
    page = client_for(personas.member).get(f"/portfolio/features/{personas.search.pk}/")
    html = page.content.decode()
    assert "Counts as using it" in html
    assert "hits &gt; 0" in html
    assert f"/portfolio/features/{personas.search.pk}/usage/" in html
    viewer = client_for(personas.viewer).get(f"/portfolio/features/{personas.search.pk}/")
    assert f"/portfolio/features/{personas.search.pk}/usage/" not in viewer.content.decode()


def test_an_untracked_product_says_how_to_track_it(
    personas: Personas, client_for: ClientFor
) -> None:
    html = client_for(personas.viewer).get(f"/portfolio/products/{personas.atlas.pk}/")
    assert "give it an event source or a property condition" in html.content.decode()


def test_usage_is_typed_as_text_and_saved(personas: Personas, client_for: ClientFor) -> None:
    url = f"/portfolio/features/{personas.search.pk}/usage/"
    client = client_for(personas.member)
    assert client.get(url).status_code == 200
    text = "hits > 0\nscope in all, mine"
    saved = client.post(url, {"event": "Searched", "conditions": text, "version": "0"})
    assert saved.status_code == 302
    usage = FeatureUsage.objects.get(feature=personas.search)
    assert usage.conditions == [
        {"key": "hits", "op": "gt", "value": 0},
        {"key": "scope", "op": "in", "value": ["all", "mine"]},
    ]


def test_a_bad_line_is_shown_next_to_the_field_and_nothing_saved(
    personas: Personas, client_for: ClientFor
) -> None:
    url = f"/portfolio/features/{personas.search.pk}/usage/"
    response = client_for(personas.member).post(
        url, {"event": "Searched", "conditions": "hits > lots", "version": "0"}
    )
    assert response.status_code == 400
    assert (
        "Line 1 (“hits &gt; lots”): &#x27;lots&#x27; is not a number" in response.content.decode()
    )
    assert not FeatureUsage.objects.exists()


def test_a_conflict_keeps_what_was_typed(personas: Personas, client_for: ClientFor) -> None:
    FeatureUsage.objects.create(feature=personas.search, event="Searched", version=3)
    url = f"/portfolio/features/{personas.search.pk}/usage/"
    response = client_for(personas.member).post(
        url, {"event": "Search Run", "conditions": "", "version": "2"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Somebody changed this definition" in html
    assert 'value="Search Run"' in html
    assert 'name="version" value="3"' in html
    assert FeatureUsage.objects.get().event == "Searched"


def test_stop_measuring_removes_the_definition(personas: Personas, client_for: ClientFor) -> None:
    FeatureUsage.objects.create(feature=personas.search, event="Searched")
    url = f"/portfolio/features/{personas.search.pk}/usage/"
    response = client_for(personas.member).post(
        url, {"action": "clear", "event": "", "conditions": "", "version": "1"}
    )
    assert response.status_code == 302
    assert not FeatureUsage.objects.exists()


def test_product_conditions_are_saved_and_sources_listed(
    personas: Personas, client_for: ClientFor
) -> None:
    Source.objects.create(name="Atlas web", write_key="qdw_x").products.add(personas.atlas)
    url = f"/portfolio/products/{personas.atlas.pk}/tracking/"
    client = client_for(personas.member)
    assert "Atlas web" in client.get(url).content.decode()
    response = client.post(url, {"conditions": "traits.plan != internal", "version": "0"})
    assert response.status_code == 302
    assert ProductTracking.objects.get().conditions == [
        {"key": "plan", "op": "neq", "value": "internal", "on": "traits"}
    ]
