"""Forms of the roadmap pages: the filters (board, timeline), saving a view, a view's settings,
a share link and the dates of a card. Field names are the services' keys, so their per-field
errors land on the right input."""

from __future__ import annotations

from typing import Any

from django import forms

from quarterdeck.accounts.models import User
from quarterdeck.people.selectors import list_people
from quarterdeck.portfolio.models import Stage
from quarterdeck.portfolio.selectors import list_lines, list_products
from quarterdeck.roadmap.models import Layout
from quarterdeck.web.forms.common import PageForm, id_choices, set_choices

ANY = ("", "Any")


class FilterForm(PageForm):
    """The board's filters, as GET parameters (parsed by board_validation.clean_filters)."""

    line_id = forms.ChoiceField(label="Product line", required=False)
    product_id = forms.ChoiceField(label="Product", required=False)
    stages = forms.ChoiceField(label="Stage", required=False, choices=[ANY, *Stage.choices])
    owner_id = forms.ChoiceField(label="Owner", required=False)

    def __init__(self, *args: Any, user: User, timeline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "line_id", id_choices(list_lines(user), empty=ANY))
        set_choices(self, "product_id", id_choices(list_products(user), empty=ANY))
        set_choices(self, "owner_id", id_choices(list_people(user), empty=ANY))
        if timeline:
            self.fields["grain"] = forms.ChoiceField(
                label="Scale",
                required=False,
                choices=[("quarter", "Quarters"), ("month", "Months")],
            )


class SaveViewForm(PageForm):
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    layout = forms.ChoiceField(label="Layout", choices=Layout.choices)
    shared = forms.BooleanField(
        label="Share with everyone (read-only for every signed-in user, viewers included)",
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in ("name", "description", "layout", "shared")}


class LinkForm(PageForm):
    label = forms.CharField(
        label="Label", required=False, max_length=200, help_text="Who it is for, e.g. “Board deck”."
    )
    expires_days = forms.IntegerField(
        label="Expires after (days)", required=False, min_value=1, max_value=366,
        help_text="Empty: until revoked.",
    )  # fmt: skip


class DatesForm(PageForm):
    start = forms.DateField(
        label="Start", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="End", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
