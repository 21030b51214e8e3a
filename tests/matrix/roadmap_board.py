"""Permission-matrix rows of the roadmap board, saved views, share links and exports.

Everyone signed in reads the roadmap and shared views; an entry of Mia's Atlas Search is changed
by those who may change the feature (ATLAS); saving a view takes a write role; Mia's view (shared,
so the others get 403 rather than 404) is changed, and its links managed, by Mia, leaders and
admins. The public /share/ pages answer anyone. Moves through the API (If-Match of the entry,
which its own GET gives) are tested in tests/roadmap/test_board_api.py.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.base import (
    ATLAS,
    PAGE_ATLAS,
    PAGE_READ,
    PAGE_WRITERS,
    PUBLIC,
    READ,
    WRITERS,
    Page,
    Row,
    expect,
)
from tests.personas import Personas

MIAS_VIEW = expect({"admin", "leader", "member"})
PAGE_MIAS_VIEW = expect({"admin", "leader", "member"}, anonymous=302)


def _placed(p: Personas) -> int:
    from quarterdeck.roadmap import board

    board.entry_place(actor=None, feature_id=p.search.pk, lane="later")
    return p.search.pk


def _view(p: Personas) -> int:
    from quarterdeck.roadmap import board

    data = {"name": "Mia's roadmap", "shared": True}
    return board.view_create(actor=p.member, data=data).pk


def _link(p: Personas) -> int:
    from quarterdeck.roadmap import board

    return board.link_create(actor=None, view_id=_view(p))[0].pk


def _share(p: Personas, suffix: str = "") -> str:
    from quarterdeck.roadmap import board

    _, token = board.link_create(actor=None, view_id=_view(p))
    return f"/share/{token}/{suffix}"


def _move(p: Personas) -> dict[str, Any]:
    return {"to": "now"}


ENTRY = "/roadmap/entries/{feature_id}"
VIEW = "/roadmap/views/{view_id}"

API_ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/roadmap/items"): Row(READ, lambda p: "/roadmap/items"),
    ("GET", ENTRY): Row(READ, lambda p: f"/roadmap/entries/{_placed(p)}"),
    ("PUT", ENTRY): Row(
        ATLAS, lambda p: f"/roadmap/entries/{_placed(p)}", lambda p: {"lane": "now"}, True
    ),
    ("DELETE", ENTRY): Row(ATLAS, lambda p: f"/roadmap/entries/{_placed(p)}", versioned=True),
    ("GET", "/roadmap/views"): Row(READ, lambda p: "/roadmap/views"),
    ("POST", "/roadmap/views"): Row(WRITERS, lambda p: "/roadmap/views", lambda p: {"name": "V"}),
    ("GET", VIEW): Row(READ, lambda p: f"/roadmap/views/{_view(p)}"),
    ("PATCH", VIEW): Row(
        MIAS_VIEW, lambda p: f"/roadmap/views/{_view(p)}", lambda p: {"name": "W"}, True
    ),
    ("DELETE", VIEW): Row(MIAS_VIEW, lambda p: f"/roadmap/views/{_view(p)}", versioned=True),
    ("GET", VIEW + "/items"): Row(READ, lambda p: f"/roadmap/views/{_view(p)}/items"),
    ("GET", VIEW + "/links"): Row(MIAS_VIEW, lambda p: f"/roadmap/views/{_view(p)}/links"),
    ("POST", VIEW + "/links"): Row(
        MIAS_VIEW, lambda p: f"/roadmap/views/{_view(p)}/links", lambda p: {"label": "x"}
    ),
    ("POST", "/roadmap/links/{link_id}/revoke"): Row(
        MIAS_VIEW, lambda p: f"/roadmap/links/{_link(p)}/revoke", lambda p: {}
    ),
    ("GET", "/roadmap/export.{fmt}"): Row(READ, lambda p: "/roadmap/export.csv"),
    ("GET", VIEW + "/export.{fmt}"): Row(READ, lambda p: f"/roadmap/views/{_view(p)}/export.csv"),
}

API_ELSEWHERE: dict[tuple[str, str], str] = {
    ("POST", ENTRY + "/move"): "tests/roadmap/test_board_api.py (If-Match of the entry)",
}

PAGES: dict[str, Page] = {
    "roadmap/": Page(PAGE_READ, lambda p: "/roadmap/"),
    "roadmap/timeline/": Page(PAGE_READ, lambda p: "/roadmap/timeline/"),
    "roadmap/export.<str:fmt>": Page(PAGE_READ, lambda p: "/roadmap/export.csv"),
    "roadmap/items/<int:feature_id>/move/": Page(
        PAGE_ATLAS, lambda p: f"/roadmap/items/{p.search.pk}/move/", "POST", _move
    ),
    "roadmap/items/<int:feature_id>/remove/": Page(
        PAGE_ATLAS, lambda p: f"/roadmap/items/{_placed(p)}/remove/", "POST"
    ),
    "roadmap/items/<int:feature_id>/dates/": Page(
        PAGE_ATLAS,
        lambda p: f"/roadmap/items/{_placed(p)}/dates/",
        "POST",
        lambda p: {"start": "2027-01-01", "end": "2027-02-01"},
    ),
    "roadmap/views/": Page(PAGE_READ, lambda p: "/roadmap/views/"),
    "roadmap/views/new/": Page(
        PAGE_WRITERS,
        lambda p: "/roadmap/views/new/",
        "POST",
        lambda p: {"name": "Mine", "layout": "board"},
    ),
    "roadmap/views/<int:pk>/": Page(PAGE_READ, lambda p: f"/roadmap/views/{_view(p)}/"),
    "roadmap/views/<int:pk>/edit/": Page(
        PAGE_MIAS_VIEW, lambda p: f"/roadmap/views/{_view(p)}/edit/"
    ),
    "roadmap/views/<int:pk>/delete/": Page(
        PAGE_MIAS_VIEW, lambda p: f"/roadmap/views/{_view(p)}/delete/", "POST"
    ),
    "roadmap/views/<int:pk>/export.<str:fmt>": Page(
        PAGE_READ, lambda p: f"/roadmap/views/{_view(p)}/export.csv"
    ),
    "roadmap/views/<int:pk>/links/": Page(
        PAGE_MIAS_VIEW, lambda p: f"/roadmap/views/{_view(p)}/links/"
    ),
    "roadmap/links/<int:pk>/revoke/": Page(
        PAGE_MIAS_VIEW, lambda p: f"/roadmap/links/{_link(p)}/revoke/", "POST"
    ),
    "share/<str:token>/": Page(PUBLIC, lambda p: _share(p)),
    "share/<str:token>/export.<str:fmt>": Page(PUBLIC, lambda p: _share(p, "export.csv")),
}
