"""`launch_checks`: `{% launch_checks_card item %}`: the post-launch checks card on a feature's
or product's page (per launch, each success metric's +30/+60/+90 verdicts and a small chart)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from quarterdeck.accounts.models import User
from quarterdeck.launches import checks_pages
from quarterdeck.portfolio.models import Feature, Product
from quarterdeck.portfolio.selectors import may_change_item

register = template.Library()


@register.simple_tag(takes_context=True)
def launch_checks_card(context: Any, item: Any, may_change: bool | None = None) -> str:
    """The page already read ``item`` through its door; whoever reads it reads its checks."""
    user = context.get("user")
    if not isinstance(item, Feature | Product) or not isinstance(user, User):
        return ""
    card = checks_pages.item_card(item)
    allowed = may_change_item(user, item) if may_change is None else may_change
    data = {**card, "may_change": allowed}
    return render_to_string("launches/checks/_card.html", data, request=context.get("request"))
