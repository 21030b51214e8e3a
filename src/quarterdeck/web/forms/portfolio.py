"""Forms for product lines, products and features (create and edit), and the portfolio filter."""

from __future__ import annotations

from typing import Any

from django import forms

from quarterdeck.accounts.models import User
from quarterdeck.people.selectors import list_people
from quarterdeck.portfolio.models import FeatureKind, PortfolioItem, Stage
from quarterdeck.portfolio.selectors import list_features, list_lines, list_products
from quarterdeck.web.forms.common import (
    PageForm,
    choice_label,
    id_choices,
    optional_id,
    set_choices,
)

REASON_HELP = "Kept in the stage history: what made the item move."


class StageSelect(forms.Select):
    """Marks the stage the item had when the form was drawn, so the stylesheet can reveal the
    reason field as soon as another stage is picked — no script needed."""

    def __init__(self, initial_stage: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.initial_stage = initial_stage

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if self.initial_stage and option["value"] == self.initial_stage:
            option["attrs"]["data-initial"] = True
        return option


def parse_links(text: str) -> list[dict[str, str]]:
    """'Label https://…' or just 'https://…' per line; the address is the last word."""
    links = []
    for line in text.splitlines():
        words = line.split()
        if words:
            url, label = words[-1], " ".join(words[:-1])
            links.append({"label": label or url, "url": url})
    return links


def links_text(links: list[dict[str, str]]) -> str:
    return "\n".join(
        link["url"]
        if link.get("label") in (None, "", link["url"])
        else f"{link['label']} {link['url']}"
        for link in links
    )


def require_reason(form: forms.Form, cleaned: dict[str, Any]) -> None:
    was = cleaned.get("stage_was")
    if (
        was
        and cleaned.get("stage") not in (None, was)
        and not cleaned.get("stage_reason", "").strip()
    ):
        form.add_error("stage_reason", "Say why the stage changes; it goes into the stage history.")


class ItemForm(PageForm):
    """What lines, products and features share. Field names are the services' keys, so their
    per-field errors land on the right input."""

    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    owner_id = optional_id("Owner")
    stage = forms.ChoiceField(choices=Stage.choices)
    stage_reason = forms.CharField(
        label="Why does the stage change?", required=False, max_length=2000, help_text=REASON_HELP
    )
    target_segments = forms.CharField(
        required=False, help_text="Comma-separated, e.g. “SMB, Mid-market”."
    )
    links = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One per line: a label and the address (“Spec https://…”), or just the address.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The stage when the form was drawn: a different stage on submit needs a reason.
    stage_was = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput, required=False)

    data_fields: tuple[str, ...] = (
        "name",
        "description",
        "owner_id",
        "stage",
        "target_segments",
        "links",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        set_choices(self, "owner_id", id_choices(list_people(user)))
        self.fields["stage"].widget = StageSelect(self.initial_stage, choices=Stage.choices)

    @property
    def initial_stage(self) -> str | None:
        value = self.data.get("stage_was") if self.is_bound else self.initial.get("stage_was")
        return str(value) if value in Stage.values else None

    def clean_target_segments(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data["target_segments"].split(",") if s.strip()]

    def clean_links(self) -> list[dict[str, str]]:
        return parse_links(self.cleaned_data["links"])

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        require_reason(self, cleaned)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.data_fields}

    def conflicts(self, current: PortfolioItem) -> list[tuple[str, str, str]]:
        """(field, their current value, your value) for each field where the two differ."""
        rows = []
        for name in self.data_fields:
            theirs, yours = getattr(current, name), self.cleaned_data.get(name)
            if theirs != yours and not (theirs in (None, "") and yours in (None, "")):
                rows.append(
                    (
                        str(self[name].label),
                        self.show(name, theirs),
                        self.show(name, yours),
                    )
                )
        return rows

    def show(self, name: str, value: Any) -> str:
        if name == "links":
            return links_text(value or []) or "—"
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "—"
        if isinstance(self.fields[name], forms.ChoiceField):
            return choice_label(self.fields[name], value)
        return str(value) if value not in (None, "") else "—"

    @classmethod
    def initial_from(cls, item: PortfolioItem) -> dict[str, Any]:
        """The form's values for an item: every data field, including the kind's own."""
        initial = {name: getattr(item, name) for name in cls.data_fields}
        initial.update(
            target_segments=", ".join(item.target_segments or []),
            links=links_text(item.links or []),
            version=item.version,
            stage_was=item.stage,
        )
        return initial


class LineForm(ItemForm):
    parent_id = optional_id("Parent line", help_text="Leave empty for a top-level product line.")
    data_fields = (*ItemForm.data_fields, "parent_id")
    field_order = ("name", "parent_id")

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        set_choices(self, "parent_id", id_choices(list_lines(user), empty=("", "— top level —")))


class ProductForm(ItemForm):
    line_id = forms.TypedChoiceField(coerce=int, label="Product line")
    data_fields = (*ItemForm.data_fields, "line_id")
    field_order = ("name", "line_id")

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        set_choices(self, "line_id", id_choices(list_lines(user), empty=None))


class FeatureForm(ItemForm):
    product_id = forms.TypedChoiceField(coerce=int, label="Product")
    parent_id = optional_id("Parent feature", help_text="Only for a sub-feature.")
    kind = forms.ChoiceField(choices=FeatureKind.choices, initial=FeatureKind.FEATURE)
    data_fields = (*ItemForm.data_fields, "product_id", "parent_id", "kind")
    field_order = ("name", "kind", "product_id", "parent_id")

    def __init__(self, *args: Any, user: User, product_id: int | None = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        set_choices(self, "product_id", id_choices(list_products(user), empty=None))
        parents = list_features(user, product_id=product_id) if product_id else list_features(user)
        set_choices(self, "parent_id", id_choices(parents, empty=("", "— none (top level) —")))


class StageInlineForm(PageForm):
    stage = forms.ChoiceField(choices=Stage.choices)
    stage_reason = forms.CharField(
        label="Why?", required=False, max_length=2000, help_text=REASON_HELP
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    stage_was = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        was = self.data.get("stage_was") if self.is_bound else self.initial.get("stage_was")
        self.fields["stage"].widget = StageSelect(was, choices=Stage.choices)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        require_reason(self, cleaned)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {"stage": self.cleaned_data["stage"]}

    @staticmethod
    def initial_from(item: PortfolioItem) -> dict[str, Any]:
        return {"stage": item.stage, "stage_was": item.stage, "version": item.version}


class OwnerInlineForm(PageForm):
    owner_id = optional_id("Owner")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "owner_id", id_choices(list_people(user)))

    def service_data(self) -> dict[str, Any]:
        return {"owner_id": self.cleaned_data["owner_id"]}

    @staticmethod
    def initial_from(item: PortfolioItem) -> dict[str, Any]:
        return {"owner_id": item.owner_id, "version": item.version}


class PortfolioFilter(PageForm):
    """The GET filter of the portfolio tree."""

    line = optional_id("Product line")
    owner = optional_id("Owner")
    stage = forms.ChoiceField(choices=[("", "Any stage"), *Stage.choices], required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "line", id_choices(list_lines(user), empty=("", "All lines")))
        set_choices(self, "owner", id_choices(list_people(user), empty=("", "Anyone")))
