"""What the strategy pages show, assembled from the selectors (no writes, no permission logic of
its own): the outcome tree as indented rows, a key result's card with its chart and "why"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from quarterdeck.accounts.models import User
from quarterdeck.lib.dates import workspace_today
from quarterdeck.portfolio.models import Product
from quarterdeck.strategy import bindings
from quarterdeck.strategy.charts import History, history_chart
from quarterdeck.strategy.models import KeyResult, Outcome, Source, Status
from quarterdeck.strategy.progress import AT_RISK, ON_TRACK
from quarterdeck.strategy.selectors import (
    OutcomeNode,
    latest_check_in,
    list_outcomes,
    may_change_outcome,
)


def today() -> dt.date:
    return workspace_today()


# The outcome tree -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    level: str | None = None
    status: str | None = None
    line_id: int | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.level, self.status, self.line_id))

    def matches(self, outcome: Outcome) -> bool:
        line_ids = {outcome.line_id, outcome.product.line_id if outcome.product else None}
        return (
            self.level in (None, outcome.level)
            and self.status in (None, outcome.status)
            and (self.line_id is None or self.line_id in line_ids)
        )


@dataclass
class OutcomeRow:
    outcome: Outcome
    depth: int
    key_results: int
    health: str  # of the latest check-in ('' without one)
    matched: bool  # False: shown only as the context of a match below it


def _keep(node: OutcomeNode, filters: Filters) -> bool:
    return filters.matches(node.outcome) or any(_keep(c, filters) for c in node.children)


def tree_rows(nodes: Iterable[OutcomeNode], filters: Filters, depth: int = 0) -> list[OutcomeRow]:
    """Depth-first rows of the tree; with filters, the matches and the outcomes above them."""
    rows: list[OutcomeRow] = []
    for node in nodes:
        if not _keep(node, filters):
            continue
        check_in = latest_check_in(node.outcome)
        rows.append(
            OutcomeRow(
                node.outcome,
                min(depth, 4),
                len(node.key_results),
                check_in.health if check_in else "",
                filters.matches(node.outcome),
            )
        )
        rows += tree_rows(node.children, filters, depth + 1)
    return rows


# Key result cards -----------------------------------------------------------------------------


def why(kr: KeyResult, *, on: dt.date) -> str:
    """One line saying where the status comes from."""
    status = Status(kr.status).label.lower() if kr.status in Status.values else "no data"
    if kr.current is None or kr.progress is None:
        return "No value yet, so no status: " + (
            "add a check-in." if kr.source == Source.MANUAL else "waiting for the data."
        )
    if on > kr.end:
        return f"Ended at {round(100 * kr.progress)} % of the way to target: {status}."
    if kr.forecast_progress is None:
        return f"{round(100 * kr.progress)} % of the way so far; too few values to forecast."
    share = round(100 * kr.forecast_progress)
    rule = f"on track from {ON_TRACK:.0%}, at risk from {AT_RISK:.0%}".replace("%", " %")
    return f"Forecast {share} % of target by {kr.end.day} {kr.end:%b}: {status} ({rule})."


@dataclass
class KrCard:
    kr: KeyResult
    description: str
    trace_url: str | None
    why: str
    spec: dict[str, Any]
    spec_id: str
    points: int
    may_change: bool
    check_in_form: Any = None
    latest_notes: list[Any] = field(default_factory=list)


def history_of(kr: KeyResult) -> History:
    points = [(p.day, p.value) for p in kr.points.all()]
    return History(
        points=points,
        baseline=kr.baseline,
        target=kr.target,
        start=kr.start,
        end=kr.end,
        forecast=kr.forecast,
        unit=kr.unit,
    )


def kr_card(kr: KeyResult, *, may_change: bool, on: dt.date) -> KrCard:
    history = history_of(kr)
    description = bindings.describe(kr)
    caption = f"{kr.title}: values from {kr.start:%d %b %Y} to {kr.end:%d %b %Y}"
    return KrCard(
        kr=kr,
        description=description,
        trace_url=bindings.trace_url(kr),
        why=why(kr, on=on),
        spec=history_chart(history, caption),
        spec_id=f"kr-chart-{kr.pk}",
        points=len(history.points),
        may_change=may_change,
        latest_notes=list(kr.check_ins.select_related("author")[:3]),
    )


@dataclass
class OutcomePage:
    may_change: bool
    cards: list[KrCard]
    children: list[Outcome]
    check_ins: list[Any]


def outcome_page(user: User, outcome: Outcome, *, on: dt.date) -> OutcomePage:
    """What the outcome page shows of an outcome already read through access_outcome."""
    may_change = may_change_outcome(user, outcome)
    key_results = outcome.key_results.prefetch_related("points")
    return OutcomePage(
        may_change=may_change,
        cards=[kr_card(kr, may_change=may_change, on=on) for kr in key_results],
        children=list(outcome.children.select_related("line", "product", "owner")),
        check_ins=list(outcome.check_ins.select_related("author")),
    )


def product_outcomes(user: User, product: Product) -> list[Outcome]:
    """The product's outcomes running today (for its portfolio page)."""
    return list(list_outcomes(user, product_id=product.pk, active_on=today()))


# Alignment ------------------------------------------------------------------------------------


@dataclass
class AlignedRow:
    """A pillar (None: unaligned) with its outcomes as indented rows (company ones at depth 0,
    what is aligned below them deeper) and the lines and products linked to it."""

    pillar: Any
    name: str
    outcomes: list[tuple[Outcome, int]]
    lines: list[Any]
    products: list[Any]


def _indented(outcomes: list[Outcome]) -> list[tuple[Outcome, int]]:
    """The outcomes nested by their parent among themselves (an outcome whose parent is not in
    the list starts a tree of its own), depth-first, company outcomes first."""
    ids = {o.pk for o in outcomes}
    below: dict[int | None, list[Outcome]] = {}
    for o in outcomes:
        below.setdefault(o.parent_id if o.parent_id in ids else None, []).append(o)
    order = {"company": 0, "line": 1, "product": 2}
    rows: list[tuple[Outcome, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for o in sorted(below.get(parent, []), key=lambda o: (order.get(o.level, 3), o.title)):
            rows.append((o, min(depth, 4)))
            walk(o.pk, depth + 1)

    walk(None, 0)
    return rows


def alignment_row(row: Any) -> AlignedRow:
    unique = list({o.pk: o for o in [*row.company, *row.aligned]}.values())
    return AlignedRow(row.pillar, row.name, _indented(unique), row.lines, row.products)
