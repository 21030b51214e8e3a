"""The revenue page in Chromium: both charts draw under the Content-Security-Policy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Session, _views_loaded, browser, e2e_personas, session  # noqa: F401
from tests.personas import Personas
from tests.revenue.conftest import V7_CSV, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_revenue_page_draws_its_charts(session: Session, e2e_personas: Personas) -> None:  # noqa: F811
    upload(e2e_personas.admin, V7_CSV)
    session.login(e2e_personas.member.email)
    session.goto("/revenue/?from=2023-10-01&to=2024-03-31")
    page: Any = session.page
    for chart in ("mrr-spec", "moves-spec"):
        page.wait_for_selector(f'[data-chart="{chart}"][data-state="drawn"]')
    assert page.locator('[data-chart="moves-spec"] svg').count() == 1
    session.screenshot("revenue")
