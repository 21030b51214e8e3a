"""The board, timeline and saved-view pages, moves by form post and by fetch (HX-Request)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client

from quarterdeck.portfolio.models import Feature, Stage
from quarterdeck.roadmap import board
from quarterdeck.roadmap.models import Dependency, RoadmapEntry, RoadmapView
from tests.personas import Personas

ClientFor = Callable[[Any], Client]
HX = {"HX-Request": "true"}


def _place(p: Personas) -> tuple[Feature, Feature]:
    other = Feature.objects.create(product=p.beacon, name="Beacon Alerts", stage=Stage.BUILD)
    board.entry_place(actor=None, feature_id=p.search.pk, lane="later")
    board.entry_place(actor=None, feature_id=other.pk, lane="now")
    return p.search, other


def test_board_shows_lanes_and_controls_by_role(personas: Personas, client_for: ClientFor) -> None:
    search, other = _place(personas)
    Feature.objects.create(product=personas.atlas, name="Atlas Export", stage=Stage.IDEA)
    page = client_for(personas.member).get("/roadmap/").content.decode()
    assert "Atlas Search" in page
    assert "Beacon Alerts" in page
    assert f'action="/roadmap/items/{search.pk}/move/"' in page  # Mia may move her feature
    assert f'action="/roadmap/items/{other.pk}/move/"' not in page  # not Otto's
    assert "Atlas Export" in page
    assert "Not on the roadmap yet" in page
    viewer = client_for(personas.viewer).get("/roadmap/").content.decode()
    assert "Atlas Search" in viewer
    assert "/move/" not in viewer
    assert 'draggable="true"' not in viewer
    assert "Not on the roadmap yet" not in viewer


def test_filters_and_bad_filter(personas: Personas, client_for: ClientFor) -> None:
    _place(personas)
    client = client_for(personas.viewer)
    page = client.get("/roadmap/", {"product_id": personas.atlas.pk}).content.decode()
    assert "Atlas Search" in page
    assert "Beacon Alerts" not in page
    bad = client.get("/roadmap/", {"stages": "shipped"})
    assert bad.status_code == 400
    assert "shipped" in bad.content.decode()


def test_move_by_button_and_by_drop(personas: Personas, client_for: ClientFor) -> None:
    search, _ = _place(personas)
    client = client_for(personas.member)
    response = client.post(f"/roadmap/items/{search.pk}/move/", {"to": "next", "version": 1})
    assert response.status_code == 302
    assert RoadmapEntry.objects.get(feature=search).lane == "next"
    response = client.post(
        f"/roadmap/items/{search.pk}/move/",
        {"lane": "now", "before": "", "version": 2, "feature_id": search.pk},
        headers=HX,
    )
    assert response.status_code == 200
    assert 'id="board-lanes"' in response.content.decode()
    assert "<html" not in response.content.decode()  # only the lanes
    assert "is now in Now" in response.content.decode()
    assert RoadmapEntry.objects.get(feature=search).lane == "now"


def test_move_conflict_and_refusal(personas: Personas, client_for: ClientFor) -> None:
    search, other = _place(personas)
    client = client_for(personas.member)
    board.entry_place(actor=None, feature_id=search.pk, lane="next")  # someone else: version 2
    response = client.post(
        f"/roadmap/items/{search.pk}/move/", {"to": "now", "version": 1}, headers=HX
    )
    assert response.status_code == 412
    assert "changed by someone else" in response.content.decode()
    assert RoadmapEntry.objects.get(feature=search).lane == "next"
    refused = client.post(f"/roadmap/items/{other.pk}/move/", {"to": "next"}, headers=HX)
    assert refused.status_code == 403
    viewer = client_for(personas.viewer).post(f"/roadmap/items/{search.pk}/move/", {"to": "now"})
    assert viewer.status_code == 403
    assert RoadmapEntry.objects.get(feature=search).lane == "next"


def test_dependency_warning(personas: Personas, client_for: ClientFor) -> None:
    search, other = _place(personas)
    Dependency.objects.create(feature=other, needs=search)  # other (Now) needs search (Later)
    page = client_for(personas.viewer).get("/roadmap/").content.decode()
    assert "Needs “Atlas Search”, planned later (Later)." in page


def test_timeline_and_dates(personas: Personas, client_for: ClientFor) -> None:
    search, _other = _place(personas)
    client = client_for(personas.member)
    response = client.post(
        f"/roadmap/items/{search.pk}/dates/",
        {"start": "2027-01-01", "end": "2027-03-31", "version": 1, "next": "/roadmap/timeline/"},
    )
    assert response.status_code == 302
    entry = RoadmapEntry.objects.get(feature=search)
    assert (entry.start, entry.end) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    page = client.get("/roadmap/timeline/", {"grain": "month"}).content.decode()
    assert 'data-chart="roadmap-timeline"' in page
    assert "No dates yet" in page
    assert "Beacon Alerts" in page
    bad = {"start": "2027-05-01", "end": "2027-01-01", "next": "//evil.example/"}
    response = client.post(f"/roadmap/items/{search.pk}/dates/", bad)
    assert response["Location"] == "/roadmap/timeline/"
    assert RoadmapEntry.objects.get(feature=search).end == dt.date(2027, 3, 31)


def test_saved_view_visibility(personas: Personas, client_for: ClientFor) -> None:
    _place(personas)
    client = client_for(personas.member)
    response = client.post(
        "/roadmap/views/new/",
        {"name": "Atlas only", "layout": "board", "q": f"product_id={personas.atlas.pk}"},
    )
    view = RoadmapView.objects.get(name="Atlas only")
    assert response.status_code == 302
    assert view.filters == {"product_id": personas.atlas.pk}
    assert view.owner == personas.member
    page = client.get(f"/roadmap/views/{view.pk}/").content.decode()
    assert "Atlas Search" in page
    assert "Beacon Alerts" not in page
    assert client_for(personas.viewer).get(f"/roadmap/views/{view.pk}/").status_code == 404
    assert client_for(personas.admin).get(f"/roadmap/views/{view.pk}/").status_code == 200
    client.post(
        f"/roadmap/views/{view.pk}/edit/",
        {"name": "Atlas only", "layout": "board", "shared": "on", "version": 1},
    )
    assert client_for(personas.viewer).get(f"/roadmap/views/{view.pk}/").status_code == 200
    assert client_for(personas.viewer).get(f"/roadmap/views/{view.pk}/edit/").status_code == 403
    listing = client_for(personas.viewer).get("/roadmap/views/").content.decode()
    assert "Atlas only" in listing


def test_view_edit_conflict(personas: Personas, client_for: ClientFor) -> None:
    view = board.view_create(actor=personas.member, data={"name": "Mine"})
    board.view_update(actor=None, view_id=view.pk, data={"name": "Renamed"}, expected_version=1)
    response = client_for(personas.member).post(
        f"/roadmap/views/{view.pk}/edit/", {"name": "Mine 2", "layout": "board", "version": 1}
    )
    assert response.status_code == 412
    assert "Someone else changed this" in response.content.decode()
