"""The background warm-up computes every tracked product's default charts into the cache."""

from __future__ import annotations

import pytest

from quarterdeck.analytics.selectors import overview_queries
from quarterdeck.analytics.services import insight_run
from quarterdeck.analytics.tasks import overviews_warm, warm_overviews
from tests.analytics.conftest import Store

pytestmark = pytest.mark.django_db


def test_after_the_warm_up_every_overview_chart_answers_from_the_cache(store: Store) -> None:
    atlas, beacon = store.personas.atlas, store.personas.beacon
    queries = [q for product in (atlas, beacon) for _, q in overview_queries(product)]
    assert not any(insight_run(None, q).cached for q in queries[:1])  # cold before

    summary = overviews_warm()

    assert summary == {"charts": len(queries), "failed": 0}
    assert all(insight_run(None, q).cached for q in queries)


def test_the_task_runs_on_the_worker_backend(store: Store) -> None:
    result = warm_overviews.enqueue()  # the tests' immediate backend runs it at once
    assert result.return_value["failed"] == 0
    assert result.return_value["charts"] > 0
