"""The matrix rows that apps keep in their own modules, gathered in one place."""

from __future__ import annotations

from tests.matrix import (
    base,
    launches_checks,
    launches_gates,
    launches_plans,
    roadmap_board,
    roadmap_planning,
    roadmap_scoring,
)

# Each app module defines API_ROWS, PAGES and API_ELSEWHERE; add it to this tuple.
MODULES: tuple[object, ...] = (
    roadmap_scoring,
    roadmap_planning,
    roadmap_board,
    launches_gates,
    launches_plans,
    launches_checks,
)

API_ROWS: dict[tuple[str, str], base.Row] = {}
PAGES: dict[str, base.Page] = {}
API_ELSEWHERE: dict[tuple[str, str], str] = {}
for module in MODULES:
    API_ROWS.update(getattr(module, "API_ROWS", {}))
    PAGES.update(getattr(module, "PAGES", {}))
    API_ELSEWHERE.update(getattr(module, "API_ELSEWHERE", {}))
