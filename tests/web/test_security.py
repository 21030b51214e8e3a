"""Content Security Policy: the header is sent, and the pages need nothing it forbids."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.personas import Personas
from tests.web.test_pages import read_pages

pytestmark = pytest.mark.django_db

ClientFor = Callable[..., Client]


class InlineFinder(HTMLParser):
    """Collects what a style-src 'self' / script-src 'self' 'nonce-…' policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.nonces: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        if any(name.startswith("on") for name in names):
            self.problems.append(f"inline event handler on <{tag}>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            if names.get("src") is None and not names.get("nonce"):
                self.problems.append("inline <script> without nonce")
            if names.get("nonce"):
                self.nonces.add(str(names["nonce"]))
        for name in ("href", "src", "action"):
            if str(names.get(name) or "").lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")


def scan(html: str) -> InlineFinder:
    finder = InlineFinder()
    finder.feed(html)
    return finder


def test_csp_header_allows_self_and_nonce_only(personas: Personas, client_for: ClientFor) -> None:
    response = client_for(personas.leader).get("/")
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["style-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'"
    assert all(
        source == "'self'" or source.startswith("'nonce-") for source in directives["script-src"]
    )
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


@pytest.mark.parametrize("role", ["admin", "member"])
def test_pages_have_no_inline_styles_or_unnonced_scripts(
    personas: Personas, client_for: ClientFor, role: str
) -> None:
    client = client_for(personas.by_role()[role])
    urls = [
        *read_pages(personas),
        f"/portfolio/products/{personas.atlas.pk}/edit/",
        "/portfolio/lines/new/",
        f"/people/{personas.people['mia'].pk}/edit/",
        "/no-such-page/",
    ]
    if role == "admin":
        urls += ["/admin-tools/audit/", "/admin-tools/users/"]
    for url in urls:
        response = client.get(url)
        finder = scan(response.content.decode())
        assert finder.problems == [], url
        policy = response["Content-Security-Policy"]
        assert all(f"'nonce-{nonce}'" in policy for nonce in finder.nonces), url


def test_login_page_and_fragments_are_clean_too(
    personas: Personas, client: Client, client_for: ClientFor
) -> None:
    assert scan(client.get("/login/").content.decode()).problems == []
    member = client_for(personas.member)
    for url in ("stage", "owner"):
        html = member.get(
            f"/portfolio/products/{personas.atlas.pk}/inline/{url}/", headers={"HX-Request": "true"}
        )
        assert scan(html.content.decode()).problems == []


def test_htmx_is_configured_without_eval_or_injected_styles(
    personas: Personas, client_for: ClientFor
) -> None:
    page = client_for(personas.viewer).get("/").content.decode()
    assert '"includeIndicatorStyles": false' in page
    assert '"allowEval": false' in page
    assert '<script src="/static/vendor/htmx.min.js"' in page
    assert 'hx-headers=\'{"X-CSRFToken": "' in page  # htmx writes carry the CSRF token


def test_static_files_are_served(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.viewer)
    for path in (
        "/static/quarterdeck/app.css",
        "/static/vendor/htmx.min.js",
        "/static/quarterdeck/icon.svg",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        response.close()


def test_page_forms_refuse_a_post_without_the_csrf_token(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.leader)
    edit = f"/portfolio/products/{personas.atlas.pk}/edit/"
    refused = client.post(edit, {"name": "Hijacked", "version": personas.atlas.version})
    assert refused.status_code == 403
    personas.atlas.refresh_from_db()
    assert personas.atlas.name == "Atlas"
    page = client.get(edit)
    token = page.context["csrf_token"]
    logout = client.post("/logout/", {"csrfmiddlewaretoken": str(token)})
    assert logout.status_code == 302
