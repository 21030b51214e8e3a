"""A leader in Chromium: the outcomes tree, an outcome whose key result is bound to Atlas's NPS
survey with its history chart drawn (no console error, no CSP violation: the conftest checks),
a check-in added with the keyboard alone, and the alignment view. Screenshots go to
test-artifacts/screenshots/ (outcomes, outcome_detail, alignment)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from quarterdeck.strategy import services
from quarterdeck.strategy.refresh import refresh_outcomes
from tests.e2e.conftest import Session
from tests.personas import Personas
from tests.strategy.numbers_data import answers, nps_survey

pytestmark = pytest.mark.e2e
DRAWN = ".chart[data-state='drawn'] svg"


@pytest.fixture
def plan(e2e_personas: Personas) -> dict[str, Any]:
    """A pillar, a company outcome and Atlas's outcome under it (six weeks in, six to go) with
    a key result following the NPS of Atlas's survey, refreshed from real answers."""
    p, today = e2e_personas, timezone.localdate()
    start, end = today - dt.timedelta(days=42), today + dt.timedelta(days=42)
    dates = {"period": "custom", "start": start, "end": end}
    pillar = services.pillar_create(actor=p.leader, data={"name": "Win mid-market"})
    services.pillar_links_set(
        actor=p.leader, pillar_id=pillar.pk, line_ids=[p.platform.pk], product_ids=[p.atlas.pk],
        expected_version=None,
    )  # fmt: skip
    company = services.outcome_create(
        actor=p.leader,
        data={"title": "Customers love the deck", "level": "company",
              "pillar_ids": [pillar.pk], **dates},
    )  # fmt: skip
    atlas = services.outcome_create(
        actor=p.leader,
        data={"title": "Atlas delights its users", "level": "product", "product_id": p.atlas.pk,
              "parent_id": company.pk, "owner_id": p.people["mia"].pk, **dates},
    )  # fmt: skip
    services.outcome_create(
        actor=p.leader,
        data={"title": "Beacon converts trials", "level": "product", "product_id": p.beacon.pk,
              **dates},
    )  # fmt: skip
    survey = nps_survey(p)
    now = timezone.now()
    scores = [(10 if n % 3 else 6, now - dt.timedelta(days=40 - n)) for n in range(0, 41, 2)]
    answers(p, survey, scores)
    kr = services.key_result_create(
        actor=p.leader,
        outcome_id=atlas.pk,
        data={"title": "NPS of Atlas", "source": "survey", "unit": "NPS", "baseline": 20,
              "target": 50, "metric": {"survey_id": survey.pk, "window_days": 30}},
    )  # fmt: skip
    manual = services.key_result_create(
        actor=p.leader,
        outcome_id=atlas.pk,
        data={"title": "Searches per active user", "source": "manual", "baseline": 4,
              "target": 6, "unit": "searches"},
    )  # fmt: skip
    for days_ago, value in ((35, 4.1), (21, 4.4), (7, 4.6)):
        day = today - dt.timedelta(days=days_ago)
        data = {"day": day, "value": value, "note": ""}
        services.key_result_check_in(actor=p.leader, kr_id=manual.pk, data=data)
    refresh_outcomes(today=today)
    return {"company": company, "atlas": atlas, "kr": kr, "survey": survey}


def _no_console_errors(session: Session) -> None:
    problems = [t for t in session.console if "error" in t.lower() or "Content Security" in t]
    assert problems == [], problems


def test_leader_follows_an_outcome_and_checks_in_by_keyboard(
    session: Session, plan: dict[str, Any], e2e_personas: Personas
) -> None:
    page, atlas = session.page, plan["atlas"]
    session.login(e2e_personas.leader.email)
    session.goto("/strategy/outcomes/?period=all")
    assert page.get_by_role("heading", level=1).inner_text() == "Outcomes"
    tree = page.get_by_role("list", name="Outcomes")
    assert tree.get_by_role("link", name="Atlas delights its users").is_visible()
    session.screenshot("outcomes")

    tree.get_by_role("link", name="Atlas delights its users").click()
    page.wait_for_url(f"{session.base_url}/strategy/outcomes/{atlas.pk}/")
    card = page.locator(f"#kr-{plan['kr'].pk}")
    card.locator(DRAWN).wait_for(timeout=30_000)
    assert "NPS" in card.locator(".kr-binding").inner_text()
    assert card.get_by_role("link", name="trace").get_attribute("href", timeout=1000)
    assert "Forecast" in card.locator(".kr-why").inner_text()
    page.locator(DRAWN).nth(1).wait_for(timeout=30_000)  # the manual key result's chart too

    page.get_by_label("At risk").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to the note
    page.keyboard.type("Survey volume is low this month")
    page.keyboard.press("Tab")  # to the button
    page.keyboard.press("Enter")
    page.wait_for_url(f"{session.base_url}/strategy/outcomes/{atlas.pk}/#check-ins")
    checkins = page.locator("#check-ins .checkins")
    assert "Survey volume is low this month" in checkins.inner_text()
    assert "At risk" in checkins.inner_text()
    card.locator(DRAWN).wait_for(timeout=30_000)
    session.screenshot("outcome_detail")
    _no_console_errors(session)


def test_alignment_view(session: Session, plan: dict[str, Any], e2e_personas: Personas) -> None:
    page = session.page
    session.login(e2e_personas.viewer.email)
    session.goto("/strategy/alignment/?period=all")
    pillar = page.locator("section", has=page.get_by_role("heading", name="Win mid-market"))
    assert "Customers love the deck" in pillar.inner_text()
    assert "Atlas delights its users" in pillar.inner_text()
    assert pillar.get_by_role("link", name="Platform").is_visible()
    unaligned = page.locator("#unaligned")
    assert "Beacon converts trials" in unaligned.inner_text()
    session.screenshot("alignment")
    _no_console_errors(session)


def test_key_result_form_shows_the_fields_of_the_chosen_source(
    session: Session, plan: dict[str, Any], e2e_personas: Personas
) -> None:
    page, atlas = session.page, plan["atlas"]
    session.login(e2e_personas.member.email)
    session.goto(f"/strategy/outcomes/{atlas.pk}/key-results/new/")
    assert page.evaluate("document.activeElement.name") == "title"  # autofocus on the first field
    insight, survey = page.locator("#id_analytics_kind"), page.locator("#id_survey_id")
    assert insight.is_visible()
    assert not survey.is_visible()
    page.locator("input[name='source'][value='survey']").check()
    assert survey.is_visible()
    assert not insight.is_visible()
    page.get_by_label("Title").fill("NPS above 40")
    survey.select_option(str(plan["survey"].pk))
    page.get_by_label("Baseline").fill("20")
    page.get_by_label("Target").fill("40")
    session.screenshot("key_result_form")
    page.get_by_label("Target").press("Enter")  # Enter submits
    page.wait_for_url(f"{session.base_url}/strategy/outcomes/{atlas.pk}/")
    assert page.get_by_role("heading", name="NPS above 40").is_visible()
    _no_console_errors(session)


def test_strategy_pages_pass_axe(
    session: Session, plan: dict[str, Any], e2e_personas: Personas
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    wcag = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    atlas = plan["atlas"]
    session.login(e2e_personas.leader.email)
    paths = [
        "/strategy/",
        "/strategy/outcomes/?period=all",
        f"/strategy/outcomes/{atlas.pk}/",
        "/strategy/alignment/?period=all",
        "/strategy/outcomes/new/",
        f"/strategy/outcomes/{atlas.pk}/key-results/new/",
        f"/strategy/key-results/{plan['kr'].pk}/edit/",
    ]
    for path in paths:
        session.goto(path)
        if path == f"/strategy/outcomes/{atlas.pk}/":
            session.page.locator(DRAWN).first.wait_for(timeout=30_000)
        results = Axe().run(session.page, options=wcag)
        assert not results.violations_count, (path, results.generate_report())
