"""The import form of a survey: a CSV file, a column mapping, a date format, skip invalid."""

from __future__ import annotations

from django import forms

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.surveys.importing import parse_mapping

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
