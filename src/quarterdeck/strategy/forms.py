"""Forms of the strategy pages: the outcomes filter, outcomes, check-ins, the vision and pillars.
Field names are the services' keys, so a service's per-field errors land on the right input;
the services decide what is valid (the forms only type what people enter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from quarterdeck.accounts.models import User
from quarterdeck.people.selectors import list_people
from quarterdeck.portfolio.selectors import list_lines, list_products
from quarterdeck.strategy.models import Health, Level, Outcome, Status
from quarterdeck.strategy.selectors import list_outcomes, list_pillars, periods
from quarterdeck.web.forms.common import (
    PageForm,
    choice_label,
    id_choices,
    optional_id,
    set_choices,
)

CUSTOM = ("custom", "Custom dates")


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def period_choices(today: dt.date, keep: str | None = None) -> list[tuple[str, str]]:
    """The quarters around today (the current one first), the outcome's own if older, custom."""
    quarters = periods(today)
    if keep and keep != CUSTOM[0] and keep not in quarters:
        quarters.append(keep)
    return [*((q, q) for q in quarters), CUSTOM]


class VersionedForm(PageForm):
    """A form that edits a versioned object: the version it was drawn from travels with it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    data_fields: tuple[str, ...] = ()

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.data_fields}

    def conflicts(self, current: dict[str, Any]) -> list[tuple[str, str, str]]:
        """(field, stored value, your value) where the stored object differs from the form."""
        rows = []
        for name in self.data_fields:
            theirs, yours = current.get(name), self.cleaned_data.get(name)
            if _shown(self.fields[name], theirs) != _shown(self.fields[name], yours):
                label = str(self[name].label)
                rows.append(
                    (label, _shown(self.fields[name], theirs), _shown(self.fields[name], yours))
                )
        return rows


def _shown(field: forms.Field, value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return ", ".join(choice_label(field, v) for v in sorted(value)) or "—"
    if isinstance(field, forms.ChoiceField):
        return choice_label(field, value)
    return "—" if value in (None, "") else str(value)


# Outcomes -------------------------------------------------------------------------------------


def parent_choices(user: User, exclude: int | None) -> list[tuple[Any, Any]]:
    """Company and line outcomes (product outcomes have nothing below them), grouped by level;
    the service checks the finer rules (a product aligns to its own line's outcomes)."""
    groups: dict[str, list[tuple[int, str]]] = {Level.COMPANY: [], Level.LINE: []}
    for outcome in list_outcomes(user).exclude(level=Level.PRODUCT).order_by("level", "title"):
        if outcome.pk != exclude:
            where = f" — {outcome.line}" if outcome.line else ""
            groups[outcome.level].append((outcome.pk, f"{outcome.title}{where} ({outcome.period})"))
    return [
        ("", "— none: a top-level outcome —"),
        ("Company outcomes", groups[Level.COMPANY]),
        ("Product line outcomes", groups[Level.LINE]),
    ]


class OutcomeForm(VersionedForm):
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"autofocus": True}))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    level = forms.ChoiceField(choices=Level.choices, widget=forms.RadioSelect)
    line_id = optional_id("Product line", help_text="For a product line outcome.")
    product_id = optional_id("Product", help_text="For a product outcome.")
    parent_id = optional_id("Aligned to", help_text="The outcome this one contributes to.")
    period = forms.ChoiceField(label="Period")
    start = forms.DateField(required=False, widget=date_input(), help_text="Custom period only.")
    end = forms.DateField(required=False, widget=date_input(), help_text="Custom period only.")
    owner_id = optional_id("Owner")
    pillar_ids = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Pillars served", widget=forms.CheckboxSelectMultiple
    )
    weight = forms.FloatField(initial=1.0, help_text="Its share in the parent's progress.")

    data_fields = (
        "title",
        "description",
        "level",
        "line_id",
        "product_id",
        "parent_id",
        "period",
        "start",
        "end",
        "owner_id",
        "pillar_ids",
        "weight",
    )

    def __init__(
        self, *args: Any, user: User, today: dt.date, outcome: Outcome | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        keep = outcome.period if outcome else None
        set_choices(self, "period", period_choices(today, keep))
        set_choices(self, "line_id", id_choices(list_lines(user)))
        set_choices(self, "product_id", id_choices(list_products(user)))
        set_choices(self, "owner_id", id_choices(list_people(user)))
        set_choices(self, "pillar_ids", id_choices(list_pillars(user), empty=None))
        set_choices(self, "parent_id", parent_choices(user, outcome.pk if outcome else None))

    def service_data(self) -> dict[str, Any]:
        """What the level does not use is cleared; a quarter sets its own dates."""
        data = super().service_data()
        if data["level"] != Level.LINE:
            data["line_id"] = None
        if data["level"] != Level.PRODUCT:
            data["product_id"] = None
        if data["period"] != CUSTOM[0]:
            del data["start"], data["end"]
        return data

    @staticmethod
    def initial_from(outcome: Outcome) -> dict[str, Any]:
        names = [n for n in OutcomeForm.data_fields if n != "pillar_ids"]
        initial = {name: getattr(outcome, name) for name in names}
        initial["pillar_ids"] = [p.pk for p in outcome.pillars.all()]
        initial["version"] = outcome.version
        return initial


class OutcomesFilter(PageForm):
    """The GET filter of the outcomes page (the period defaults to the current quarter)."""

    period = forms.ChoiceField(required=False)
    level = forms.ChoiceField(choices=[("", "Any level"), *Level.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    line = optional_id("Product line")

    def __init__(self, *args: Any, user: User, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quarters = [(q, q) for q in periods(today)]
        set_choices(self, "period", [*quarters, CUSTOM, ("all", "All periods")])
        set_choices(self, "line", id_choices(list_lines(user), empty=("", "All lines")))


class CheckInForm(PageForm):
    health = forms.ChoiceField(
        choices=Health.choices, widget=forms.RadioSelect, label="How is it going?"
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def service_data(self) -> dict[str, Any]:
        return {"health": self.cleaned_data["health"], "note": self.cleaned_data["note"]}


# Vision and pillars ---------------------------------------------------------------------------


class VisionForm(VersionedForm):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "autofocus": True}), label="Vision statement"
    )
    horizon = forms.CharField(max_length=100, required=False, help_text="For example 2026-2028.")
    cpo_id = optional_id("Signs for product (CPO)")
    cto_id = optional_id("Signs for technology (CTO)")
    data_fields = ("statement", "horizon", "cpo_id", "cto_id")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = id_choices(list_people(user))
        set_choices(self, "cpo_id", people)
        set_choices(self, "cto_id", people)


class PillarForm(VersionedForm):
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autofocus": True}))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    position = forms.IntegerField(min_value=0, initial=0, help_text="Pillars are listed by it.")
    data_fields = ("name", "description", "position")


class PillarLinksForm(VersionedForm):
    line_ids = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Product lines", widget=forms.CheckboxSelectMultiple
    )
    product_ids = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Products", widget=forms.CheckboxSelectMultiple
    )
    data_fields = ("line_ids", "product_ids")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "line_ids", id_choices(list_lines(user), empty=None))
        set_choices(self, "product_ids", id_choices(list_products(user), empty=None))


class SignOffForm(PageForm):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
