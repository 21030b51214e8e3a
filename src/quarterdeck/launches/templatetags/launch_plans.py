"""`launch_plans`: {% launch_plans_card item may_change %}`: the launch plans card on a feature's
or product's page (plans, status, progress, next milestone, "New launch plan")."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from quarterdeck.accounts.models import User
from quarterdeck.launches import plans_pages
from quarterdeck.portfolio.models import Feature, Product

register = template.Library()


@register.simple_tag(takes_context=True)
def launch_plans_card(context: Any, item: Any, may_change: bool = False) -> str:
    user = context.get("user")
    if not isinstance(item, Feature | Product) or not isinstance(user, User):
        return ""
    card = plans_pages.item_card(user, item)
    kind = "feature" if isinstance(item, Feature) else "product"
    data = {**card, "kind": kind, "may_change": may_change}
    return render_to_string("launches/plans/_card.html", data, request=context.get("request"))
