"""The insight builder's form. It only types what people enter (dates, numbers, lists) and turns
it into query data; analytics.queries.parse_query decides what a valid query is, and its
per-field messages are shown next to these fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from django import forms

from quarterdeck.analytics.models import InsightKind, SavedInsight
from quarterdeck.analytics.queries import APPLIES, COMMON
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.portfolio.models import Feature, Product
from quarterdeck.web.forms.common import PageForm, id_choices, optional_id, set_choices

RANGES: Final = [
    *((str(days), f"Last {days} days") for days in (7, 30, 90, 180, 365)),
    ("", "Custom dates"),
]
MEASURE_CHOICES: Final = [
    ("dau", "DAU (daily active)"),
    ("wau", "WAU (weekly active)"),
    ("mau", "MAU (monthly active)"),
    ("stickiness", "Stickiness (DAU/MAU)"),
    ("wau_mau", "WAU/MAU"),
    ("active", "Active in the period"),
]
# Form fields that are a query option under another name (mode depends on the kind).
MODE_FIELDS: Final = {"retention": "retention_mode", "funnel": "funnel_mode"}
QUERY_FIELDS: Final = ("kind", "product_id", "last_days", "start", "end")
OPTION_FIELDS: Final = (
    "events",
    "features",
    "where",
    "measure",
    "grain",
    "actor",
    "breakdown",
    "retention_mode",
    "cohort_type",
    "periods",
    "funnel_mode",
    "window_days",
    "denominator",
    "min_uses",
    "time_zone",
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InsightForm(PageForm):
    name = forms.CharField(max_length=200, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    pinned = forms.BooleanField(required=False, label="Pin to the product's analytics page")
    kind = forms.ChoiceField(choices=InsightKind.choices, label="Insight")
    product_id = optional_id("Product", help_text="Its events only; empty: every event.")
    last_days = forms.ChoiceField(choices=RANGES, required=False, label="Date range")
    start = forms.DateField(required=False, widget=_date_input(), label="From")
    end = forms.DateField(required=False, widget=_date_input(), label="To")
    features = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The product's tracked features; funnel steps go in the listed order.",
    )
    events = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Or event names, one per line (* = any activity).",
    )
    where = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Conditions",
        help_text="KEY=VALUE event properties, one per line.",
    )
    measure = forms.MultipleChoiceField(
        choices=MEASURE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    grain = forms.ChoiceField(choices=[(g, g.capitalize()) for g in ("day", "week", "month")])
    actor = forms.ChoiceField(choices=[("user", "Users"), ("account", "Accounts")], label="Count")
    breakdown = forms.CharField(
        max_length=200,
        required=False,
        help_text="An event property, or feature, account or plan.",
    )
    retention_mode = forms.ChoiceField(
        choices=[("on", "Returned in that period"), ("on_or_after", "Returned then or later")],
        label="Counts as retained",
    )
    cohort_type = forms.ChoiceField(
        choices=[("first_time", "First time"), ("recurring", "Every time")],
        label="Cohort by start event",
    )
    periods = forms.IntegerField(min_value=1, max_value=400, initial=12)
    funnel_mode = forms.ChoiceField(
        choices=[
            ("ordered", "In order"),
            ("strict", "Strictly in order"),
            ("unordered", "Any order"),
        ],
        label="Steps",
    )
    window_days = forms.IntegerField(
        min_value=1, max_value=366, initial=14, label="Conversion window (days)"
    )
    denominator = forms.ChoiceField(
        choices=[("active", "Active users"), ("all", "Everyone seen")], label="Out of"
    )
    min_uses = forms.IntegerField(min_value=1, initial=1, label="Minimum uses")
    time_zone = forms.CharField(max_length=64, initial="UTC", label="Time zone")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        products: Iterable[Product] = (),
        features: Iterable[Feature] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "product_id", id_choices(products, empty=("", "— every event —")))
        set_choices(self, "features", id_choices(features, empty=None))
        for name in OPTION_FIELDS:
            self.fields[name].required = False
        for name, field in self.fields.items():
            if field.widget.is_hidden:
                continue
            # The errors box is always on the page: the live preview fills it in later.
            described = [f"id_{name}_helptext"] if field.help_text else []
            field.widget.attrs["aria-describedby"] = " ".join([*described, f"id_{name}_errors"])

    def applies_to(self, name: str) -> list[str]:
        """The kinds a field matters for (the template shows it for those only)."""
        if name in MODE_FIELDS.values():
            return [kind for kind, field in MODE_FIELDS.items() if field == name]
        if name in COMMON:
            return list(APPLIES)
        return [kind for kind, names in APPLIES.items() if name in names]

    def option_fields(self) -> list[tuple[forms.BoundField, str]]:
        """The options with the CSS classes that show each only for its kinds."""
        return [
            (self[name], " ".join(f"opt-{kind}" for kind in self.applies_to(name)))
            for name in OPTION_FIELDS
            if name not in ("events", "features", "where")  # every kind's: shown with the steps
        ]

    def query_data(self) -> dict[str, Any]:
        """The query data for parse_query (call after is_valid()); empty values are left out."""
        cleaned = self.cleaned_data
        kind = cleaned.get("kind") or ""
        data: dict[str, Any] = {name: cleaned.get(name) for name in QUERY_FIELDS}
        if data["last_days"]:
            data["start"] = data["end"] = None
        data["events"] = _lines(cleaned.get("events") or "")
        data["where"] = _lines(cleaned.get("where") or "")
        data["features"] = list(cleaned.get("features") or [])
        data["measure"] = ",".join(cleaned.get("measure") or [])
        data["mode"] = cleaned.get(MODE_FIELDS.get(kind, ""), None)
        for name in ("grain", "actor", "breakdown", "cohort_type", "periods"):
            data[name] = cleaned.get(name)
        for name in ("window_days", "denominator", "min_uses", "time_zone"):
            data[name] = cleaned.get(name)
        return {key: value for key, value in data.items() if value not in (None, "", [])}

    def insight_data(self) -> dict[str, Any]:
        """What insight_create / insight_update take (call after is_valid())."""
        cleaned = self.cleaned_data
        return {
            "name": cleaned["name"],
            "description": cleaned["description"],
            "pinned": cleaned["pinned"],
            "query": self.query_data(),
        }

    def add_query_errors(self, exc: InvalidInput) -> None:
        """parse_query's (or the services') messages, on the fields they are about; a saved
        insight's come as "query.<field>"."""
        kind = getattr(self, "cleaned_data", {}).get("kind", "")
        fields = {name.removeprefix("query."): msgs for name, msgs in exc.fields.items()}
        aliases = {"mode": MODE_FIELDS.get(kind, "kind"), "query": "kind"}
        self.add_service_errors(InvalidInput(exc.message, fields=fields), aliases)

    def conflicts(self, stored: SavedInsight) -> list[tuple[str, str, str]]:
        """(field, stored now, yours) for what differs from the insight as stored now."""
        mine = self.insight_data()
        pairs = [
            ("Name", stored.name, mine["name"]),
            ("Description", stored.description, mine["description"]),
            ("Pinned", _yes(stored.pinned), _yes(mine["pinned"])),
            ("Query", describe(stored.query), describe(mine["query"])),
        ]
        return [(label, theirs, yours) for label, theirs, yours in pairs if theirs != yours]

    @staticmethod
    def initial_from(data: Mapping[str, Any]) -> dict[str, Any]:
        """Form values for saved or linked query data (InsightQuery.to_data())."""
        initial: dict[str, Any] = {
            key: data[key] for key in (*QUERY_FIELDS, *OPTION_FIELDS) if key in data
        }
        initial["last_days"] = str(data.get("last_days") or "")
        initial["events"] = "\n".join(_step_name(step) for step in data.get("events") or [])
        initial["where"] = "\n".join(f"{k}={v}" for k, v in (data.get("where") or {}).items())
        if data.get("measure"):
            initial["measure"] = str(data["measure"]).split(",")
        if data.get("mode") and data.get("kind") in MODE_FIELDS:
            initial[MODE_FIELDS[str(data["kind"])]] = data["mode"]
        return initial


def _step_name(step: Any) -> str:
    """A step with its own conditions (only the API makes those) shows as its event name."""
    return str(step.get("event")) if isinstance(step, Mapping) else str(step)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def describe(data: Mapping[str, Any]) -> str:
    """Query data in one line, for the conflict panel: kind, range, then the options."""
    scope = {"kind", "product_id", "last_days", "start", "end"}
    when = (
        f"last {data['last_days']} days"
        if data.get("last_days")
        else (f"{data.get('start')} to {data.get('end')}")
    )
    options = ", ".join(f"{k}={v}" for k, v in sorted(data.items()) if k not in scope)
    product = f"product {data['product_id']}" if data.get("product_id") else "every event"
    return " · ".join(part for part in (str(data.get("kind")), product, when, options) if part)
