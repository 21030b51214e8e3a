"""Scorecards: per product line and product, three families of numbers a Head of Product reads
every week, each with its target and status from the outcome that aims at it.

- adoption = MAU on the latest day with a KPI snapshot. A line's figure is the **sum of its
  products' MAU** (labelled so): the snapshots are per product and a page load never queries
  the event engine, so a user of two products of the line counts twice.
- satisfaction = the score of the subject's surveys over the 90 days up to today: NPS when it
  has an NPS survey, else CSAT, else CES (one kind, never mixed). A line pools the answers of
  its products' surveys of that kind.
- revenue = MRR today in the reporting currency (the revenue engine over the stored
  subscriptions); a line adds up its products and sub-lines (revenue is additive by product).

Target and status come from the first key result (by position) of an outcome active today that
measures the family for the subject: adoption ← analytics, satisfaction ← survey, revenue ←
revenue key results. The subject is the product or line the key result's binding names, else
its outcome's. Without one, the target is None and the status "no_target".

Spark lines are twelve weekly points ending at the anchor day; the change compares the value
with the one four weeks before (absolute and relative to its size).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from quarterdeck.accounts.models import User
from quarterdeck.lib.dates import workspace_today
from quarterdeck.portfolio.models import Product, ProductLine
from quarterdeck.portfolio.selectors import access_product, list_lines, list_products
from quarterdeck.revenue.selectors import may_read_revenue
from quarterdeck.strategy.models import KeyResult, Source
from quarterdeck.strategy.scorecard_cells import (
    NO_TARGET,
    Cell,
    Facts,
    Target,
    adoption_cell,
    revenue_cell,
    satisfaction_cell,
)
from quarterdeck.strategy.scorecard_sources import (
    Series,
    latest_day,
    mau_series,
    mrr_series,
    pooled_answers,
    satisfaction_reading,
    summed,
)
from quarterdeck.strategy.selectors import list_outcomes
from quarterdeck.surveys.models import Survey

Family = Literal["adoption", "satisfaction", "revenue"]
FAMILIES: Final[tuple[Family, ...]] = ("adoption", "satisfaction", "revenue")
FAMILY_OF_SOURCE: Final[dict[str, Family]] = {
    Source.ANALYTICS: "adoption",
    Source.SURVEY: "satisfaction",
    Source.REVENUE: "revenue",
}
__all__ = ["NO_TARGET", "Cell", "ScorecardRow", "portfolio_scorecard", "product_scorecard"]


@dataclass(frozen=True)
class ScorecardRow:
    kind: Literal["line", "product"]
    pk: int
    name: str
    depth: int  # nesting: a top line 0, its products and sub-lines 1, ...
    url: str  # the product's (line's) page: the drill-down
    adoption: Cell
    satisfaction: Cell
    revenue: Cell
    line_name: str = ""  # a product's line

    @property
    def cells(self) -> tuple[Cell, Cell, Cell]:
        return (self.adoption, self.satisfaction, self.revenue)


@dataclass
class _Portfolio:
    """What one scorecard is computed from, read once for all its subjects."""

    user: User | None
    today: dt.date
    lines: list[ProductLine]
    products: list[Product]
    mau: dict[int, Series] = field(default_factory=dict)
    mrr: dict[int, Series] | None = None  # None: not readable by this user
    mrr_error: str = ""
    surveys: dict[int, list[Survey]] = field(default_factory=dict)
    targets: dict[tuple[Family, str, int], KeyResult] = field(default_factory=dict)

    def products_of(self, line_ids: set[int]) -> list[Product]:
        return [p for p in self.products if p.line_id in line_ids]


def _subject_of(kr: KeyResult, surveys: Mapping[int, int | None]) -> tuple[str, int] | None:
    """(kind, id) of the product or line a key result measures."""
    metric = kr.metric if isinstance(kr.metric, dict) else {}
    query = metric.get("query") if isinstance(metric.get("query"), dict) else {}
    product_id = metric.get("product_id") or (query or {}).get("product_id")
    if kr.source == Source.SURVEY:
        product_id = surveys.get(int(metric.get("survey_id") or 0))
    if isinstance(product_id, int):
        return ("product", product_id)
    if isinstance(metric.get("line_id"), int):
        return ("line", metric["line_id"])
    if kr.outcome.product_id is not None:
        return ("product", kr.outcome.product_id)
    if kr.outcome.line_id is not None:
        return ("line", kr.outcome.line_id)
    return None


def _targets(user: User | None, today: dt.date) -> dict[tuple[Family, str, int], KeyResult]:
    outcomes = list_outcomes(user, active_on=today)
    krs = (
        KeyResult.objects.filter(outcome__in=outcomes, source__in=list(FAMILY_OF_SOURCE))
        .select_related("outcome")
        .order_by("position", "id")
    )
    survey_products = dict(Survey.objects.values_list("pk", "product_id"))
    found: dict[tuple[Family, str, int], KeyResult] = {}
    for kr in krs:
        subject = _subject_of(kr, survey_products)
        if subject is not None:
            found.setdefault((FAMILY_OF_SOURCE[kr.source], *subject), kr)
    return found


def _read(
    user: User | None, today: dt.date, lines: list[ProductLine], products: list[Product]
) -> _Portfolio:
    data = _Portfolio(user, today, lines, products)
    ids = [p.pk for p in products]
    data.mau = mau_series(ids, today)
    if may_read_revenue(user):
        data.mrr = _mrr(data, ids)
    for survey in Survey.objects.filter(product_id__in=ids).order_by("name"):
        data.surveys.setdefault(survey.product_id or 0, []).append(survey)
    data.targets = _targets(user, today)
    return data


def _mrr(data: _Portfolio, ids: list[int]) -> dict[int, Series]:
    from quarterdeck.revenue.engine import MissingRate

    try:
        return mrr_series(ids, data.today)
    except MissingRate as missing:
        data.mrr_error = str(missing)
        return {}


def _target(data: _Portfolio, family: Family, kind: str, pk: int) -> Target | None:
    kr = data.targets.get((family, kind, pk))
    return None if kr is None else Target.of(kr)


def _cells(
    data: _Portfolio, kind: str, pk: int, name: str, products: list[Product]
) -> tuple[Cell, Cell, Cell]:
    ids = [p.pk for p in products]
    mau = summed(data.mau.get(i, {}) for i in ids)
    surveys = [s for i in ids for s in data.surveys.get(i, [])]
    answers = pooled_answers(surveys, data.today)
    facts = Facts(kind, pk, name, len(ids), data.today)
    adoption = adoption_cell(facts, mau, latest_day(mau), _target(data, "adoption", kind, pk))
    satisfaction = satisfaction_cell(
        facts,
        answers,
        satisfaction_reading(answers, data.today),
        _target(data, "satisfaction", kind, pk),
    )
    mrr = None if data.mrr is None else summed(data.mrr.get(i, {}) for i in ids)
    revenue = revenue_cell(facts, mrr, data.mrr_error, _target(data, "revenue", kind, pk))
    return (adoption, satisfaction, revenue)


def _product_row(data: _Portfolio, product: Product, depth: int) -> ScorecardRow:
    cells = _cells(data, "product", product.pk, product.name, [product])
    url = f"/portfolio/products/{product.pk}/"
    return ScorecardRow("product", product.pk, product.name, depth, url, *cells, product.line.name)


def _line_rows(data: _Portfolio, line: ProductLine, depth: int) -> list[ScorecardRow]:
    subtree = _subtree(data.lines, line.pk)
    cells = _cells(data, "line", line.pk, line.name, data.products_of(subtree))
    rows = [ScorecardRow("line", line.pk, line.name, depth, f"/portfolio/lines/{line.pk}/", *cells)]
    rows += [_product_row(data, p, depth + 1) for p in data.products if p.line_id == line.pk]
    for child in (c for c in data.lines if c.parent_id == line.pk):
        rows += _line_rows(data, child, depth + 1)
    return rows


def _subtree(lines: Iterable[ProductLine], root: int) -> set[int]:
    found = {root}
    children: dict[int | None, list[int]] = {}
    for line in lines:
        children.setdefault(line.parent_id, []).append(line.pk)
    frontier = [root]
    while frontier:
        for child in children.get(frontier.pop(), []):
            found.add(child)
            frontier.append(child)
    return found


def _portfolio(user: User | None) -> tuple[list[ProductLine], list[Product]]:
    """The lines and products the user reads (``None``: the operator at the CLI reads all)."""
    lines = ProductLine.objects.all() if user is None else list_lines(user)
    products = Product.objects.all() if user is None else list_products(user)
    return list(lines.order_by("name")), list(products.select_related("line").order_by("name"))


def portfolio_scorecard(user: User | None, *, today: dt.date | None = None) -> list[ScorecardRow]:
    """One row per line the user may read, each followed by its products, then its sub-lines
    (same shape, nested). Reads stored numbers only."""
    day = today or workspace_today()
    lines, products = _portfolio(user)
    data = _read(user, day, lines, products)
    readable = {line.pk for line in lines}
    roots = [line for line in lines if line.parent_id not in readable]
    return [row for root in roots for row in _line_rows(data, root, 0)]


def product_scorecard(user: User, product_id: int, *, today: dt.date | None = None) -> ScorecardRow:
    product = access_product(user, product_id)
    data = _read(user, today or workspace_today(), [], [product])
    return _product_row(data, product, 0)


def line_scorecard(user: User, line_id: int, *, today: dt.date | None = None) -> ScorecardRow:
    from quarterdeck.portfolio.selectors import access_line

    line = access_line(user, line_id)
    lines, products = _portfolio(user)
    data = _read(user, today or workspace_today(), lines, products)
    return _line_rows(data, line, 0)[0]
