"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live_server. Skipped when /usr/bin/chromium is missing, except on CI (CI=true), where that fails."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.personas import PASSWORD, Personas, make_personas

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session", autouse=True)
def _views_loaded() -> None:
    """Import every view module before the first page: the live server runs in this process, and
    its first request would otherwise pay the imports (seconds on a busy machine) within the
    browser's navigation timeout."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - evaluated for its side effect


@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[Any]:
    """Chromium for one test module. The test database exists before Playwright starts its
    event loop in this thread; while the loop runs, Django would refuse database calls from the
    tests (safe here: the loop only drives the browser), so DJANGO_ALLOW_ASYNC_UNSAFE is set for
    the module and removed afterwards, never leaking into other tests or their subprocesses."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI needs /usr/bin/chromium for the browser tests (apt-get install chromium)."
            )
        pytest.skip(
            "/usr/bin/chromium is missing: install Debian's chromium to run the browser tests."
        )
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def e2e_personas(transactional_db: None) -> Personas:
    return make_personas()


@dataclass
class Session:
    """A browser tab on the live server that records what the console says."""

    page: Any
    base_url: str
    console: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def login(self, email: str, password: str = PASSWORD) -> None:
        self.goto("/login/")
        self.page.get_by_label("E-mail").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(self.base_url + "/")

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def csp_violations(self) -> list[str]:
        return [text for text in self.console if "Content Security Policy" in text]


@pytest.fixture
def session(browser: Any, live_server: Any) -> Iterator[Session]:
    # The real settings, Secure cookies included: Chromium accepts them on http://localhost.
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(10_000)
    tab = Session(page, live_server.url)
    page.on("console", lambda message: tab.console.append(message.text))
    page.on("pageerror", lambda error: tab.console.append(f"page error: {error}"))
    yield tab
    context.close()
    assert tab.csp_violations() == [], "the browser reported Content Security Policy violations"
