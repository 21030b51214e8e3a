"""Helpers shared by the page forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from quarterdeck.lib.errors import InvalidInput

NONE_CHOICE = ("", "— none —")


class PageForm(forms.Form):
    required_css_class = "required"
    error_css_class = "has-error"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_service_errors(self, exc: InvalidInput, aliases: dict[str, str] | None = None) -> None:
        """Show a service's per-field messages on the matching fields (the rest on the form)."""
        aliases = aliases or {}
        if not exc.fields:
            self.add_error(None, exc.message)
        for name, messages in exc.fields.items():
            target = aliases.get(name, name)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


def id_choices(
    objects: Iterable[Any], *, empty: tuple[str, str] | None = NONE_CHOICE
) -> list[tuple[Any, str]]:
    choices: list[tuple[Any, str]] = [empty] if empty else []
    choices.extend((obj.pk, str(obj)) for obj in objects)
    return choices


def set_choices(form: forms.Form, name: str, choices: list[tuple[Any, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def optional_id(label: str, **kwargs: Any) -> forms.TypedChoiceField:
    """A select of ids whose empty choice means None (no owner, no parent...)."""
    return forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label=label, **kwargs
    )


def choice_label(field: forms.Field, value: Any) -> str:
    for key, label in getattr(field, "choices", ()):
        if str(key) == str(value if value is not None else ""):
            return str(label)
    return "—" if value in (None, "", []) else str(value)
