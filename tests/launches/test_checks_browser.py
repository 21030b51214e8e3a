"""A viewer in Chromium: the post-launch checks card on a feature's page (badges, the chart
drawn under the CSP), then the launch's check page; both pass axe. Screenshots:
post_launch_card, post_launch_checks."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from quarterdeck.launches import checks_metrics
from tests.e2e.conftest import Session, _views_loaded, browser, e2e_personas, session  # noqa: F401
from tests.launches import checks_data as data
from tests.personas import Personas

pytestmark = pytest.mark.e2e

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def plan_id(e2e_personas: Personas) -> int:  # noqa: F811
    p = e2e_personas
    data.ratio(p.atlas, "feature_adoption_30d", (0, 400), (150, 400), p.search)
    data.daily_counts(p.atlas, "dau", 100, 104)
    plan = data.plan_for(p.search)
    for values in (
        {"metric": "feature_adoption_30d", "target": 0.3, "label": "30-day adoption"},
        {"metric": "dau", "target": 130, "label": "Daily Atlas users"},
    ):
        checks_metrics.metric_add(actor=None, plan_id=plan.pk, data=values)
    return plan.pk


def test_the_card_and_the_check_page(
    session: Session,  # noqa: F811
    e2e_personas: Personas,  # noqa: F811
    plan_id: int,
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page: Any = session.page
    session.login("vic@example.com")
    session.goto(f"/portfolio/features/{e2e_personas.search.pk}/")
    card = page.locator("#launch-checks")
    expect(card.locator(".lc-badge.lc-met").first).to_contain_text("met")
    expect(card.locator("[data-chart][data-state=drawn]")).to_have_count(2)
    card.scroll_into_view_if_needed()
    session.screenshot("post_launch_card")
    card.get_by_role("link", name="Atlas Search launch").click()
    page.wait_for_url(f"**/launches/checks/{plan_id}/")
    expect(page.locator("[data-chart][data-state=drawn]")).to_have_count(2)
    expect(page.get_by_text("Welch's t-test").first).to_be_visible()
    session.screenshot("post_launch_checks")
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
