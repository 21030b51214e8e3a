"""The forms of the feedback pages: the inbox filters, quick add, edit, passage links, CSV
import, themes, close-the-loop, portal settings and the portal's own submit and vote forms.
Field names are the services' keys, so their per-field errors land on the right input."""

from __future__ import annotations

from typing import Any

from django import forms

from quarterdeck.accounts.models import User
from quarterdeck.feedback.models import (
    FeedbackItem,
    Importance,
    Sentiment,
    Source,
    Status,
    Visibility,
)
from quarterdeck.portfolio.selectors import list_products
from quarterdeck.web.forms.common import PageForm, id_choices, optional_id, set_choices

MAX_UPLOAD = 50 * 1024 * 1024
ANY = ("", "Any")
DATE_CHOICES = [
    ("auto", "Detect (refuses ambiguous dates)"),
    ("dayfirst", "Day first: 31/12/2024"),
    ("monthfirst", "Month first: 12/31/2024"),
    ("iso", "ISO 8601: 2024-12-31"),
]
# The fields a CSV column may fill, in the order the mapping form shows them.
IMPORT_FIELDS = [
    ("text", "Text (required)"),
    ("received_at", "Date"),
    ("product", "Product (name)"),
    ("account", "Account id"),
    ("account_name", "Account name"),
    ("segment", "Segment"),
    ("submitter_name", "Submitter name"),
    ("submitter_email", "Submitter e-mail"),
    ("tags", "Tags (comma-separated)"),
    ("source", "Source"),
    ("external_id", "Id in the source"),
]


def _choice(label: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[ANY, *choices], required=False)


class InboxFilter(PageForm):
    """Every filter is optional; one that is not understood is ignored, the others still apply."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    status = _choice("Status", Status.choices)
    source = _choice("Source", Source.choices)
    product = optional_id("Product")
    theme = optional_id("Theme")
    sentiment = _choice("Sentiment", Sentiment.choices)
    has_duplicates = forms.BooleanField(label="Has duplicates", required=False)
    feature = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "product", id_choices(list_products(user), empty=ANY))
        set_choices(self, "theme", id_choices(themes, empty=ANY))
        self.fields["q"].widget.attrs["placeholder"] = "Words in the text, account, submitter"

    def values(self) -> dict[str, Any]:
        """The understood filters (invalid ones dropped)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


def _tags(raw: str) -> list[str]:
    return [tag.strip() for tag in raw.split(",") if tag.strip()]


class ItemForm(PageForm):
    """Quick add (text, product, account, submitter, tags) and, with more fields, edit."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=1_000_000)
    product_id = optional_id("Product")
    account = forms.CharField(label="Account id", required=False, max_length=200)
    account_name = forms.CharField(label="Account name", required=False, max_length=200)
    submitter_name = forms.CharField(label="Submitter", required=False, max_length=200)
    submitter_email = forms.EmailField(label="Submitter e-mail", required=False)
    tags = forms.CharField(required=False, max_length=1000, help_text="Comma-separated.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "product_id", id_choices(list_products(user)))

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["tags"] = _tags(data.get("tags") or "")
        return data

    @staticmethod
    def initial_from(item: FeedbackItem) -> dict[str, Any]:
        return {
            "text": item.text,
            "product_id": item.product_id,
            "account": item.account,
            "account_name": item.account_name,
            "submitter_name": item.submitter_name,
            "submitter_email": item.submitter_email,
            "tags": ", ".join(item.tags or []),
            "version": item.version,
        }

    def conflicts(self, stored: dict[str, Any]) -> list[tuple[str, str, str]]:
        """(label, stored, yours) for every field whose stored value differs from the posted one."""
        rows = []
        for name, field in self.fields.items():
            if name == "version":
                continue
            theirs, mine = stored.get(name), self.cleaned_data.get(name)
            if str(theirs or "") != str(mine or ""):
                rows.append((str(field.label or name), str(theirs or "—"), str(mine or "—")))
        return rows


class PassageLinkForm(PageForm):
    """Link the whole item, or the characters start..end of it, to a feature."""

    feature_id = forms.TypedChoiceField(coerce=int, label="Feature")
    importance = forms.ChoiceField(choices=Importance.choices, initial=Importance.IMPORTANT)
    passage_start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    passage_end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, features: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "feature_id", [("", "— choose a feature —"), *features])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("passage_start"), data.get("passage_end")
        if (start is None) != (end is None) or (start is not None and end <= start):
            raise forms.ValidationError("Select a passage of the text again (it was empty).")
        return data


class ImportForm(PageForm):
    file = forms.FileField(label="CSV file", help_text="UTF-8, with a header row.")
    date_format = forms.ChoiceField(
        label="Dates", choices=DATE_CHOICES, initial="auto", required=False
    )

    def __init__(self, *args: Any, columns: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [("", "— not in the file —"), *((c, c) for c in columns or [])]
        for name, label in IMPORT_FIELDS:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=label, choices=options, required=False
            )
            if columns and (guess := _guess(name, columns)):
                self.fields[f"map_{name}"].initial = guess
        if columns is None:  # the first step: only the file
            for name, _ in IMPORT_FIELDS:
                del self.fields[f"map_{name}"]

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload is not None and upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is larger than 50 MB; split it into parts.")
        return upload

    def mapping(self) -> dict[str, str]:
        """CSV column → field, for the fields that were given a column."""
        pairs = ((self.cleaned_data.get(f"map_{name}"), name) for name, _ in IMPORT_FIELDS)
        return {column: name for column, name in pairs if column}

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[f"map_{name}"] for name, _ in IMPORT_FIELDS if f"map_{name}" in self.fields]


def _guess(field: str, columns: list[str]) -> str | None:
    """A column whose name looks like the field (Text, text, comment…)."""
    aliases = {"text": ("text", "comment", "feedback", "body"), "received_at": ("date", "created")}
    wanted = aliases.get(field, (field, field.replace("_", " ")))
    for column in columns:
        if column.strip().lower() in wanted or column.strip().lower() == field:
            return column
    return None


class RenameForm(PageForm):
    name = forms.CharField(max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MergeForm(PageForm):
    themes = forms.TypedMultipleChoiceField(coerce=int, label="Themes")
    name = forms.CharField(max_length=200, required=False, label="Name of the merged theme")

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["themes"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t.pk, t.name) for t in themes]

    def clean_themes(self) -> list[int]:
        chosen: list[int] = self.cleaned_data["themes"]
        if len(chosen) < 2:
            raise forms.ValidationError("Tick at least two themes to merge.")
        return chosen


class LoopForm(PageForm):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000)
    force = forms.BooleanField(required=False, label="Send again although it was sent before")


class PortalForm(PageForm):
    slug = forms.SlugField(max_length=80, help_text="The portal's address: /portal/<slug>/")
    title = forms.CharField(max_length=200)
    intro = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.SIGNED_IN)
    enabled = forms.BooleanField(required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PortalSubmitForm(PageForm):
    text = forms.CharField(
        label="Your idea", widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )
    product_id = optional_id("Product")
    name = forms.CharField(label="Your name", required=False, max_length=200)
    email = forms.EmailField(label="Your e-mail", required=False)

    def __init__(self, *args: Any, products: Any, ask_email: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "product_id", id_choices(products, empty=("", "— not sure —")))
        if ask_email:
            self.fields["email"].required = True
        else:
            del self.fields["name"], self.fields["email"]


class VoteForm(PageForm):
    email = forms.EmailField(label="Your e-mail")
    name = forms.CharField(label="Your name", required=False, max_length=200)
