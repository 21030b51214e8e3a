"""The key result form: a source, the metric fields of that source, and the numbers. The form
only types what people enter and assembles the binding (``metric``); strategy/bindings.py
decides what a valid binding is, and its ``metric.<key>`` errors land on these fields."""

from __future__ import annotations

from typing import Any, Final

from django import forms

from quarterdeck.accounts.models import User
from quarterdeck.analytics.forms import MEASURE_CHOICES
from quarterdeck.portfolio.selectors import list_features, list_lines, list_products
from quarterdeck.revenue.metrics import METRICS
from quarterdeck.strategy.forms import VersionedForm, date_input
from quarterdeck.strategy.models import Direction, KeyResult, Source
from quarterdeck.surveys.selectors import list_surveys
from quarterdeck.web.forms.common import PageForm, id_choices, optional_id, set_choices

ANALYTICS_KINDS: Final = [
    ("active-users", "Active users (DAU, WAU, MAU…)"),
    ("feature-adoption", "Feature adoption"),
    ("retention", "Retention"),
    ("funnel", "Funnel conversion"),
    ("lifecycle", "Lifecycle (new, returning…)"),
]
SERIES_CHOICES: Final = [
    ("", "The usual number of the insight"),
    ("adoption", "Adoption (share of users)"),
    ("adopters", "Adopters (users)"),
    ("conversion", "Conversion (share)"),
    ("completed", "Completed (users)"),
    *((f"period_{n}", f"Retained after {n} period{'s' if n > 1 else ''}") for n in (1, 2, 4, 8)),
    *((s, f"Lifecycle: {s}") for s in ("new", "returning", "resurrecting", "dormant")),
]
# A binding error's field → the form field that shows it.
METRIC_FIELDS: Final = {
    "metric.query": "analytics_kind",
    "metric.query.kind": "analytics_kind",
    "metric.query.product_id": "analytics_product",
    "metric.query.measure": "analytics_measure",
    "metric.query.features": "analytics_feature",
    "metric.query.last_days": "analytics_days",
    "metric.series": "analytics_series",
    "metric.survey_id": "survey_id",
    "metric.window_days": "survey_window",
    "metric.metric": "revenue_metric",
    "metric.product_id": "revenue_product",
    "metric.line_id": "revenue_line",
}
SOURCE_FIELDS: Final = {
    Source.ANALYTICS: (
        "analytics_product",
        "analytics_kind",
        "analytics_measure",
        "analytics_feature",
        "analytics_series",
        "analytics_days",
    ),
    Source.SURVEY: ("survey_id", "survey_window"),
    Source.REVENUE: ("revenue_metric", "revenue_product", "revenue_line"),
    Source.MANUAL: (),
}


class KeyResultForm(VersionedForm):
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"autofocus": True}))
    source = forms.ChoiceField(
        choices=Source.choices, widget=forms.RadioSelect, label="Where the values come from"
    )
    analytics_product = optional_id("Product", help_text="Its events only.")
    analytics_kind = forms.ChoiceField(choices=ANALYTICS_KINDS, required=False, label="Insight")
    analytics_measure = forms.ChoiceField(
        choices=MEASURE_CHOICES, required=False, label="Measure", initial="mau"
    )
    analytics_feature = optional_id("Feature", help_text="Optional: one tracked feature.")
    analytics_series = forms.ChoiceField(
        choices=SERIES_CHOICES, required=False, label="Number to follow"
    )
    analytics_days = forms.IntegerField(
        required=False, initial=30, min_value=1, label="Window (days)",
        help_text="Adoption, retention and funnels are read over this trailing window.",
    )  # fmt: skip
    survey_id = optional_id("Survey", help_text="Its kind gives the score: NPS, CSAT or CES.")
    survey_window = forms.IntegerField(
        required=False, initial=90, min_value=1, label="Window (days)",
        help_text="The score of the answers in the days up to each point.",
    )  # fmt: skip
    revenue_metric = forms.ChoiceField(
        choices=[(name, name.upper().replace("_", " ")) for name in METRICS],
        required=False,
        label="Revenue metric",
    )
    revenue_product = optional_id("Of the product")
    revenue_line = optional_id("Or of the product line", help_text="Neither: the whole company.")
    unit = forms.CharField(max_length=30, required=False, help_text="users, %, NPS, EUR…")
    baseline = forms.FloatField()
    target = forms.FloatField()
    direction = forms.ChoiceField(
        choices=[("", "Follows from baseline and target"), *Direction.choices], required=False
    )
    start = forms.DateField(required=False, widget=date_input(), help_text="Empty: the outcome's.")
    end = forms.DateField(required=False, widget=date_input(), help_text="Empty: the outcome's.")
    weight = forms.FloatField(initial=1.0, help_text="Its share in the outcome's progress.")
    data_fields = ("title", "source", "unit", "baseline", "target", "direction", "start", "end",
                   "weight")  # fmt: skip

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = id_choices(list_products(user))
        set_choices(self, "analytics_product", products)
        set_choices(self, "revenue_product", products)
        set_choices(self, "revenue_line", id_choices(list_lines(user)))
        features = [(f.pk, f"{f.product.name} · {f.name}") for f in list_features(user)]
        set_choices(self, "analytics_feature", [("", "— none —"), *features])
        set_choices(self, "survey_id", id_choices(list_surveys(user)))

    def metric(self) -> dict[str, Any]:
        data = self.cleaned_data
        source = data["source"]
        if source == Source.ANALYTICS:
            return analytics_metric(data)
        if source == Source.SURVEY:
            return {"survey_id": data["survey_id"], "window_days": data["survey_window"] or 90}
        if source == Source.REVENUE:
            metric = {"metric": data["revenue_metric"]}
            for key, name in (("product_id", "revenue_product"), ("line_id", "revenue_line")):
                if data[name] is not None:
                    metric[key] = data[name]
            return metric
        return {}

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["metric"] = self.metric()
        for name in ("direction", "start", "end"):
            if data[name] in (None, ""):
                del data[name]
        return data

    def add_metric_errors(self, exc: Any) -> None:
        self.add_service_errors(exc, aliases=METRIC_FIELDS)

    @staticmethod
    def initial_from(kr: KeyResult) -> dict[str, Any]:
        initial = {name: getattr(kr, name) for name in KeyResultForm.data_fields}
        initial.update(binding_initial(kr.source, kr.metric or {}), version=kr.version)
        initial["direction"] = ""  # it follows from baseline and target unless chosen anew
        return initial


def analytics_metric(data: dict[str, Any]) -> dict[str, Any]:
    kind = data["analytics_kind"] or "active-users"
    query: dict[str, Any] = {"kind": kind, "last_days": data["analytics_days"] or 30}
    if data["analytics_product"] is not None:
        query["product_id"] = data["analytics_product"]
    if data["analytics_feature"] is not None:
        query["features"] = [data["analytics_feature"]]
    series = data["analytics_series"]
    if kind == "active-users":
        # The measure is the number followed: one line per measure would be several numbers.
        query["measure"] = series = data["analytics_measure"] or "mau"
    return {"query": query, "series": series}


def binding_initial(source: str, metric: dict[str, Any]) -> dict[str, Any]:
    """The form fields of a stored binding (the inverse of KeyResultForm.metric)."""
    if source == Source.SURVEY:
        return {"survey_id": metric.get("survey_id"), "survey_window": metric.get("window_days")}
    if source == Source.REVENUE:
        return {
            "revenue_metric": metric.get("metric"),
            "revenue_product": metric.get("product_id"),
            "revenue_line": metric.get("line_id"),
        }
    if source != Source.ANALYTICS:
        return {}
    query = metric.get("query") or {}
    features = query.get("features") or [None]
    return {
        "analytics_product": query.get("product_id"),
        "analytics_kind": query.get("kind"),
        "analytics_measure": str(query.get("measure") or "mau").split(",")[0],
        "analytics_feature": features[0],
        "analytics_series": "" if query.get("kind") == "active-users" else metric.get("series"),
        "analytics_days": query.get("last_days") or 30,
    }


class KrCheckInForm(PageForm):
    day = forms.DateField(widget=date_input())
    value = forms.FloatField(required=False)
    note = forms.CharField(required=False, max_length=2000)

    def service_data(self) -> dict[str, Any]:
        return {
            "day": self.cleaned_data["day"],
            "value": self.cleaned_data["value"],
            "note": self.cleaned_data["note"],
        }
