"""Basic accessibility: axe-core (the engine browsers' own audits use) finds no WCAG 2.1 A/AA
violation on the main pages — labels, contrast, landmarks, names of links and buttons."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from quarterdeck.metrics.services import source_create
from tests.e2e.conftest import Session
from tests.personas import Personas

pytestmark = pytest.mark.e2e
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page: Any) -> str:
    results = Axe().run(page, options=WCAG)
    return results.generate_report() if results.violations_count else ""


def test_sign_in_page(session: Session, e2e_personas: Personas) -> None:
    session.goto("/login/")
    assert _violations(session.page) == ""


def test_main_pages_as_a_leader(session: Session, e2e_personas: Personas) -> None:
    p = e2e_personas
    source = source_create(
        actor=p.leader, data={"name": "Atlas web app", "product_ids": [p.atlas.pk]}
    )
    session.login(p.leader.email)
    pages = [
        "/",
        "/portfolio/",
        f"/portfolio/lines/{p.platform.pk}/",
        f"/portfolio/products/{p.atlas.pk}/",
        f"/portfolio/products/{p.atlas.pk}/edit/",
        f"/portfolio/features/{p.search.pk}/",
        "/portfolio/products/new/",
        "/people/",
        "/people/org-chart/",
        f"/people/{p.people['mia'].pk}/",
        f"/people/{p.people['mia'].pk}/edit/",
        "/teams/",
        f"/teams/{p.team.pk}/",
        "/account/",
        "/transfer/",
        "/sources/",
        "/sources/new/",
        f"/sources/{source.pk}/",
        f"/sources/{source.pk}/edit/",
    ]
    found = {}
    for path in pages:
        session.goto(path)
        if report := _violations(session.page):
            found[path] = report
    assert not found, "\n\n".join(f"{path}:\n{report}" for path, report in found.items())


def test_admin_pages(session: Session, e2e_personas: Personas) -> None:
    session.login(e2e_personas.admin.email)
    found = {}
    for path in ("/admin-tools/audit/", "/admin-tools/users/"):
        session.goto(path)
        if report := _violations(session.page):
            found[path] = report
    assert not found, "\n\n".join(f"{path}:\n{report}" for path, report in found.items())


def test_analytics_pages(
    session: Session, e2e_personas: Personas, settings: Any, tmp_path: Any
) -> None:
    """With their charts drawn: the product page, a chart's open table, the builder."""
    import datetime as dt

    from quarterdeck.analytics.services import insight_create
    from tests.analytics.pages_data import track_atlas

    p = e2e_personas
    settings.EVENTS_DIR = tmp_path / "events"
    track_atlas(p, settings.EVENTS_DIR, dt.datetime.now(dt.UTC).date())
    query = {"kind": "retention", "product_id": p.atlas.pk, "last_days": 60, "grain": "week"}
    insight = insight_create(p.member, {"name": "Weekly", "query": query, "pinned": True})
    session.login(p.member.email)
    drawn = session.page.locator(".chart[data-state='drawn'] svg")
    found = {}
    for path, charts in (
        ("/analytics/", 0),
        (f"/analytics/products/{p.atlas.pk}/", 6),
        (f"/analytics/insights/{insight.pk}/", 1),
        ("/analytics/insights/new/", 1),
        (f"/analytics/insights/{insight.pk}/delete/", 0),
    ):
        session.goto(path)
        if charts:
            drawn.nth(charts - 1).wait_for(timeout=30_000)
            session.page.locator("details.chart-table > summary").first.click()
        if report := _violations(session.page):
            found[path] = report
    assert not found, "\n\n".join(f"{path}:\n{report}" for path, report in found.items())
