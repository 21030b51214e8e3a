"""The scoring demo on the loaded demo company: defaults, scores, history, rounds; idempotent."""

from __future__ import annotations

import pytest
from django.test import Client

from quarterdeck.accounts.models import User
from quarterdeck.demo.services import demo_load
from quarterdeck.portfolio.models import Feature
from quarterdeck.roadmap import scoring_selectors as sel
from quarterdeck.roadmap.demo_scoring import demo_scoring_ensure
from quarterdeck.roadmap.models import RoundState, Score, ScoreChange, ScoringModel, ScoringRound
from quarterdeck.roadmap.scoring_matrix import QUADRANTS, matrix

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (Score.objects.count(), ScoreChange.objects.count(), ScoringRound.objects.count(),
            ScoringModel.objects.count())  # fmt: skip


def test_demo_scoring_tells_the_story_and_runs_twice_without_adding() -> None:
    demo_load()
    summary = demo_scoring_ensure()
    assert summary.startswith("Scoring: 3 line defaults")
    planned = Feature.objects.filter(stage__in=["idea", "discovery", "build"])
    defaults = sel.current_scores(feature_ids=list(planned.values_list("pk", flat=True)))
    assert set(defaults) == set(planned.values_list("pk", flat=True)), "every one scored"
    spot = Feature.objects.get(name="Instant spot quotes")
    assert sel.default_model_for(spot) == ScoringModel.objects.get(name="RICE")
    demand = ScoringModel.objects.get(name="Demand-weighted RICE")
    assert "demand" in demand.formula
    assert Score.objects.filter(scoring_model=demand, value__isnull=False).count() >= 15
    reasons = ScoreChange.objects.exclude(reason="").exclude(source="round")
    assert reasons.filter(actor__isnull=False).count() >= 4
    revealed = ScoringRound.objects.get(state=RoundState.REVEALED)
    assert revealed.ballots.count() == 3
    assert ScoringRound.objects.get(state=RoundState.OPEN).ballots.count() == 1
    leader = User.objects.get(email="dana.reyes@harborline.example")
    rice = ScoringModel.objects.get(name="RICE")
    found = matrix(leader, rice, sel.ScoreFilters())
    assert len(found.points) >= 15
    assert {p.quadrant for p in found.points} == set(QUADRANTS.values())
    client = Client()
    client.force_login(leader)
    for path in ("/roadmap/scores/", "/roadmap/matrix/", f"/roadmap/rounds/{revealed.pk}/",
                 f"/roadmap/scores/{spot.pk}/", "/roadmap/models/"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    before = counts()
    assert (
        demo_scoring_ensure() == "Scoring: 0 line defaults, 0 scores, 0 re-scores with "
        "reasons, 0 scoring rounds."
    )
    assert counts() == before
