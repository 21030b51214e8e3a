"""A PM in Chromium: the feature's launch plans card, the plan page with a task's status set from
its select (htmx swaps the row), and the calendar walked with the arrow keys. No CSP violation
(the session fixture checks). Screenshots: launch_plan, launch_calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quarterdeck.launches import plans
from quarterdeck.launches.models import LaunchTask
from tests.e2e.conftest import Session, _views_loaded, browser, e2e_personas, session  # noqa: F401
from tests.personas import Personas

pytestmark = pytest.mark.e2e


@pytest.fixture
def plan_id(e2e_personas: Personas) -> int:  # noqa: F811
    day = timezone.localdate() + dt.timedelta(days=10)
    data = {"feature_id": e2e_personas.search.pk, "template": "Feature launch", "launch_on": day}
    return plans.plan_create(actor=None, data=data).pk


def test_plan_page_and_calendar(
    session: Session,  # noqa: F811
    e2e_personas: Personas,  # noqa: F811
    plan_id: int,
) -> None:
    page: Any = session.page
    session.login("mia@example.com")
    session.goto(f"/portfolio/features/{e2e_personas.search.pk}/")
    page.locator("#launch-plans").get_by_role("link", name="Atlas Search launch").click()
    page.wait_for_url(f"**/launches/plans/{plan_id}/")
    task = LaunchTask.objects.get(plan_id=plan_id, title="QA complete")
    page.get_by_label("Status of QA complete").select_option("done")
    expect(page.locator(f"#task-{task.pk} form[hx-post] input[name=version]")).to_have_value("2")
    assert LaunchTask.objects.get(pk=task.pk).status == "done"
    assert page.locator(".lp-overdue").count() >= 1
    session.screenshot("launch_plan")

    session.goto("/launches/")
    today = page.locator('td[role="gridcell"][tabindex="0"]')
    today.focus()
    page.keyboard.press("ArrowRight")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    if tomorrow.month == timezone.localdate().month:
        label = tomorrow.strftime("%A %-d %B %Y")
        expect(page.locator(f'td[role="gridcell"][aria-label^="{label}"]')).to_be_focused()
    assert page.get_by_role("link", name="Atlas Search launch").count() >= 1
    session.screenshot("launch_calendar")


WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_launch_pages_pass_axe(
    session: Session,  # noqa: F811
    e2e_personas: Personas,  # noqa: F811
    plan_id: int,
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    session.login("mia@example.com")
    task = LaunchTask.objects.filter(plan_id=plan_id).first()
    assert task is not None
    found = {}
    for path in (
        "/launches/",
        f"/launches/plans/{plan_id}/",
        f"/launches/plans/{plan_id}/edit/",
        f"/launches/tasks/{task.pk}/edit/",
        f"/launches/plans/new/?feature={e2e_personas.search.pk}",
        "/launches/templates/",
    ):
        session.goto(path)
        results = Axe().run(session.page, options=WCAG)
        if results.violations_count:
            found[path] = results.generate_report()
    assert found == {}
