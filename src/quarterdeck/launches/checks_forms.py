"""Forms of the post-launch check pages: a success metric, its target."""

from __future__ import annotations

from typing import Any

from django import forms

from quarterdeck.kpis.models import FEATURE_METRICS, PRODUCT_METRICS, Metric
from quarterdeck.launches.models import Direction, LaunchPlan
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.portfolio.models import Feature

SERIES = [(m.value, f"{m.label} — product") for m in PRODUCT_METRICS] + [
    (m.value, f"{m.label} — feature") for m in FEATURE_METRICS
]


class ServiceErrors:
    def add_service_errors(self, exc: InvalidInput) -> None:
        form: Any = self
        names = set(form.fields)
        for name, messages in (exc.fields or {}).items():
            target = name.removesuffix("_id") if name.removesuffix("_id") in names else name
            for message in messages:
                form.add_error(target if target in names else None, message)
        if not exc.fields:
            form.add_error(None, exc.message)


class MetricForm(ServiceErrors, forms.Form):
    metric = forms.ChoiceField(label="Metric", choices=SERIES, initial=Metric.FEATURE_ADOPTION_30D)
    feature = forms.TypedChoiceField(
        label="Feature measured",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="For feature metrics; default: the plan's feature. Product metrics: leave empty.",
    )
    label = forms.CharField(label="Label", max_length=200, required=False)
    direction = forms.ChoiceField(label="Better when", choices=Direction.choices)
    target = forms.FloatField(
        label="Target",
        required=False,
        help_text="In the metric's unit: a share (0.30 = 30 %) for adoption and stickiness.",
    )
    baseline_days = forms.IntegerField(
        label="Baseline days", min_value=7, max_value=90, initial=28,
        help_text="Days before launch averaged for daily counts (DAU, feature users).",
    )  # fmt: skip

    def __init__(self, *args: Any, plan: LaunchPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        features = Feature.objects.filter(product_id=plan.product_id).order_by("name")
        field: Any = self.fields["feature"]
        field.choices = [("", "—"), *((f.pk, f.name) for f in features)]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["feature_id"] = data.pop("feature")
        return data


class TargetForm(ServiceErrors, forms.Form):
    target = forms.FloatField(label="Target", required=False)
