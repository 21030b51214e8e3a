"""`roadmap_scores`: `{% score_card item may_change %}` (the scores card of the feature page)
and small lookups for the scoring templates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def score_card(context: Any, item: Any, may_change: bool = False) -> str:
    from quarterdeck.roadmap import scoring_selectors as sel

    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    scored = sel.feature_scores(user, item)
    card = {"feature": item, "scored": scored, "may_change": may_change,
            "default_model": sel.default_model_for(item)}  # fmt: skip
    return render_to_string("roadmap/scoring/_card.html", card, request=context.get("request"))


@register.filter
def lookup(mapping: Mapping[str, Any] | None, key: Any) -> Any:
    """``inputs|lookup:"reach"``: a value by key ("" when absent)."""
    if not mapping or not hasattr(mapping, "get"):
        return ""
    for candidate in (key, str(key), f"{key:g}" if isinstance(key, int | float) else key):
        value = mapping.get(candidate)
        if value is not None:
            return value
    return ""


@register.filter
def number(value: Any) -> str:
    """A score or input, short: 1234.5 → 1,234.5; 0.123456 → 0.1235."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):,.4g}" if abs(float(value)) < 1e6 else f"{float(value):,.0f}"
    except (TypeError, ValueError):
        return str(value)
