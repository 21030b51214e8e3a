"""REST API of launches/checks."""

from ninja import Router

router = Router(tags=["launches"])
