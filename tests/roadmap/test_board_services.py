"""board.entry_place and friends, as PLANNING and the demo call them (actor None = system)."""

from __future__ import annotations

import datetime as dt

import pytest

from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.portfolio.models import Feature
from quarterdeck.roadmap import board
from quarterdeck.roadmap.models import RoadmapEntry
from tests.personas import Personas


def _features(p: Personas, n: int) -> list[Feature]:
    return [Feature.objects.create(product=p.atlas, name=f"F{i}") for i in range(n)]


def _order(lane: str) -> list[str]:
    return [e.feature.name for e in RoadmapEntry.objects.filter(lane=lane).order_by("position")]


def test_place_appends_inserts_and_moves(personas: Personas) -> None:
    a, b, c = _features(personas, 3)
    for f in (a, b, c):
        board.entry_place(actor=None, feature_id=f.pk, lane="next")
    assert _order("next") == ["F0", "F1", "F2"]
    board.entry_place(actor=personas.leader, feature_id=c.pk, lane="next", position=0)
    assert _order("next") == ["F2", "F0", "F1"]
    entry = board.entry_place(actor=personas.member, feature_id=a.pk, lane="now")
    assert (entry.lane, entry.position, entry.version) == ("now", 0, 2)
    assert _order("next") == ["F2", "F1"]
    assert [e.position for e in RoadmapEntry.objects.filter(lane="next")] == [0, 1]


def test_dates_kept_unless_given_and_checked(personas: Personas) -> None:
    (f,) = _features(personas, 1)
    start, end = dt.date(2027, 1, 1), dt.date(2027, 3, 31)
    board.entry_place(actor=None, feature_id=f.pk, lane="next", start=start, end=end)
    entry = board.entry_place(actor=None, feature_id=f.pk, lane="now")
    assert (entry.start, entry.end) == (start, end)
    with pytest.raises(InvalidInput) as error:
        board.entry_place(actor=None, feature_id=f.pk, lane="now", start=end, end=start)
    assert "end" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        board.entry_place(actor=None, feature_id=f.pk, lane="soon")
    assert "lane" in error.value.fields


def test_version_and_permission(personas: Personas) -> None:
    entry = board.entry_place(actor=None, feature_id=personas.search.pk, lane="later")
    board.entry_place(actor=None, feature_id=personas.search.pk, lane="now")
    with pytest.raises(VersionConflict):
        board.entry_place(
            actor=personas.member, feature_id=personas.search.pk, lane="next",
            expected_version=entry.version,
        )  # fmt: skip
    for user in (personas.viewer, personas.outsider, personas.contributor):
        with pytest.raises(NotAllowed):
            board.entry_place(actor=user, feature_id=personas.search.pk, lane="next")
