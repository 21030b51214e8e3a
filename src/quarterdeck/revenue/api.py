"""REST endpoints of the revenue module."""

from ninja import Router

router = Router(tags=["revenue"])
