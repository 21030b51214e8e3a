"""REST API of launches/gates."""

from ninja import Router

router = Router(tags=["launches"])
