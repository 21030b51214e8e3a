"""A PM in Chromium: a product's analytics page draws its five charts as SVG (lazily, through
htmx) without one Content-Security-Policy violation or script error; a chart's table opens;
an insight is built with the live preview and saved. The screenshots double as the README's."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.analytics.models import SavedInsight
from tests.analytics.pages_data import track_atlas
from tests.e2e.conftest import Session
from tests.personas import Personas

pytestmark = pytest.mark.e2e
README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DRAWN = ".chart[data-state='drawn'] svg"


@pytest.fixture
def atlas_events(e2e_personas: Personas, settings: Any, tmp_path: Path) -> Personas:
    settings.EVENTS_DIR = tmp_path / "events"
    track_atlas(e2e_personas, settings.EVENTS_DIR, dt.datetime.now(dt.UTC).date())
    return e2e_personas


def _no_console_errors(session: Session) -> None:
    problems = [t for t in session.console if "error" in t.lower() or "Content Security" in t]
    assert problems == [], problems


def test_product_page_draws_every_chart(session: Session, atlas_events: Personas) -> None:
    p, page = atlas_events, session.page
    session.login(p.member.email)
    session.goto(f"/analytics/products/{p.atlas.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Atlas"
    page.locator(DRAWN).nth(4).wait_for(timeout=30_000)  # the CSP forbids wait_for_function
    assert page.locator(DRAWN).count() == 5
    titles = page.locator(".chart-card h2").all_inner_texts()
    assert titles == [
        "Active users",
        "Adoption by feature",
        "Weekly retention",
        "Funnel",
        "Weekly lifecycle",
    ]
    shot = session.screenshot("analytics-product")

    adoption = page.locator(".chart-card", has=page.get_by_role("heading", name="Adoption"))
    table = adoption.get_by_role("table")
    assert not table.is_visible()
    adoption.locator("summary", has_text="Table").click()
    assert table.is_visible()
    assert "Atlas Search" in table.inner_text()
    session.screenshot("analytics-product-table")
    _no_console_errors(session)
    assert shot.exists()


def test_build_and_save_a_funnel(session: Session, atlas_events: Personas) -> None:
    p, page = atlas_events, session.page
    session.login(p.member.email)
    session.goto(f"/analytics/insights/new/?product_id={p.atlas.pk}")
    page.get_by_label("Insight", exact=True).select_option("funnel")
    page.get_by_label("Atlas Search").check()
    page.get_by_label("Atlas Maps").check()
    page.get_by_label("Date range").select_option("90")
    preview = page.locator("#preview")
    # The preview follows the form (debounced): wait for the funnel over 90 days to be drawn.
    caption = preview.locator(".chart-caption", has_text=re.compile(r"each step.*90 days"))
    caption.wait_for()
    preview.locator(DRAWN).wait_for()
    preview.locator("summary", has_text="Table").click()
    assert "Atlas Maps" in preview.get_by_role("table").inner_text()

    page.get_by_label("Name").fill("Search to maps")
    page.evaluate("window.scrollTo(0, 0)")  # the preview is sticky: show it beside the form
    session.screenshot("analytics-builder")
    page.get_by_label("Name").press("Enter")  # Enter saves
    page.wait_for_url(re.compile(r"/analytics/insights/\d+/$"))
    assert "Saved “Search to maps”" in page.locator(".messages").inner_text()
    saved = SavedInsight.objects.get(name="Search to maps")
    assert saved.kind == "funnel"
    assert saved.query["features"] == [_maps_id(), p.search.pk]  # steps in the listed order
    page.locator(f"#preview {DRAWN}").wait_for()
    _no_console_errors(session)

    session.goto("/analytics/")
    mine = page.get_by_role("region", name="Your saved insights")
    assert mine.get_by_role("link", name="Search to maps").is_visible()
    session.screenshot("analytics-index")


def _maps_id() -> int:
    from quarterdeck.portfolio.models import Feature

    return Feature.objects.get(name="Atlas Maps").pk


def test_demo_head_of_product_reads_routeiq(
    session: Session, transactional_db: None, settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """The demo company (a tenth of its events): RouteIQ's page with a funnel pinned to it, as
    its Head of Product sees it. The screenshot is the README's."""
    from django.utils import timezone

    from quarterdeck.analytics.services import insight_create
    from quarterdeck.demo.company import DEMO_PASSWORD, LOGINS
    from quarterdeck.demo.events import SCALE_VARIABLE, demo_events_ensure
    from quarterdeck.demo.services import demo_load
    from quarterdeck.demo.tracking import demo_tracking_ensure
    from quarterdeck.portfolio.models import Feature, Product

    monkeypatch.setenv(SCALE_VARIABLE, "0.1")
    settings.EVENTS_DIR = tmp_path / "events"
    demo_load()
    demo_events_ensure(settings.EVENTS_DIR, now=timezone.now(), source_ids=demo_tracking_ensure())
    routeiq = Product.objects.get(name="RouteIQ")
    steps = ["Drag-and-drop route planner", "Dynamic re-routing", "Multi-stop time windows"]
    features = [Feature.objects.get(product=routeiq, name=name).pk for name in steps]
    query = {"kind": "funnel", "product_id": routeiq.pk, "features": features, "last_days": 30}
    leader = next(login for login in LOGINS if login.role == "leader")
    insight_create(None, {"name": "Plan, re-route, time windows", "query": query, "pinned": True})

    session.login(leader.email, DEMO_PASSWORD)
    session.goto("/analytics/")
    products = session.page.get_by_role("region", name="Tracked products")
    products.get_by_role("link", name="RouteIQ", exact=True).click()
    session.page.locator(DRAWN).nth(4).wait_for(timeout=60_000)
    assert session.page.locator(".chart-empty").count() == 0  # every chart has something
    shot = session.screenshot("analytics-demo-routeiq")
    _no_console_errors(session)
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, README_SHOTS / "analytics.png")
