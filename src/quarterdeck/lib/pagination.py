"""Limit/offset pagination for every API list: `{"items": [...], "count": N}`."""

from __future__ import annotations

from django.conf import settings
from ninja import Field
from ninja.pagination import LimitOffsetPagination

# Far beyond any real list, and well inside what every database accepts as an OFFSET.
MAX_OFFSET = 10**9


class PageInput(LimitOffsetPagination.Input):
    limit: int = Field(
        settings.NINJA_PAGINATION_PER_PAGE,
        ge=1,
        le=settings.NINJA_PAGINATION_MAX_LIMIT,
        description="How many items to return.",
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


class Pagination(LimitOffsetPagination):
    Input = PageInput
