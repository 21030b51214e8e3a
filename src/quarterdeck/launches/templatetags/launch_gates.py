"""`launch_gates`: {% gates_card item may_change %}`: a card on the item page."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from quarterdeck.accounts.models import User

register = template.Library()


@register.simple_tag(takes_context=True)
def gates_card(context: Any, item: Any, may_change: bool = False) -> SafeString | str:
    """The item's gate: exit criteria to the next stage, ticks, the move, the last moves."""
    from quarterdeck.launches.gates_views import CARD, card_context

    user = context.get("user")
    if not isinstance(user, User):
        return ""
    body = render_to_string(
        CARD, card_context(user, item, bool(may_change)), request=context.get("request")
    )
    return mark_safe(body)  # noqa: S308 - rendered by the template engine, escaped there
