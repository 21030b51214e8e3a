"""`launch_checks`: {% launch_checks_card item may_change %}`: a card on the item page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def launch_checks_card(context: Any, item: Any, may_change: bool = False) -> str:
    return ""
