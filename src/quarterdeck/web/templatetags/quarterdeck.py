"""Template helpers of the pages: item links, stage badges."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from quarterdeck.portfolio.models import PortfolioItem, Stage
from quarterdeck.web.kinds import item_url, kind_of

register = template.Library()


@register.filter
def url_of(item: PortfolioItem) -> str:
    return item_url(item)


@register.filter
def kind_label(item: PortfolioItem) -> str:
    return kind_of(item).label


@register.inclusion_tag("web/_stage_badge.html")
def stage_badge(stage: str) -> dict[str, Any]:
    label = Stage(stage).label if stage in Stage.values else stage or "—"
    return {"stage": stage, "label": label}


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """mapping|get:key — dictionary lookup with a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


AUDIT_PAGES = {
    "product_line": "line_detail",
    "product": "product_detail",
    "feature": "feature_detail",
    "person": "person_detail",
    "team": "team_detail",
}


@register.filter
def audit_url(row: Any) -> str:
    """The page of the object an audit row is about ('' when it has none or was deleted)."""
    name = AUDIT_PAGES.get(row.object_type)
    if name is None or row.action == "delete" or not str(row.object_id).isdigit():
        return ""
    return reverse(name, args=[int(row.object_id)])
