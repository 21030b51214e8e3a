"""The links, themes, demand and loop API as the personas: who reads, who triages, who sends."""

from __future__ import annotations

from typing import Any

import pytest

from quarterdeck.feedback.models import FeedbackLink, Theme
from quarterdeck.portfolio.models import Feature, Stage
from tests.api.client import Api
from tests.feedback.insight_factory import item
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(personas: Personas) -> dict[str, Any]:
    it = item("Search by invoice number please", product=personas.atlas,
              submitter_name="Ann", submitter_email="ann@acme.test")  # fmt: skip
    suggestion = FeedbackLink.objects.create(item=it, feature=personas.search, score=0.6)
    theme = Theme.objects.create(name="Search", size=1)
    it.theme = theme
    it.save()
    return {"item": it, "link": suggestion, "theme": theme}


def test_viewer_reads_but_changes_nothing(
    personas: Personas, inbox: dict[str, Any], mailoutbox: list[Any]
) -> None:
    api = Api(personas.viewer)
    assert api.get("/demand/features").status_code == 200
    assert api.get("/demand/themes").status_code == 200
    assert api.get(f"/features/{personas.search.pk}/demand").status_code == 200
    assert api.get(f"/feedback/{inbox['item'].pk}/links").status_code == 200
    assert api.get("/themes").status_code == 200
    link, theme = inbox["link"], inbox["theme"]
    assert api.post(f"/feedback/links/{link.pk}/accept", {}).status_code == 403
    assert api.post(f"/feedback/links/{link.pk}/reject", {}).status_code == 403
    assert api.patch(f"/themes/{theme.pk}", {"name": "Mine"}, if_match=1).status_code == 403
    personas.search.stage = Stage.LAUNCH
    personas.search.save()
    assert api.post(f"/features/{personas.search.pk}/loop", {}).status_code == 403
    assert mailoutbox == []
    assert FeedbackLink.objects.get(pk=link.pk).state == "suggested"


def test_member_triages(personas: Personas, inbox: dict[str, Any]) -> None:
    api = Api(personas.member)
    link = inbox["link"]
    accepted = api.post(f"/feedback/links/{link.pk}/accept", {"importance": "critical"})
    assert accepted.status_code == 200
    assert accepted.json()["feature"] == {"id": personas.search.pk, "name": "Atlas Search"}
    theme = inbox["theme"]
    renamed = api.patch(f"/themes/{theme.pk}", {"name": "Finding invoices"}, if_match=1)
    assert renamed.status_code == 200
    assert renamed.headers["ETag"] == '"2"'
    stale = api.patch(f"/themes/{theme.pk}", {"name": "Again"}, if_match=1)
    assert stale.status_code == 412


def test_a_manager_of_another_line_cannot_send_for_a_feature_he_does_not_own(
    personas: Personas, inbox: dict[str, Any], mailoutbox: list[Any]
) -> None:
    FeedbackLink.objects.filter(pk=inbox["link"].pk).update(state="accepted")
    personas.search.stage = Stage.LAUNCH
    personas.search.save()
    gus = Api(personas.other_manager)
    assert gus.post(f"/features/{personas.search.pk}/loop", {}).status_code == 403
    assert mailoutbox == []
    beacon_feature = Feature.objects.create(
        name="Beacon alerts", product=personas.beacon, stage=Stage.LAUNCH
    )
    it = item("Alerts please", product=personas.beacon, submitter_email="b@x.test")
    FeedbackLink.objects.create(item=it, feature=beacon_feature, state="accepted")
    assert gus.post(f"/features/{beacon_feature.pk}/loop", {}).status_code == 201
    assert len(mailoutbox) == 1
    max_ = Api(personas.manager)  # Mia's manager owns her feature's line
    assert max_.post(f"/features/{personas.search.pk}/loop", {}).status_code == 201


def test_bad_input_is_a_clear_4xx(personas: Personas, inbox: dict[str, Any]) -> None:
    api = Api(personas.member)
    it = inbox["item"]
    assert api.post(f"/feedback/{it.pk}/links", {"feature_id": 10**6}).status_code == 404
    bad = api.post(
        f"/feedback/{it.pk}/links", {"feature_id": personas.search.pk, "importance": "urgent"}
    )
    assert bad.status_code == 422
    assert "importance" in str(bad.json()["fields"])
    assert api.get("/demand/features", format="xml").status_code == 422
    assert api.get("/themes/999999").status_code == 404
    blank = api.patch(f"/themes/{inbox['theme'].pk}", {"name": "   "}, if_match=1)
    assert blank.status_code == 400
    assert "name" in blank.json()["fields"]
    assert api.post("/themes/merge", {"theme_ids": [inbox["theme"].pk]}).status_code == 422
