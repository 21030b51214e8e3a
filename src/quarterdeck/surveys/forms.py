"""The forms of the surveys pages: create / edit a survey, and import answers from a CSV file."""

from __future__ import annotations

from typing import Any

from django import forms

from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.portfolio.models import Product
from quarterdeck.portfolio.selectors import list_products
from quarterdeck.surveys.importing import parse_mapping
from quarterdeck.surveys.models import Kind, Survey
from quarterdeck.surveys.selectors import may_manage_survey
from quarterdeck.surveys.services import SURVEY_FIELDS
from quarterdeck.web.forms.common import (
    PageForm,
    choice_label,
    id_choices,
    optional_id,
    set_choices,
)

MAX_UPLOAD = 50 * 1024 * 1024
DATE_CHOICES = [
    ("auto", "Detect (refuses ambiguous dates)"),
    ("dayfirst", "Day first: 31/12/2024 14:30"),
    ("monthfirst", "Month first: 12/31/2024 14:30"),
    ("iso", "ISO 8601: 2024-12-31T14:30"),
]


class SurveyImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, with a header row.")
    mapping = forms.CharField(
        label="Column mapping",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "One COLUMN=field a line. Fields: score, answered_at (both required), comment, "
            "respondent, account, segment, stage, product, external_id."
        ),
        initial="CUSTOMER_RESPONSE_DATE=answered_at\nNPS_SCORE=score\ntext=comment\n"
        "SURVEY_SUB_TYPE=stage",
    )
    date_format = forms.ChoiceField(label="Dates", choices=DATE_CHOICES, initial="auto")
    skip_invalid = forms.BooleanField(
        label="Import the valid rows and skip the others",
        required=False,
        help_text="Without this, one bad row stops the whole import and nothing is written.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is larger than 50 MB; split it into parts.")
        return upload

    def clean_mapping(self) -> dict[str, str]:
        lines = [line for line in self.cleaned_data["mapping"].splitlines() if line.strip()]
        try:
            return parse_mapping(lines)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None


# Create and edit a survey ------------------------------------------------------------------

PICK_PRODUCT = ("", "— choose a product —")
EVENT_FIELDS = ("event_name", "event_survey_id", "score_property", "comment_property")


def _text(label: str, limit: int, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=limit, required=False, help_text=help_text)


def _bound(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=-1000,
        max_value=1000,
        help_text="Leave empty for the kind's default.",
    )


class SurveyForm(PageForm):
    """Field names are the services' keys, so their per-field errors land on the right input.
    Editing leaves the kind out: a survey's kind never changes (the service refuses it)."""

    name = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"autofocus": True}))
    kind = forms.ChoiceField(
        choices=Kind.choices,
        initial=Kind.NPS,
        help_text="NPS is asked on 0-10, CSAT on 1-5, CES on 1-7 unless you set the scale.",
    )
    scale_min = _bound("Lowest score")
    scale_max = _bound("Highest score")
    question = _text("Question", 500, "As the customer reads it, e.g. “How likely …?”")
    product_id = optional_id("Product")
    event_name = _text("Event name", 200, "Events with this name become answers.")
    event_survey_id = _text(
        "Survey id in the event", 200, "Only events whose $survey_id equals this (PostHog)."
    )
    score_property = _text("Score property", 200, "The event property holding the score.")
    comment_property = _text("Comment property", 200, "The event property holding the comment.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, survey: Survey | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.survey = survey
        products = manageable_products(user, survey)
        if may_manage_survey(user, None):
            set_choices(self, "product_id", id_choices(products))
        else:  # only leaders and admins manage surveys without a product
            set_choices(self, "product_id", id_choices(products, empty=PICK_PRODUCT))
            self.fields["product_id"].required = True
            self.fields["product_id"].help_text = "One of the products you may change."
        if survey is not None:
            del self.fields["kind"]
            self.fields["version"].required = True

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if f.name not in EVENT_FIELDS]

    @property
    def event_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in EVENT_FIELDS]

    @property
    def data_fields(self) -> list[str]:
        return [name for name in self.fields if name != "version"]

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.data_fields}

    def conflicts(self, current: Survey) -> list[tuple[str, str, str]]:
        """(field, its stored value, your value) for each field where the two differ."""
        rows = []
        for name in self.data_fields:
            theirs, yours = getattr(current, name), self.cleaned_data.get(name)
            if name.startswith("scale_") and yours is None:
                continue  # empty keeps the stored bound
            if (theirs or None) != (yours or None):
                rows.append(
                    (str(self[name].label), self._show(name, theirs), self._show(name, yours))
                )
        return rows

    def _show(self, name: str, value: Any) -> str:
        if name == "product_id":
            return choice_label(self.fields[name], value)
        return "—" if value in (None, "") else str(value)

    @staticmethod
    def initial_from(survey: Survey) -> dict[str, Any]:
        initial = {name: getattr(survey, name) for name in SURVEY_FIELDS}
        return initial | {"version": survey.version}


def manageable_products(user: User, survey: Survey | None) -> list[Product]:
    """The products this user may attach a survey to (and the survey's own, so it shows)."""
    products = [p for p in list_products(user) if may_manage_survey(user, p)]
    current = survey.product if survey is not None else None
    if current is not None and current not in products:
        products.insert(0, current)
    return products
