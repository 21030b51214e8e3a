"""A product manager triages the feedback inbox in Chromium with the keyboard alone: j/k move
the selection, `a` accepts the model's suggestion, `3`/`2` set the link's importance, `m`
merges the flagged duplicate, `?` lists the keys; focus stays on the row throughout. Then the
themes page with its chart, and axe on every feedback page. Screenshots: feedback-inbox and
feedback-themes (copied to docs/screenshots/ for the README)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from quarterdeck.feedback import services
from quarterdeck.feedback.links import link_accept
from quarterdeck.feedback.models import DuplicateCandidate, FeedbackItem, FeedbackLink, LinkState
from quarterdeck.feedback.portal import portal_save
from quarterdeck.feedback.themes import themes_recluster
from quarterdeck.portfolio.models import Feature, Stage
from tests.e2e.conftest import Session
from tests.personas import Personas

pytestmark = pytest.mark.e2e
README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
DRAWN = ".chart[data-state='drawn'] svg"

# (text, account name, segment, days ago) — oldest first; three topics the themes should find.
TEXTS = [
    ("Search can't find invoices by their number, we have to scroll for ages.", "Acme", "Enterprise", 30),  # noqa: E501
    ("Please let search match customer names even with a typo.", "Globex", "Mid-market", 26),
    ("Exporting the report to Excel loses the date columns.", "Initech", "SMB", 22),
    ("We need offline maps for drivers in areas without signal.", "Umbrella", "Enterprise", 20),
    ("The CSV export should include the custom fields too.", "Acme", "Enterprise", 18),
    ("Maps are great but they don't load offline on the road.", "Hooli", "Mid-market", 15),
    ("Searching by order number returns nothing at all.", "Stark", "Enterprise", 12),
    ("Download maps before a trip so they work without a connection.", "Wayne", "Enterprise", 9),
    ("Excel export is missing totals at the bottom.", "Globex", "Mid-market", 6),
    ("Search cannot find invoices by their number, we have to scroll for ages!", "Acme", "Enterprise", 2),  # noqa: E501
]  # fmt: skip


def _feature(p: Personas, name: str, description: str) -> Feature:
    return Feature.objects.create(
        name=name, product=p.atlas, owner=p.people["mia"], stage=Stage.BUILD,
        description=description,
    )  # fmt: skip


@pytest.fixture
def inbox(e2e_personas: Personas) -> dict[str, Any]:
    p = e2e_personas
    p.search.description = "Find invoices, orders and customers by number or name."
    p.search.save()
    _feature(p, "Offline maps", "Download maps to use them without a network connection.")
    _feature(p, "Excel export", "Export reports and tables to Excel and CSV files.")
    made = []
    for text, account, segment, days in TEXTS:
        received = timezone.now() - dt.timedelta(days=days)
        data = {"text": text, "product_id": p.atlas.pk, "account": account.lower(),
                "account_name": account, "segment": segment, "received_at": received,
                "source": "support", "submitter_email": f"{account.lower()}@customer.test"}  # fmt: skip  # noqa: E501
        made.append(services.feedback_create(actor=p.member, data=data))
    themes_recluster(actor=p.leader)
    portal_save(actor=p.manager, line=p.platform, data={"slug": "platform", "visibility": "public"})
    return {"newest": made[-1], "second": made[-2], "original": made[0]}


def _selected(page: Any) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def _focused(page: Any, row_id: str) -> None:
    """Wait until the row has the focus (given back once the swapped row has settled)."""
    script = "id => document.activeElement && document.activeElement.id === id"
    page.wait_for_function(script, arg=row_id)


def _settled(page: Any) -> None:
    """Wait until htmx has no request, swap or settle under way (a person reads the result)."""
    script = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    page.wait_for_function(script)
    page.wait_for_timeout(200)


def test_keyboard_triage(session: Session, inbox: dict[str, Any], e2e_personas: Personas) -> None:
    page, newest, second = session.page, inbox["newest"], inbox["second"]
    candidate = DuplicateCandidate.objects.get(item=newest, original=inbox["original"])
    session.login(e2e_personas.member.email)
    session.goto("/feedback/")
    assert page.get_by_role("heading", level=1).inner_text() == "Feedback inbox"
    first_row = page.locator(f"#fb-row-{newest.pk}")
    assert "is-selected" in (first_row.get_attribute("class") or "")
    first_row.focus()

    page.keyboard.press("j")
    assert _selected(page) == f"fb-row-{second.pk}"
    page.keyboard.press("k")
    assert _selected(page) == f"fb-row-{newest.pk}"

    top = newest.links.filter(state=LinkState.SUGGESTED).order_by("-score").first()
    assert top is not None, "the model suggested no feature for the newest item"
    page.keyboard.press("a")
    first_row.locator(".fb-linked").wait_for()
    _focused(page, f"fb-row-{newest.pk}")  # focus kept on the swapped row
    assert FeedbackLink.objects.get(pk=top.pk).state == LinkState.ACCEPTED
    linked = page.locator("#fb-status-tabs a", has_text="Linked").locator(".count")
    assert linked.inner_text() == "1"  # the counts follow the triage

    page.keyboard.press("3")
    first_row.locator(".imp.is-on", has_text="Critical").wait_for()
    page.keyboard.press("2")
    first_row.locator(".imp.is-on", has_text="Important").wait_for()
    assert FeedbackLink.objects.get(pk=top.pk).importance == "important"
    page.locator("#triage-status", has_text="importance Important").wait_for()  # announced

    page.keyboard.press("m")
    first_row.get_by_text("merged").wait_for()
    candidate.refresh_from_db()
    assert candidate.state == "merged"
    assert FeedbackItem.objects.get(pk=newest.pk).duplicate_of_id == inbox["original"].pk
    _focused(page, f"fb-row-{newest.pk}")

    _settled(page)
    page.keyboard.press("j")  # the next item: accept its suggestion too, for the picture
    second_row = page.locator(f"#fb-row-{second.pk}")
    page.keyboard.press("a")
    second_row.locator(".fb-linked").wait_for()
    _focused(page, f"fb-row-{second.pk}")
    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#shortcuts").is_visible()
    shot = session.screenshot("feedback-inbox")
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, README_SHOTS / "feedback-inbox.png")

    page.keyboard.press("Enter")
    page.wait_for_url(f"{session.base_url}/feedback/{second.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Feedback #{second.pk}")


def test_themes_page_draws_its_trend(
    session: Session, inbox: dict[str, Any], e2e_personas: Personas
) -> None:
    page = session.page
    session.login(e2e_personas.leader.email)
    session.goto("/feedback/themes/")
    page.locator(DRAWN).first.wait_for(timeout=30_000)
    assert page.locator(".theme-card").count() >= 2
    shot = session.screenshot("feedback-themes")
    shutil.copyfile(shot, README_SHOTS / "feedback-themes.png")


def test_feedback_pages_pass_axe(
    session: Session, inbox: dict[str, Any], e2e_personas: Personas
) -> None:
    p, item = e2e_personas, inbox["newest"]
    link = item.links.order_by("-score").first()
    assert link is not None
    link_accept(actor=p.member, link=link)  # so the demand page has a chart
    session.login(p.leader.email)
    pages = [
        "/feedback/",
        f"/feedback/{item.pk}/",
        f"/feedback/{item.pk}/edit/",
        "/feedback/themes/",
        "/feedback/demand/",
        "/feedback/import/",
        "/feedback/portals/",
        f"/feedback/features/{p.search.pk}/loop/",
        f"/portfolio/features/{p.search.pk}/",
        "/portal/platform/",
    ]
    shots = {pages[1]: "feedback-item", "/feedback/demand/": "feedback-demand",
             "/portal/platform/": "feedback-portal", pages[7]: "feedback-loop"}  # fmt: skip
    found = {}
    for path in pages:
        session.goto(path)
        if path.startswith(("/feedback/themes", "/feedback/demand")):
            session.page.locator(DRAWN).first.wait_for(timeout=30_000)
        if path in shots:
            session.screenshot(shots[path])
        results = Axe().run(session.page, options=WCAG)
        if results.violations_count:
            found[path] = results.generate_report()
    assert not found, "\n\n".join(f"{path}:\n{report}" for path, report in found.items())


def test_a_selected_passage_is_linked(
    session: Session, inbox: dict[str, Any], e2e_personas: Personas
) -> None:
    page, item = session.page, inbox["second"]
    session.login(e2e_personas.member.email)
    session.goto(f"/feedback/{item.pk}/")
    words = "missing totals"
    start = item.text.index(words)
    page.evaluate(
        """([start, end]) => {
            const text = document.getElementById('fb-fulltext').firstChild;
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, end);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [start, start + len(words)],
    )
    page.locator("#fb-fulltext").dispatch_event("mouseup")
    assert words in page.locator("#fb-passage-shown").inner_text()
    page.locator("#id_feature_id").select_option(label="Atlas · Excel export")
    page.get_by_role("button", name="Link", exact=True).click()
    page.wait_for_url(f"{session.base_url}/feedback/{item.pk}/")
    link = FeedbackLink.objects.get(item=item, passage__gt="")
    assert link.passage == words
    assert link.feature.name == "Excel export"
