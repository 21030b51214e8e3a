"""What the permission matrix is made of: roles, expectations, an API row and a page row.

Apps add rows in their own modules under tests/matrix/ (``API_ROWS``, ``PAGES`` and
``API_ELSEWHERE`` dicts), listed in tests/matrix/extra.py; tests/test_permission_matrix.py
gathers them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.personas import Personas

ROLES = ("anonymous", "admin", "leader", "manager", "member", "contributor", "viewer", "outsider")
OK = "ok"  # any 2xx (or, for pages, a redirect after a successful POST)
Expect = dict[str, int | str]


def expect(ok: set[str], *, denied: int = 403, anonymous: int = 401) -> Expect:
    return {
        role: anonymous if role == "anonymous" else (OK if role in ok else denied) for role in ROLES
    }


SIGNED_IN = {"admin", "leader", "manager", "member", "contributor", "viewer", "outsider"}
READ = expect(SIGNED_IN)
ADMIN = expect({"admin"})
LEADERS = expect({"admin", "leader"})
PLATFORM = expect({"admin", "leader", "manager"})  # Max's line: not Mia, who owns only below it
ATLAS = expect({"admin", "leader", "manager", "member"})  # Mia's product, in Max's line
MIA_PERSON = expect({"admin", "leader", "manager"})  # Mia's record: her managers
TEAMS = expect({"admin", "leader", "manager"})
WRITERS = expect({"admin", "leader", "manager", "member", "outsider"})
SOURCES = expect({"admin", "leader", "manager", "member", "outsider"})  # event sources: members up
ANALYTICS = expect({"admin", "leader", "manager", "member", "outsider"})  # members and up
MIAS_INSIGHT = expect({"admin", "leader", "member"})
REVENUE = expect(
    {"admin", "leader", "manager", "member", "outsider"}
)  # revenue: members and up  # a saved insight: its owner, leaders, admins
SURVEY_VERBATIMS = expect({"admin", "leader", "manager", "member", "outsider"})  # customer data
ADDERS = expect(SIGNED_IN - {"viewer"})  # feedback: all but viewers add
ANYONE: Expect = dict.fromkeys(ROLES, OK)  # a public portal
WEEK = {"kind": "lifecycle", "start": "2024-03-01", "end": "2024-03-07"}


@dataclass
class Row:
    expected: Expect
    path: Callable[[Personas], str]
    body: Callable[[Personas], Any] = field(default=lambda p: None)
    versioned: bool = False  # send If-Match with the target's current version


PAGE_READ = expect(SIGNED_IN, anonymous=302)
PAGE_ADMIN = expect({"admin"}, anonymous=302)
PAGE_LEADERS = expect({"admin", "leader"}, anonymous=302)
PAGE_PLATFORM = expect({"admin", "leader", "manager"}, anonymous=302)
PAGE_ATLAS = expect({"admin", "leader", "manager", "member"}, anonymous=302)
PAGE_WRITERS = expect({"admin", "leader", "manager", "member", "outsider"}, anonymous=302)
PAGE_MIA = expect({"admin", "leader", "manager"}, anonymous=302)
PAGE_TEAMS = expect({"admin", "leader", "manager"}, anonymous=302)
PAGE_SOURCES = expect({"admin", "leader", "manager", "member", "outsider"}, anonymous=302)
PUBLIC: Expect = dict.fromkeys(ROLES, OK)
PAGE_ANALYTICS = expect({"admin", "leader", "manager", "member", "outsider"}, anonymous=302)
PAGE_MIAS_INSIGHT = expect({"admin", "leader", "member"}, anonymous=302)
PAGE_REVENUE = expect({"admin", "leader", "manager", "member", "outsider"}, anonymous=302)
PAGE_ADDERS = expect(SIGNED_IN - {"viewer"}, anonymous=302)  # feedback: all but viewers add


@dataclass
class Page:
    expected: Expect
    path: Callable[[Personas], str]
    method: str = "GET"
    data: Callable[[Personas], dict[str, Any]] = field(default=lambda p: {})
