"""The source form of the sources pages."""

from __future__ import annotations

from typing import Any

from django import forms

from quarterdeck.accounts.models import User
from quarterdeck.metrics.models import DEFAULT_GROUP_TYPE, Source
from quarterdeck.portfolio.selectors import list_products
from quarterdeck.web.forms.common import PageForm, set_choices


class SourceForm(PageForm):
    name = forms.CharField(max_length=100, help_text="E.g. the app or service that sends.")
    product_ids = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        label="Products it feeds",
        widget=forms.CheckboxSelectMultiple,
    )
    account_group_type = forms.CharField(
        max_length=100,
        required=False,
        initial=DEFAULT_GROUP_TYPE,
        label="Account group type (PostHog)",
        help_text="The PostHog group type whose key is the customer account.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = list_products(user).order_by("line__name", "name")
        set_choices(self, "product_ids", [(p.pk, f"{p.line.name} / {p.name}") for p in products])

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        group_type = data["account_group_type"] or DEFAULT_GROUP_TYPE
        return {
            "name": data["name"],
            "product_ids": data["product_ids"],
            "account_group_type": group_type,
        }

    @staticmethod
    def initial_from(source: Source) -> dict[str, Any]:
        return {
            "name": source.name,
            "product_ids": [product.pk for product in source.products.all()],
            "account_group_type": source.account_group_type,
            "version": source.version,
        }
