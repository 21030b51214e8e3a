"""Money, percentages and ratios on the revenue page; undefined values show as a dash."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()
DASH = "—"


@register.filter
def money(value: Decimal | None) -> str:
    return DASH if value is None else f"{value:,.2f}"


@register.filter
def percent(value: Decimal | None) -> str:
    return DASH if value is None else f"{value * 100:.1f} %"


@register.filter
def ratio(value: Decimal | None) -> str:
    return DASH if value is None else f"{value:.2f}"
