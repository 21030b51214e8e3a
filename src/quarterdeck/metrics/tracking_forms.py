"""Forms of the tracking pages: a product's event conditions, a feature's usage definition."""

from __future__ import annotations

from typing import Any

from django import forms

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.metrics.conditions_text import HELP, format_text, parse_text
from quarterdeck.metrics.models import FeatureUsage, ProductTracking
from quarterdeck.web.forms.common import PageForm


class _ConditionsForm(PageForm):
    conditions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "mono"}),
        label="Property conditions",
        help_text=HELP,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_conditions(self) -> list[dict[str, Any]]:
        try:
            return parse_text(self.cleaned_data.get("conditions") or "")
        except InvalidInput as exc:
            raise forms.ValidationError(exc.fields["conditions"]) from exc

    def add_service_errors(self, exc: InvalidInput, aliases: dict[str, str] | None = None) -> None:
        """Errors on ``conditions[2]`` (from the service) belong to the conditions field."""
        fields: dict[str, list[str]] = {}
        for name, messages in exc.fields.items():
            target = "conditions" if name.startswith("conditions") else name
            fields.setdefault(target, []).extend(messages)
        super().add_service_errors(InvalidInput(exc.message, fields=fields), aliases)


class ProductTrackingForm(_ConditionsForm):
    def service_data(self) -> dict[str, Any]:
        return {"conditions": self.cleaned_data["conditions"]}

    @staticmethod
    def initial_from(row: ProductTracking | None) -> dict[str, Any]:
        if row is None:
            return {"conditions": "", "version": 0}
        return {"conditions": format_text(row.conditions), "version": row.version}


class FeatureUsageForm(_ConditionsForm):
    event = forms.CharField(
        max_length=200,
        required=False,
        label="Event name",
        help_text="The tracked event that means “used it”, e.g. Route Replanned. "
        "Empty: any event of the product that meets the conditions.",
    )
    field_order = ["event", "conditions", "version"]

    def service_data(self) -> dict[str, Any]:
        return {"event": self.cleaned_data["event"], "conditions": self.cleaned_data["conditions"]}

    @staticmethod
    def initial_from(row: FeatureUsage | None) -> dict[str, Any]:
        if row is None:
            return {"event": "", "conditions": "", "version": 0}
        text = format_text(row.conditions)
        return {"event": row.event, "conditions": text, "version": row.version}
