"""The feedback API: items, links, duplicates, themes, demand, portals, close-the-loop."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["feedback"])
