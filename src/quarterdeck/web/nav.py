"""The navigation registry: every module adds its pages here, the layout shows what exists.

A module registers its entries once, from its AppConfig.ready() (or at import of its urls):

    from quarterdeck.web.nav import NavItem, register
    register(NavItem("Import / export", "transfer:index", order=60))

An entry whose URL name does not resolve is left out, so a link to a page that does not exist
(a module not installed, or not wired into urls.py yet) never shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User

MAIN = "main"
# Sections shown as drop-down menus after the main entries, in this order, with their labels.
TEAM = "team"  # people, the org chart, teams
DATA = "data"  # event sources, KPI refreshes, import / export
ADMIN = "admin"
MENUS = ((TEAM, "Team"), (DATA, "Data"), (ADMIN, "Admin"))


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100
    section: str = MAIN
    # Who sees the entry; None means every signed-in user. The admin section adds is_admin.
    visible: Callable[[User], bool] | None = None
    # Paths under this prefix mark the entry as current; defaults to the entry's own URL.
    prefix: str | None = None


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


_registry: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    """Add (or replace, by URL name) an entry; safe to call more than once."""
    _registry[item.url_name] = item


def registered() -> list[NavItem]:
    return sorted(_registry.values(), key=lambda item: (item.section, item.order, item.label))


def _url(item: NavItem) -> str | None:
    try:
        return reverse(item.url_name)
    except NoReverseMatch:
        return None


def _may_see(user: User, item: NavItem) -> bool:
    if item.section == ADMIN and not rules.is_admin(user):
        return False
    return item.visible is None or item.visible(user)


def _match_length(path: str, url: str, prefix: str | None) -> int:
    """How specifically the entry matches the current path (0: not at all)."""
    start = prefix if prefix is not None else url
    if start == "/":
        return 1 if path == "/" else 0
    return len(start) if path.startswith(start) else 0


def links_for(user: User, path: str, section: str) -> list[NavLink]:
    """The entries of one section the user may see, in order; the most specific match is current."""
    found: list[tuple[NavItem, str, int]] = []
    for item in registered():
        if item.section != section or not _may_see(user, item):
            continue
        url = _url(item)
        if url is not None:
            found.append((item, url, _match_length(path, url, item.prefix)))
    best = max((length for _, _, length in found), default=0)
    return [NavLink(item.label, url, best > 0 and length == best) for item, url, length in found]


def register_core() -> None:
    """The entries of the modules that exist from the start (called from WebConfig.ready)."""
    register(NavItem("Home", "home", order=0))
    register(NavItem("Portfolio", "portfolio", order=10))
    register(NavItem("People", "people", order=20, prefix="/people/", section=TEAM))
    register(NavItem("Org chart", "org_chart", order=21, prefix="/people/org-chart/", section=TEAM))
    register(NavItem("Teams", "teams", order=25, section=TEAM))
    register(NavItem("Audit log", "audit_log", order=10, section=ADMIN))
    register(NavItem("Users", "users", order=20, section=ADMIN))
    register(NavItem("Django admin", "admin:index", order=90, section=ADMIN))
