"""The demo's surveys tell its story, deterministically, and running the demo twice adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from quarterdeck.portfolio.models import Feature, Product, StageChange
from quarterdeck.surveys.demo import demo_surveys_ensure
from quarterdeck.surveys.metrics import nps
from quarterdeck.surveys.models import Response, Survey
from tests.personas import Personas

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 30)


def _scores(survey: str, start: dt.date, end: dt.date) -> list[int]:
    found = Response.objects.filter(
        survey__name=survey, answered_at__date__gte=start, answered_at__date__lt=end
    )
    return [s for s in found.values_list("score", flat=True) if s is not None]


@pytest.fixture
def harborline(personas: Personas) -> dt.date:
    """The demo's products, and the planner's launch on April 1st."""
    for name in ("RouteIQ", "DriverHub", "LoadBoard"):
        Product.objects.create(name=name, line=personas.platform)
    planner = Feature.objects.create(
        name="Drag-and-drop route planner", product=Product.objects.get(name="RouteIQ")
    )
    launch = dt.datetime(2025, 4, 1, 12, tzinfo=dt.UTC)
    StageChange.objects.create(
        item_type="feature", item_id=planner.pk, to_stage="launch", at=launch
    )
    return launch.date()


def test_the_story_and_idempotency(harborline: dt.date) -> None:
    added = demo_surveys_ensure(today=TODAY)
    assert added > 1500
    assert set(Survey.objects.values_list("name", flat=True)) == {
        "RouteIQ NPS", "DriverHub NPS", "LoadBoard NPS", "Support CSAT",
    }  # fmt: skip
    before = nps(_scores("RouteIQ NPS", harborline - dt.timedelta(days=60), harborline))
    after = nps(_scores("RouteIQ NPS", harborline + dt.timedelta(days=30), TODAY))
    assert before is not None
    assert after is not None
    assert after > before + 15

    outage_start = TODAY - dt.timedelta(days=182 - 62)  # day 62 of the window
    dip = nps(_scores("DriverHub NPS", outage_start, outage_start + dt.timedelta(days=30)))
    later = nps(_scores("DriverHub NPS", outage_start + dt.timedelta(days=45), TODAY))
    assert dip is not None
    assert later is not None
    assert dip < 0 < later

    assert demo_surveys_ensure(today=TODAY) == 0


def test_deterministic(harborline: dt.date) -> None:
    demo_surveys_ensure(today=TODAY)
    first = list(
        Response.objects.order_by("survey__name", "external_id").values_list("score", "comment")
    )
    Survey.objects.all().delete()
    demo_surveys_ensure(today=TODAY)
    again = list(
        Response.objects.order_by("survey__name", "external_id").values_list("score", "comment")
    )
    assert first == again
