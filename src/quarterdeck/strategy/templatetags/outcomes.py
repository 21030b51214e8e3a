"""Template helpers of the strategy pages: status pills (colour and text, never colour alone),
progress bars, level badges, and the outcomes card of a product page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from quarterdeck.accounts.models import User
from quarterdeck.portfolio.models import Product
from quarterdeck.strategy.charts import format_number
from quarterdeck.strategy.models import Health, Level, Status

register = template.Library()

# A shape per status, so the pill reads without colour too (beside its text).
MARKS = {"on_track": "●", "at_risk": "▲", "off_track": "■", "no_data": "○"}


@register.filter
def percent(value: float | None) -> str:
    """A fraction as a whole percentage ('62 %'); '—' when there is none."""
    return "—" if value is None else f"{round(100 * value)} %"


@register.filter
def num(value: float | None) -> str:
    """A key result's number as people write it (strategy.charts.format_number); '—' if none."""
    return "—" if value is None else format_number(value)


@register.simple_tag
def status_pill(status: str) -> str:
    label = Status(status).label if status in Status.values else "No data"
    key = status if status in Status.values else "no_data"
    return format_html(
        '<span class="pill status-{}"><span aria-hidden="true">{}</span> {}</span>',
        key,
        MARKS[key],
        label,
    )


@register.simple_tag
def health_pill(health: str) -> str:
    if health not in Health.values:
        return format_html('<span class="muted">{}</span>', "no check-in yet")
    return format_html(
        '<span class="pill status-{}"><span aria-hidden="true">{}</span> {}</span>',
        health,
        MARKS[health],
        Health(health).label,
    )


@register.simple_tag
def level_badge(level: str) -> str:
    label = Level(level).label if level in Level.values else level
    return format_html('<span class="badge level-{}">{}</span>', level, label)


@register.simple_tag
def progress_bar(value: float | None, label: str = "Progress") -> str:
    """A native <progress> (no inline style: the CSP forbids it) with the number beside it."""
    if value is None:
        return format_html('<span class="progress-none muted">{}</span>', "no progress yet")
    shown = max(0, min(100, round(100 * value)))
    return format_html(
        '<span class="progress-cell"><progress max="100" value="{}" aria-label="{}">{}</progress>'
        '<span class="progress-text">{}</span></span>',
        shown,
        label,
        percent(value),
        percent(value),
    )


@register.inclusion_tag("strategy/_outcomes_card.html", takes_context=True)
def outcomes_card(context: dict[str, Any], product: Product) -> dict[str, Any]:
    """The product's current outcomes, for its portfolio page."""
    from quarterdeck.strategy.pages import product_outcomes
    from quarterdeck.strategy.selectors import may_create_outcome

    user = context.get("user")
    if not isinstance(user, User):
        return {"product": product, "outcomes": [], "may_add": False}
    may_add = may_create_outcome(user, "product", None, product)
    return {"product": product, "outcomes": product_outcomes(user, product), "may_add": may_add}
