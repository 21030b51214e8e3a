"""What a product leader does in a browser: sign in, read the portfolio, change a product, see
its history; the org chart; and the same sign-in with the keyboard alone."""

from __future__ import annotations

import re

import pytest

from quarterdeck.portfolio.services import product_update
from tests.e2e.conftest import Session
from tests.personas import PASSWORD, Personas

pytestmark = pytest.mark.e2e


def test_leader_changes_a_product_and_sees_it_in_the_history(
    session: Session, e2e_personas: Personas
) -> None:
    page = session.page
    session.login("lena@example.com")
    assert page.locator(".stage-chart").is_visible()
    session.screenshot("home")

    session.goto("/portfolio/")
    tree = page.locator("#portfolio-tree")
    for name in ("Platform", "Growth", "Atlas", "Beacon", "Atlas Search"):
        assert tree.get_by_role("link", name=name, exact=True).is_visible()
    session.screenshot("portfolio")

    # The filters update the tree in place (htmx) and keep the URL shareable.
    page.get_by_label("Stage", exact=True).select_option("launch")
    page.wait_for_url(re.compile(r"stage=launch"))
    tree.get_by_role("link", name="Atlas", exact=True).wait_for(state="detached")
    assert tree.get_by_role("link", name="Beacon", exact=True).is_visible()
    page.get_by_role("link", name="Clear").click()

    page.locator("#portfolio-tree").get_by_role("link", name="Atlas", exact=True).click()
    page.wait_for_url(re.compile(r"/portfolio/products/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Atlas"
    session.screenshot("product")

    page.get_by_role("link", name="Edit", exact=True).click()
    reason = page.get_by_label("Why does the stage change?")
    assert not reason.is_visible()  # appears only once another stage is picked
    page.get_by_label("Stage", exact=True).select_option("launch")
    assert reason.is_visible()
    reason.fill("Beta customers renewed")
    page.get_by_label("Description").fill("Maps for logistics teams.")
    session.screenshot("product-edit")
    page.get_by_role("button", name="Save changes").click()

    page.wait_for_url(re.compile(r"/portfolio/products/\d+/$"))
    history = page.locator("#history")
    assert "Beta customers renewed" in history.inner_text()
    diff = history.locator("table.diff").first.inner_text()
    assert "Build" in diff
    assert "Launch" in diff
    assert "Maps for logistics teams." in diff
    assert "Saved" in page.locator(".messages").inner_text()

    # Inline edit of the stage: the badge and the history update without a reload.
    page.get_by_role("link", name="Change stage").click()
    page.locator("#stage-field select").select_option("growth")
    page.locator("#stage-field").get_by_label("Why?").fill("Adoption above target")
    session.screenshot("product-inline-edit")
    page.get_by_role("button", name="Save stage").click()
    page.locator("#stage-field .stage-growth").wait_for()
    page.locator("#history", has_text="Adoption above target").wait_for()
    session.screenshot("product-after-edit")


def test_org_chart_draws_a_box_per_person(session: Session, e2e_personas: Personas) -> None:
    session.login("lena@example.com")
    session.goto("/people/org-chart/")
    chart = session.page.locator("svg.org-chart")
    assert chart.is_visible()
    assert chart.locator("a.org-box").count() == len(e2e_personas.people)
    box = chart.locator("a.org-box", has_text="Mia Member")
    assert "1 product" in box.text_content()
    session.screenshot("org-chart")
    box.click()
    session.page.wait_for_url(re.compile(rf"/people/{e2e_personas.people['mia'].pk}/$"))


def test_sign_in_with_the_keyboard_only(session: Session, e2e_personas: Personas) -> None:
    page = session.page
    session.goto("/login/")
    focused = "document.activeElement.id || document.activeElement.className"
    assert page.evaluate(focused) == "id_username"  # the e-mail field has the focus on arrival
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "skip-link"  # first stop of the page, shown when focused
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "id_username"
    page.keyboard.type("lena@example.com")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    session.screenshot("login-keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url(session.base_url + "/")
    assert page.get_by_role("heading", name="Portfolio at a glance").is_visible()


def test_a_stale_edit_shows_the_conflict_panel(session: Session, e2e_personas: Personas) -> None:
    p = e2e_personas
    session.login("mia@example.com")
    session.goto(f"/portfolio/products/{p.atlas.pk}/edit/")
    page = session.page
    page.get_by_label("Description").fill("Mia's take")
    # Meanwhile, her manager saves a change of his own.
    product_update(
        actor=p.manager,
        product_id=p.atlas.pk,
        data={"description": "Max's take"},
        expected_version=1,
    )
    page.get_by_role("button", name="Save changes").click()
    panel = page.get_by_role("alert").filter(has_text="Someone else changed this")
    assert "Max's take" in panel.inner_text()
    assert "Mia's take" in panel.inner_text()
    session.screenshot("conflict")
    page.get_by_role("button", name="Apply my changes").click()
    page.wait_for_url(re.compile(r"/portfolio/products/\d+/$"))
    assert "Mia's take" in page.locator(".description").inner_text()


def test_tour_of_the_other_pages(session: Session, e2e_personas: Personas) -> None:
    """Every main page loads without CSP complaints; screenshots for a look by a person."""
    p = e2e_personas
    session.login("ada@example.com")
    pages = {
        "people": "/people/",
        "person": f"/people/{p.people['mia'].pk}/",
        "person-edit": f"/people/{p.people['mia'].pk}/edit/",
        "teams": "/teams/",
        "line": f"/portfolio/lines/{p.platform.pk}/",
        "feature": f"/portfolio/features/{p.search.pk}/",
        "new-product": f"/portfolio/products/new/?line={p.platform.pk}",
        "delete-feature": f"/portfolio/features/{p.search.pk}/delete/",
        "account": "/account/",
        "audit-log": "/admin-tools/audit/",
        "users": "/admin-tools/users/",
        "not-found": "/portfolio/products/999999/",
        "django-admin": f"/admin/portfolio/product/{p.atlas.pk}/change/",
    }
    for name, path in pages.items():
        response = session.goto(path)
        assert response.status == (404 if name == "not-found" else 200), path
        session.screenshot(name)
    session.goto("/")
    session.page.locator("summary", has_text="Admin").click()  # the admin menu opens without script
    session.page.get_by_role("navigation", name="Admin").get_by_role(
        "link", name="Audit log"
    ).wait_for()
    session.screenshot("admin-menu")
    session.page.locator("summary", has_text="Admin").click()  # closed again: it covers the header
    session.page.get_by_role("button", name="Sign out").click()
    session.page.wait_for_url(re.compile(r"/login/$"))
    session.login("vic@example.com")
    assert session.goto("/admin-tools/audit/").status == 403
    session.screenshot("forbidden")
