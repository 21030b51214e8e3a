"""The issue's 'done when': a new user signs in as the demo Head of Product and sees the
portfolio and the org chart of the demo company. The screenshots double as the README's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quarterdeck.demo.company import DEMO_PASSWORD, LOGINS
from quarterdeck.demo.services import demo_load
from quarterdeck.people.models import Person
from quarterdeck.portfolio.models import Product
from tests.e2e.conftest import Session

pytestmark = pytest.mark.e2e
README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_head_of_product_sees_the_demo_portfolio_and_org_chart(
    session: Session, transactional_db: None
) -> None:
    demo_load()
    leader = next(login for login in LOGINS if login.role == "leader")
    session.login(leader.email, DEMO_PASSWORD)

    session.goto("/portfolio/")
    table = session.page.locator("main")
    for product in Product.objects.order_by("name")[:10]:
        assert table.get_by_role("link", name=product.name, exact=True).count() >= 1
    portfolio = session.screenshot("demo-portfolio")

    session.goto("/people/org-chart/")
    boxes = session.page.locator("svg a")
    assert boxes.count() == Person.objects.count()
    # Compact enough for a laptop: the whole org shows without scrolling sideways.
    chart = session.page.locator(".chart-scroll")
    width, visible = chart.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert width <= visible <= 1200
    org_chart = session.screenshot("demo-org-chart")

    session.goto("/")
    session.screenshot("demo-home")
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    # docs/screenshots/home.png comes from tests/e2e/test_home.py (the demo with its outcomes).
    for shot, name in ((portfolio, "portfolio"), (org_chart, "org-chart")):
        shutil.copyfile(shot, README_SHOTS / f"{name}.png")
