"""The link from a product's portfolio page to its analytics page, for who may read analytics."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

from quarterdeck.accounts.models import User
from quarterdeck.analytics.selectors import may_read_analytics
from quarterdeck.portfolio.models import Product

register = template.Library()


@register.simple_tag(takes_context=True)
def analytics_link(context: dict[str, Any], item: object) -> str:
    user = context.get("user")
    if not isinstance(item, Product) or not isinstance(user, User):
        return ""
    if not may_read_analytics(user):
        return ""
    url = reverse("analytics:product", args=[item.pk])
    return format_html('<a class="button" href="{}">Analytics</a>', url)
