"""REST endpoints of the kpis module."""

from ninja import Router

router = Router(tags=["kpis"])
