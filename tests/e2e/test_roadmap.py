"""A product leader plans on the roadmap board in Chromium: drags a card from Later to Now with
the mouse (it stays there after a reload), moves another with the keyboard alone (Alt+arrows on
the focused card; focus stays on the card), then the timeline draws its chart; axe on every
roadmap page, the public share page included. Screenshots: roadmap-board, roadmap-timeline
(copied to docs/screenshots/)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from quarterdeck.portfolio.models import Feature, Stage
from quarterdeck.roadmap import board
from quarterdeck.roadmap.models import Dependency, RoadmapEntry
from tests.e2e.conftest import Session
from tests.personas import Personas

pytestmark = pytest.mark.e2e
README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
DRAWN = ".chart[data-state='drawn'] svg"
# (product, name, stage, lane, quarter offset or None)
PLAN = [
    ("atlas", "Atlas Index", Stage.BUILD, "now", 0),
    ("atlas", "Saved searches", Stage.BUILD, "now", 0),
    ("beacon", "Alert digests", Stage.BUILD, "now", 0),
    ("atlas", "Search analytics", Stage.DISCOVERY, "next", 1),
    ("beacon", "On-call rotations", Stage.DISCOVERY, "next", 1),
    ("beacon", "Status page", Stage.IDEA, "later", None),
    ("atlas", "Natural-language search", Stage.IDEA, "later", None),
]


def _quarter(offset: int) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    first_month = 3 * ((today.month - 1) // 3) + 1 + 3 * offset
    year, month = today.year + (first_month - 1) // 12, (first_month - 1) % 12 + 1
    start = dt.date(year, month, 1)
    end_month = month + 3
    end = dt.date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


@pytest.fixture
def roadmap(e2e_personas: Personas) -> dict[str, Feature]:
    p = e2e_personas
    products = {"atlas": p.atlas, "beacon": p.beacon}
    made: dict[str, Feature] = {}
    for product, name, stage, lane, offset in PLAN:
        feature = Feature.objects.create(product=products[product], name=name, stage=stage)
        dates = _quarter(offset) if offset is not None else (None, None)
        board.entry_place(
            actor=None, feature_id=feature.pk, lane=lane, start=dates[0], end=dates[1]
        )
        made[name] = feature
    board.entry_place(actor=None, feature_id=p.search.pk, lane="later")
    Dependency.objects.create(feature=made["Search analytics"], needs=made["Atlas Index"])
    Dependency.objects.create(feature=made["Saved searches"], needs=p.search)  # a warning
    Feature.objects.create(product=p.atlas, name="Typo tolerance", stage=Stage.IDEA)  # unplaced
    return made


def _lane_of(feature: Feature) -> str:
    return RoadmapEntry.objects.get(feature=feature).lane


def test_drag_and_keyboard_moves(
    session: Session, roadmap: dict[str, Feature], e2e_personas: Personas
) -> None:
    page, search = session.page, e2e_personas.search
    session.login(e2e_personas.leader.email)
    session.goto("/roadmap/")
    card = page.locator(f"#card-{search.pk}")
    assert card.get_attribute("data-lane") == "later"
    target = page.locator('.rm-cards[data-lane="now"] .rm-card').first
    card.drag_to(target)
    page.locator(f'.rm-cards[data-lane="now"] #card-{search.pk}').wait_for()
    assert _lane_of(search) == "now"
    assert RoadmapEntry.objects.get(feature=search).position == 0
    page.reload()
    assert page.locator(f'.rm-cards[data-lane="now"] #card-{search.pk}').count() == 1
    # The warning on "Saved searches" is gone now that what it needs is in Now too.
    assert "Needs “Atlas Search”" not in page.locator("#board-lanes").inner_text()

    other = roadmap["On-call rotations"]
    page.locator(f"#card-{other.pk}").focus()
    page.keyboard.press("Alt+ArrowLeft")
    page.locator(f'.rm-cards[data-lane="now"] #card-{other.pk}').wait_for()
    assert _lane_of(other) == "now"
    focused = page.evaluate("document.activeElement.id")
    assert focused == f"card-{other.pk}"
    page.keyboard.press("Alt+ArrowUp")
    page.wait_for_function(  # the answer to Alt+Up: fourth of five, focus kept on the card
        "() => document.querySelector('#board-lanes .rm-note').textContent.includes('position 4')"
        f" && document.activeElement.id === 'card-{other.pk}'"
    )
    shot = session.screenshot("roadmap-board")
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, README_SHOTS / "roadmap-board.png")
    assert RoadmapEntry.objects.get(feature=other).position == 3


def test_viewer_reads_without_controls(
    session: Session, roadmap: dict[str, Feature], e2e_personas: Personas
) -> None:
    session.login(e2e_personas.viewer.email)
    session.goto("/roadmap/")
    assert session.page.locator(".rm-card").count() == len(PLAN) + 1
    assert session.page.locator(".rm-card[draggable='true'], form.rm-moves").count() == 0


def test_timeline_and_axe(
    session: Session, roadmap: dict[str, Feature], e2e_personas: Personas
) -> None:
    p = e2e_personas
    view = board.view_create(actor=p.leader, data={"name": "Portfolio roadmap", "shared": True})
    _, token = board.link_create(actor=p.leader, view_id=view.pk)
    session.login(p.leader.email)
    session.goto("/roadmap/timeline/?grain=month")
    session.page.locator(DRAWN).first.wait_for(timeout=30_000)
    shot = session.screenshot("roadmap-timeline")
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, README_SHOTS / "roadmap-timeline.png")
    pages = [
        "/roadmap/",
        "/roadmap/timeline/",
        "/roadmap/views/",
        f"/roadmap/views/{view.pk}/",
        f"/roadmap/views/{view.pk}/edit/",
        f"/roadmap/views/{view.pk}/links/",
        f"/share/{token}/",
    ]
    found: dict[str, Any] = {}
    for path in pages:
        session.goto(path)
        if "timeline" in path:
            session.page.locator(DRAWN).first.wait_for(timeout=30_000)
        results = Axe().run(session.page, options=WCAG)
        if results.violations_count:
            found[path] = results.generate_report()
    assert not found, "\n\n".join(f"{path}:\n{report}" for path, report in found.items())
