"""REST API of launches/plans."""

from ninja import Router

router = Router(tags=["launches"])
