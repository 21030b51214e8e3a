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
