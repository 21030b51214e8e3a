"""The /kpis/ page: latest values per refreshed product; a refresh button for leaders."""

from __future__ import annotations

from typing import Any

import pytest

from quarterdeck.kpis.models import KpiSnapshot
from tests.kpis.conftest import LAST, Store, Tracked, refresh

pytestmark = pytest.mark.django_db


def test_the_page_lists_refreshed_products(store: Store, tracked: Tracked, client_for: Any) -> None:
    refresh(today=LAST)
    page = client_for(tracked.personas.viewer).get("/kpis/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Atlas" in html
    assert "Beacon" in html
    mau = KpiSnapshot.objects.get(
        product=tracked.personas.atlas, feature=None, metric="mau", day=LAST
    )
    assert f">{mau.value:.0f}<" in html
    assert "Refresh now" not in html  # viewers do not refresh


def test_a_leader_refreshes_from_the_page(store: Store, tracked: Tracked, client_for: Any) -> None:
    client = client_for(tracked.personas.leader)
    assert "Refresh now" in client.get("/kpis/").content.decode()
    response = client.post("/kpis/refresh/", follow=True)
    assert response.status_code == 200
    assert "KPI refresh started" in response.content.decode()
