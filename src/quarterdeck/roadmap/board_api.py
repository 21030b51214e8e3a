"""REST API of roadmap/board."""

from ninja import Router

router = Router(tags=["roadmap"])
