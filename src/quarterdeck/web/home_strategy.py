"""The strategy half of the home page: outcomes at risk and the biggest movers. Reads stored
numbers only (outcome and key-result fields the refresh computed, their points, the scorecard's
stored sources), so the page never waits for the event engine."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from django.urls import NoReverseMatch, reverse

from quarterdeck.accounts.models import User
from quarterdeck.strategy.models import CheckIn, KeyResult, KeyResultPoint, Outcome
from quarterdeck.strategy.scorecard_cells import compact
from quarterdeck.strategy.scorecards import ScorecardRow
from quarterdeck.strategy.selectors import list_outcomes

BAD: Final = ("off_track", "at_risk")  # worst first
MOVERS: Final = 5  # per direction
CHANGE_DAYS: Final = 28
MIN_CHANGE: Final = 0.005  # smaller moves are noise, not news


def outcome_url(outcome_id: int) -> str:
    try:
        return reverse("strategy:outcome", args=[outcome_id])
    except NoReverseMatch:  # the outcome pages are not installed
        return ""


def figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    shown = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"
    return f"{shown} {unit}".strip() if unit not in ("%",) else f"{shown}%"


@dataclass
class AtRisk:
    outcome: Outcome
    key_results: list[KeyResult] = field(default_factory=list)  # at risk or off track
    check_in: CheckIn | None = None
    behind: list[Outcome] = field(default_factory=list)  # aligned outcomes at risk or off track

    @property
    def url(self) -> str:
        return outcome_url(self.outcome.pk)

    @property
    def why(self) -> str:
        """The owner's words if they checked in, else what the numbers say."""
        if self.check_in is not None and self.check_in.note:
            return self.check_in.note
        if not self.key_results:
            names = ", ".join(f"“{child.title}”" for child in self.behind)
            return f"Behind below it: {names}." if names else "Its aligned outcomes are behind."
        kr = self.key_results[0]
        forecast = f", forecast {figure(kr.forecast, kr.unit)}" if kr.forecast is not None else ""
        return (
            f"{kr.title}: {figure(kr.current, kr.unit)} against a target of "
            f"{figure(kr.target, kr.unit)}{forecast}."
        )


def _rank(status: str) -> int:
    return BAD.index(status) if status in BAD else len(BAD)


def outcomes_at_risk(user: User, today: dt.date) -> list[AtRisk]:
    """Outcomes running today that are at risk or off track, or have such a key result; the
    worst first, then the least progress."""
    outcomes = list_outcomes(user, active_on=today).prefetch_related("key_results")
    found: list[AtRisk] = []
    for outcome in outcomes:
        krs = sorted(
            (kr for kr in outcome.key_results.all() if kr.status in BAD),
            key=lambda kr: (_rank(kr.status), kr.position),
        )
        if outcome.status in BAD or krs:
            found.append(AtRisk(outcome, krs))
    _attach_check_ins(found)
    _attach_behind(found, outcomes)
    return sorted(found, key=lambda r: (_rank(r.outcome.status), r.outcome.progress or 0.0))


def _attach_behind(rows: list[AtRisk], outcomes: Iterable[Outcome]) -> None:
    by_outcome = {row.outcome.pk: row for row in rows}
    for outcome in outcomes:
        parent = by_outcome.get(outcome.parent_id or 0)
        if parent is not None and outcome.status in BAD:
            parent.behind.append(outcome)


def _attach_check_ins(rows: list[AtRisk]) -> None:
    by_outcome = {row.outcome.pk: row for row in rows}
    for check_in in CheckIn.objects.filter(outcome_id__in=list(by_outcome)).order_by("-at", "-id"):
        row = by_outcome[check_in.outcome_id]
        if row.check_in is None:
            row.check_in = check_in


@dataclass(frozen=True)
class Mover:
    name: str  # "RouteIQ"
    what: str  # "Adoption (MAU)" or "key result"
    url: str
    before: str
    now: str
    change: float  # relative

    @property
    def change_text(self) -> str:
        return f"{self.change * 100:+.0f}%"


def _figure_movers(rows: list[ScorecardRow]) -> list[Mover]:
    movers = []
    for row in rows:
        if row.kind != "product":
            continue
        for cell in row.cells:
            change = cell.change_relative
            if change is not None and cell.status != "hidden":
                before = compact(cell.before, cell.unit)
                movers.append(Mover(row.name, cell.label, row.url, before, cell.display, change))
    return movers


def _kr_movers(user: User, today: dt.date) -> list[Mover]:
    outcomes = list_outcomes(user, active_on=today)
    krs = {kr.pk: kr for kr in KeyResult.objects.filter(outcome__in=outcomes)}
    since = today - dt.timedelta(days=CHANGE_DAYS + 14)
    series: dict[int, list[tuple[dt.date, float]]] = defaultdict(list)
    points = KeyResultPoint.objects.filter(key_result_id__in=list(krs), day__gte=since)
    for kr_id, day, value in points.order_by("day").values_list("key_result_id", "day", "value"):
        series[kr_id].append((day, value))
    movers = []
    for kr_id, found in series.items():
        last_day, now = found[-1]
        earlier = [v for d, v in found if d <= last_day - dt.timedelta(days=CHANGE_DAYS)]
        if earlier and abs(earlier[-1]) > 1e-9:
            kr = krs[kr_id]
            change = (now - earlier[-1]) / abs(earlier[-1])
            before, after = figure(earlier[-1], kr.unit), figure(now, kr.unit)
            movers.append(
                Mover(kr.title, "key result", outcome_url(kr.outcome_id), before, after, change)
            )
    return movers


def biggest_movers(
    user: User, rows: list[ScorecardRow], today: dt.date
) -> tuple[list[Mover], list[Mover]]:
    """The largest relative rises and falls of the last four weeks: product figures and key
    results together."""
    movers = [*_figure_movers(rows), *_kr_movers(user, today)]
    movers = [m for m in movers if abs(m.change) >= MIN_CHANGE]
    ups = sorted((m for m in movers if m.change > 0), key=lambda m: -m.change)[:MOVERS]
    downs = sorted((m for m in movers if m.change < 0), key=lambda m: m.change)[:MOVERS]
    return ups, downs
