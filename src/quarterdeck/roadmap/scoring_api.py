"""REST API of roadmap/scoring."""

from ninja import Router

router = Router(tags=["roadmap"])
