"""The Head of Product lands on the home page of the demo company: the portfolio scorecard
(figures that trace to their source), the outcomes at risk, the biggest movers, and a click on
a product drills down to its page. The screenshot doubles as the README's."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.demo.company import DEMO_PASSWORD, LOGINS
from quarterdeck.portfolio.models import Product, ProductLine
from quarterdeck.strategy.models import Outcome
from tests.e2e.conftest import Session
from tests.strategy.demo_company import load_demo_company

pytestmark = pytest.mark.e2e
README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_the_head_of_product_sees_scorecard_risks_and_movers(
    session: Session, transactional_db: None, settings: Any, tmp_path: Path
) -> None:
    load_demo_company(settings, tmp_path)
    leader = next(login for login in LOGINS if login.role == "leader")
    session.login(leader.email, DEMO_PASSWORD)  # lands on /
    page = session.page

    scorecard = page.locator("table.scorecard")
    rows = scorecard.locator("tbody tr")
    assert rows.count() == ProductLine.objects.count() + Product.objects.count()
    first = scorecard.locator("td.scorecard-cell").first
    assert "MAU" in (first.get_attribute("title") or "")  # every figure says what it is
    assert scorecard.locator("svg.spark").count() > 20
    assert scorecard.get_by_text("On track").count() >= 1

    risks = page.locator("section[aria-labelledby='risk-heading']")
    off = Outcome.objects.get(status="off_track")
    assert risks.get_by_role("link", name=off.title).count() == 1
    assert risks.get_by_text("Off track").count() >= 1
    movers = page.locator(".mover-list li")
    assert movers.count() >= 2
    assert re.search(r"[▲▼] [+-]\d+%", movers.first.inner_text())

    shot = session.screenshot("home")
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, README_SHOTS / "home.png")

    driverhub = Product.objects.get(name="DriverHub")
    scorecard.get_by_role("link", name="DriverHub", exact=True).click()
    page.wait_for_url(f"{session.base_url}/portfolio/products/{driverhub.pk}/")
    assert page.get_by_role("heading", name="DriverHub").count() >= 1

    session.goto("/")
    risks.get_by_role("link", name=off.title).click()
    page.wait_for_url(f"{session.base_url}/strategy/outcomes/{off.pk}/")
    # Its key results' history charts draw; the page doubles as the README's outcome picture.
    drawn = page.locator(".chart[data-state='drawn'] svg")
    for n in range(off.key_results.count()):
        drawn.nth(n).wait_for(timeout=30_000)
    shutil.copyfile(session.screenshot("outcome"), README_SHOTS / "outcome.png")
