from __future__ import annotations

from django import forms

MAX_UPLOAD = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="A .json export, a .zip of CSV files, or one CSV file such as people.csv.",
    )
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
