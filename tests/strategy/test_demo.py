"""The strategy demo on the demo company (tiny event scale): its targets are aimed from the
data, and the refresh — not the loader — gives the mix the story needs: most outcomes on
track, some at risk, exactly one off track; a signed vision and check-ins with notes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.strategy.demo import demo_strategy_ensure
from quarterdeck.strategy.models import (
    CheckIn,
    KeyResult,
    KeyResultCheckIn,
    Outcome,
    SignOff,
    Vision,
)
from tests.strategy.demo_company import load_demo_company

pytestmark = pytest.mark.django_db


def test_the_demo_strategy_tells_its_story(settings: Any, tmp_path: Path) -> None:
    loaded = load_demo_company(settings, tmp_path)

    assert loaded is not None
    assert loaded.skipped == []  # every bound key result had data to aim from
    assert loaded.report is not None
    assert loaded.report.failed == 0
    statuses = Counter(Outcome.objects.values_list("status", flat=True))
    assert statuses["off_track"] == 1
    assert statuses["at_risk"] >= 2
    assert statuses["on_track"] > statuses["at_risk"]
    assert statuses["no_data"] == 0
    off = Outcome.objects.get(status="off_track")
    assert off.title == "Drivers trust DriverHub again"
    assert set(KeyResult.objects.values_list("source", flat=True)) == {
        "analytics", "survey", "revenue", "manual",
    }  # fmt: skip
    assert not KeyResult.objects.exclude(refresh_error="").exists()
    assert KeyResultCheckIn.objects.exclude(note="").count() >= 3
    assert CheckIn.objects.filter(outcome=off, health="off_track").exclude(note="").exists()
    # Lines and products align to the company outcomes of the quarter.
    assert not Outcome.objects.exclude(level="company").filter(parent__isnull=True).exists()
    assert len(set(Outcome.objects.values_list("period", flat=True))) == 1
    # One slow load (about half a minute) for both halves of the story.
    the_cpo_signed_the_current_vision_and_loading_twice_adds_nothing()


def the_cpo_signed_the_current_vision_and_loading_twice_adds_nothing() -> None:
    vision = Vision.objects.get(pk=1)
    assert vision.cpo is not None
    assert vision.cpo.name == "Adaeze Okonkwo"
    assert vision.cto is not None
    assert vision.cto.name == "Marcus Lindqvist"
    current = set(
        SignOff.objects.filter(vision_version=vision.version).values_list("role", flat=True)
    )
    assert current == {"cpo"}  # the CTO signed the draft, not the revision yet
    assert SignOff.objects.filter(role="cto").exists()
    before = (Outcome.objects.count(), KeyResult.objects.count(), SignOff.objects.count())

    assert demo_strategy_ensure() is None
    assert (Outcome.objects.count(), KeyResult.objects.count(), SignOff.objects.count()) == before
