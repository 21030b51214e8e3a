"""Forms of the gate pages: an exit criterion, a stage move, a tick, a sunset plan."""

from __future__ import annotations

from typing import Any

from django import forms

from quarterdeck.launches.gates import REQUIREMENTS, STAGES
from quarterdeck.launches.models import CriterionKind, SunsetPlan
from quarterdeck.portfolio.models import Feature, Stage
from quarterdeck.web.forms.common import PageForm, optional_id

EXIT_STAGES = [(s, f"Leaving {Stage(s).label}") for s in STAGES[:-1]]


class CriterionForm(PageForm):
    stage = forms.ChoiceField(choices=EXIT_STAGES, help_text="What must hold to leave this stage.")
    applies_to = forms.ChoiceField(choices=[("feature", "Features"), ("product", "Products")])
    kind = forms.ChoiceField(choices=CriterionKind.choices)
    requirement = forms.ChoiceField(
        required=False,
        label="Data check",
        help_text="For “Required field”: what the data must show.",
    )
    label = forms.CharField(
        max_length=200, required=False, help_text="Empty for a data check: its own name."
    )
    help = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="How to meet it"
    )
    position = forms.IntegerField(min_value=0, max_value=10_000, required=False)
    active = forms.BooleanField(required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["requirement"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "— none (checklist) —")] + [
            (r.key, r.label) for r in REQUIREMENTS.values()
        ]

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if data.get("position") is None:
            data.pop("position", None)
        return data


class MoveForm(PageForm):
    to_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why",
        help_text="Recorded in the stage history.",
    )
    override = forms.BooleanField(
        required=False, label="Override the unmet criteria (leaders and admins, reason needed)"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "gate-move-%s")  # unique among the item page's forms
        super().__init__(*args, **kwargs)


class TickForm(PageForm):
    done = forms.BooleanField(required=False)
    note = forms.CharField(max_length=2000, required=False)


class SunsetForm(PageForm):
    successor_id = optional_id("Successor feature")
    migration_path = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How users move to the successor; what happens to their data.",
    )
    announce_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    read_only_on = forms.DateField(
        required=False, label="Read-only on", widget=forms.DateInput(attrs={"type": "date"})
    )
    shutdown_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    usage_days = forms.IntegerField(
        min_value=1,
        max_value=730,
        initial=90,
        label="Look-back (days)",
        help_text="Accounts that used it in these last days are affected.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, product_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        features = Feature.objects.select_related("product").order_by("product__name", "name")
        if product_id is not None:
            features = features.filter(product_id=product_id)
        field = self.fields["successor_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "— none —")] + [
            (f.pk, f"{f.product.name} / {f.name}") for f in features
        ]

    @staticmethod
    def initial_from(plan: SunsetPlan) -> dict[str, Any]:
        names = ("successor_id", "migration_path", "announce_on", "read_only_on", "shutdown_on")
        return {
            **{n: getattr(plan, n) for n in names},
            "usage_days": plan.usage_days,
            "version": plan.version,
        }

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
