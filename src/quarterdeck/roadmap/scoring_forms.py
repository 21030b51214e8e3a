"""Forms and input parsing of the scoring pages."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import forms

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.portfolio.models import Stage
from quarterdeck.roadmap.models import Framework, ScoringModel
from quarterdeck.roadmap.scoring_selectors import ScoreFilters


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**63 else None


def filters_from(params: Mapping[str, str]) -> ScoreFilters:
    """The page filters from the query string; junk is ignored rather than refused."""
    stage = params.get("stage") or None
    return ScoreFilters(
        scoring_model_id=_int(params.get("model")),
        line_id=_int(params.get("line")),
        product_id=_int(params.get("product")),
        stage=stage if stage in Stage.values else None,
    )


def parse_inputs(model: ScoringModel, data: Mapping[str, str]) -> dict[str, float | None]:
    """Criterion fields ``c_<key>`` of a posted form; empty drops the input."""
    found: dict[str, float | None] = {}
    wrong: dict[str, list[str]] = {}
    for criterion in model.criteria:
        key = criterion["key"]
        raw = (data.get(f"c_{key}") or "").strip().replace(",", ".")
        if not raw:
            found[key] = None
            continue
        try:
            found[key] = float(raw)
        except ValueError:
            wrong[key] = [f"“{raw}” is not a number."]
    if wrong:
        raise InvalidInput("Some inputs are not numbers.", fields=wrong)
    return found


def parse_version(raw: str | None) -> int | None:
    return _int(raw)


class ModelForm(forms.Form):
    name = forms.CharField(max_length=200)
    framework = forms.ChoiceField(choices=Framework.choices, initial=Framework.CUSTOM)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "class": "mono", "spellcheck": "false"}),
        help_text='JSON: [{"key": "reach", "label": "Reach", "kind": "number", "min": 0}, '
        '{"key": "impact", "kind": "choice", "choices": [1, 2, 3]}]',
    )
    formula = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono", "spellcheck": "false"}),
        help_text="E.g. reach * impact * (confidence / 100) / effort — names: the criteria "
        "keys and the fields (demand, effort_total, metric.product_mau, …).",
    )
    value_key = forms.CharField(required=False, max_length=100, label="Matrix value (y)")
    effort_key = forms.CharField(required=False, max_length=100, label="Matrix effort (x)")
    size_key = forms.CharField(required=False, max_length=100, label="Bubble size")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_model(cls, model: ScoringModel) -> ModelForm:
        initial = {name: getattr(model, name) for name in cls.base_fields if name != "criteria"}
        return cls(initial={**initial, "criteria": json.dumps(model.criteria, indent=1)})

    def clean_criteria(self) -> Any:
        try:
            return json.loads(self.cleaned_data["criteria"])
        except ValueError as exc:
            raise forms.ValidationError(f"Not valid JSON: {exc}.") from None

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def add_service_errors(self, exc: InvalidInput) -> None:
        for name, problems in exc.fields.items():
            for problem in problems:
                self.add_error(name if name in self.fields else None, problem)
        if not exc.fields:
            self.add_error(None, exc.message)
