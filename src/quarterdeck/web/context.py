"""Template context shared by every page: the navigation of all modules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quarterdeck.web.nav import ADMIN, MAIN, links_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_main": [], "nav_admin": [], "admin_current": False}
    admin = links_for(user, request.path, ADMIN)
    return {
        "nav_main": links_for(user, request.path, MAIN),
        "nav_admin": admin,
        "admin_current": any(link.current for link in admin),
    }
