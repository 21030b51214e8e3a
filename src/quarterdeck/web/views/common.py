"""Small helpers shared by the page views."""

from __future__ import annotations

from django.http import HttpRequest

from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import NotAllowed


def user_of(request: HttpRequest) -> User:
    """The signed-in user (LoginRequired has already turned anonymous visitors away)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAllowed("Sign in first.")
    return user


MAX_ID = 2**63 - 1  # the largest id a database column holds


def int_param(request: HttpRequest, name: str) -> int | None:
    """An optional id in the query string; anything else (text, out of range) counts as absent."""
    raw = request.GET.get(name, "")
    value = int(raw) if raw.isdigit() and len(raw) < 20 else None
    return value if value is not None and 0 < value <= MAX_ID else None
