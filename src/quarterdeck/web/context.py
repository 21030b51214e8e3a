"""Template context shared by every page: the navigation of all modules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from quarterdeck.web.nav import MAIN, MENUS, NavLink, links_for


@dataclass(frozen=True)
class Menu:
    label: str
    links: list[NavLink]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_main": [], "nav_menus": []}
    menus = [Menu(label, links_for(user, request.path, section)) for section, label in MENUS]
    return {
        "nav_main": links_for(user, request.path, MAIN),
        "nav_menus": [menu for menu in menus if menu.links],
    }
