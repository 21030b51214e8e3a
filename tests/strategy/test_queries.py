"""Lists of outcomes cost a fixed number of queries, however many outcomes and check-ins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _queries(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def _add(api: Api, n: int) -> None:
    for i in range(n):
        body = {"title": f"Outcome {i}", "level": "company", "period": "2026-Q4"}
        outcome = api.post("/outcomes", body).json()
        for health in ("on_track", "at_risk"):
            api.post(f"/outcomes/{outcome['id']}/check-ins", {"health": health, "note": "n"})


def test_listing_outcomes_does_not_query_per_outcome(personas: Personas) -> None:
    api = Api(personas.leader)
    _add(api, 2)
    few = _queries(lambda: api.get("/outcomes"))
    _add(api, 6)
    many = _queries(lambda: api.get("/outcomes"))
    assert many == few
    latest = {
        o["title"]: o["latest_check_in"]["health"] for o in api.get("/outcomes").json()["items"]
    }
    assert set(latest.values()) == {"at_risk"}
