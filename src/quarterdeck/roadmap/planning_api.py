"""REST API of roadmap/planning."""

from ninja import Router

router = Router(tags=["roadmap"])
