"""Forms of the account page."""

from __future__ import annotations

from django import forms

from quarterdeck.web.forms.common import PageForm


class TokenForm(PageForm):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What the token is for, e.g. “CI export” or “laptop”.",
    )
