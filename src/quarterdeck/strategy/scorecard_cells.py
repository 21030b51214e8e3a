"""One scorecard figure (a Cell): its value, target, status, spark line and the words that
trace it to its source. Built from a Reading (scorecard_sources.py) and the key result that
aims at it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from django.urls import NoReverseMatch, reverse

from quarterdeck.revenue.selectors import READ_MESSAGE, reporting_currency
from quarterdeck.strategy.models import KeyResult
from quarterdeck.strategy.scorecard_sources import (
    WINDOW_DAYS,
    Answers,
    Reading,
    Series,
    reading_of,
)

NO_TARGET: Final = "no_target"
HIDDEN: Final = "hidden"  # the user may not read this family (revenue for viewers)
STATUS_LABELS: Final = {
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "no_data": "No data",
    NO_TARGET: "No target",
    HIDDEN: "Hidden",
}
KIND_UNITS: Final = {"nps": "NPS", "csat": "CSAT", "ces": "CES"}


@dataclass(frozen=True)
class Target:
    value: float
    unit: str
    status: str
    title: str  # the key result's
    outcome_id: int
    outcome_title: str

    @classmethod
    def of(cls, kr: KeyResult) -> Target:
        outcome = kr.outcome
        return cls(kr.target, kr.unit, kr.status, kr.title, outcome.pk, outcome.title)

    @property
    def outcome_url(self) -> str | None:
        return _url("strategy:outcome", self.outcome_id)


@dataclass(frozen=True)
class Facts:
    """Who a cell is about."""

    kind: str  # "line" | "product"
    pk: int
    name: str
    products: int  # how many products the figure covers
    today: dt.date


def _url(name: str, *args: object, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


def compact(value: float | None, unit: str) -> str:
    """A short display of a figure: 12.3k users, +23 NPS, 87% CSAT, USD 1.2M."""
    if value is None:
        return "—"
    if unit == "NPS":
        return f"{value:+.0f}"
    if unit == "CSAT":
        return f"{value * 100:.0f}%"
    if unit == "CES":
        return f"{value:.1f}"
    text = _short(value)
    return f"{unit} {text}" if unit.isupper() and len(unit) == 3 else text


def _short(value: float) -> str:
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if size >= 10_000:
        return f"{value / 1_000:.1f}k"
    return f"{value:,.0f}" if size >= 100 or value == round(value) else f"{value:.1f}"


@dataclass(frozen=True)
class Cell:
    label: str  # "Adoption (MAU)"
    family: str
    value: float | None
    unit: str
    target: float | None
    status: str  # a KeyResult status, "no_target" or "hidden"
    spark: list[tuple[dt.date, float]]
    trace: str  # the definition in words, and the source
    trace_url: str | None
    before: float | None = None  # four weeks before
    day: dt.date | None = None
    goal: Target | None = None

    @property
    def change(self) -> float | None:
        if self.value is None or self.before is None:
            return None
        return self.value - self.before

    @property
    def change_relative(self) -> float | None:
        change = self.change
        if change is None or self.before is None or abs(self.before) < 1e-9:
            return None
        return change / abs(self.before)

    @property
    def change_text(self) -> str:
        relative = self.change_relative
        return "" if relative is None else f"{relative * 100:+.0f}%"

    @property
    def display(self) -> str:
        return compact(self.value, self.unit)

    @property
    def target_display(self) -> str:
        if self.goal is None:
            return ""
        unit = self.goal.unit or self.unit
        return compact(self.goal.value, unit if unit in KIND_UNITS.values() else self.unit)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def title(self) -> str:
        """The tooltip: definition, source and where the target comes from."""
        parts = [self.trace]
        if self.goal is not None:
            parts.append(
                f"Target {self.goal.value:g} {self.goal.unit} from “{self.goal.title}” "
                f"(outcome “{self.goal.outcome_title}”)."
            )
        return " ".join(parts)


def _status(goal: Target | None) -> str:
    return NO_TARGET if goal is None else goal.status


def adoption_cell(facts: Facts, mau: Series, anchor: dt.date | None, goal: Target | None) -> Cell:
    reading = reading_of(mau, anchor)
    on = f" on {reading.day}" if reading.day else ""
    if facts.kind == "line":
        trace = (
            f"Sum of products: the MAU of the line's {facts.products} product(s){on} added up "
            "(someone using two of them counts twice); from the daily KPI snapshots."
        )
        url = _url("kpis:index")
    else:
        trace = (
            f"MAU of {facts.name}{on}: distinct users active in the 30 days to that day, "
            "from the daily KPI snapshots of product analytics."
        )
        url = _url("analytics:product", facts.pk)
    label = "Adoption (MAU, sum of products)" if facts.kind == "line" else "Adoption (MAU)"
    return _cell(label, "adoption", reading, "users", goal, trace, url)


def satisfaction_cell(
    facts: Facts, answers: Answers | None, reading: Reading, goal: Target | None
) -> Cell:
    if answers is None:
        trace = f"{facts.name} has no survey yet: add an NPS survey for its products."
        return _cell(
            "Satisfaction", "satisfaction", reading, "NPS", goal, trace, _url("surveys:index")
        )
    unit = KIND_UNITS[answers.kind]
    names = ", ".join(s.name for s in answers.surveys)
    count = len(answers.window(facts.today))
    trace = f"{unit} of {names} over the {WINDOW_DAYS} days to {facts.today} ({count} answers)" + (
        ": answers pooled across the line's products." if facts.kind == "line" else "."
    )
    url = _url("surveys:detail", answers.surveys[0].pk)
    return _cell(f"Satisfaction ({unit})", "satisfaction", reading, unit, goal, trace, url)


def revenue_cell(facts: Facts, mrr: Series | None, error: str, goal: Target | None) -> Cell:
    currency = reporting_currency()
    if mrr is None:
        return Cell(
            "Revenue (MRR)", "revenue", None, currency, None, "hidden", [], READ_MESSAGE, None
        )
    query = f"?{facts.kind}={facts.pk}"
    url = _url("revenue:index", query=query)
    if error:
        return _cell("Revenue (MRR)", "revenue", reading_of({}, None), currency, goal, error, url)
    reading = reading_of(mrr, facts.today)
    scope = "its products and sub-lines added up" if facts.kind == "line" else "its items"
    trace = (
        f"MRR of {facts.name} on {facts.today} in {currency}: the monthly-normalised revenue of "
        f"the active subscriptions, {scope} (revenue engine over the stored subscriptions)."
    )
    return _cell("Revenue (MRR)", "revenue", reading, currency, goal, trace, url)


def _cell(
    label: str,
    family: str,
    reading: Reading,
    unit: str,
    goal: Target | None,
    trace: str,
    url: str | None,
) -> Cell:
    return Cell(
        label=label,
        family=family,
        value=reading.value,
        unit=unit,
        target=None if goal is None else goal.value,
        status=_status(goal),
        spark=reading.spark,
        trace=trace,
        trace_url=url,
        before=reading.before,
        day=reading.day,
        goal=goal,
    )
