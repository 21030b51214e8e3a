"""The revenue page's figures: a table per product line and product over a date range, and the
monthly series behind its charts. Reads only, through metrics.py and the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from quarterdeck.accounts.models import User
from quarterdeck.portfolio.models import Product, ProductLine
from quarterdeck.revenue import engine
from quarterdeck.revenue.metrics import engine_subs, rates_on, scope_of, spans
from quarterdeck.revenue.selectors import check_read


@dataclass(frozen=True)
class TableRow:
    """One line or product over the whole range: ratios compare its first and last day."""

    label: str
    kind: str  # "total", "line" or "product"
    depth: int
    result: engine.PeriodResult

    @property
    def depth_range(self) -> range:
        return range(self.depth)


@dataclass(frozen=True)
class Overview:
    series: list[engine.PeriodResult]
    rows: list[TableRow]


def _lines_in_order() -> list[tuple[ProductLine, int]]:
    lines = list(ProductLine.objects.order_by("name"))
    children: dict[int | None, list[ProductLine]] = {}
    for line in lines:
        children.setdefault(line.parent_id, []).append(line)
    ordered: list[tuple[ProductLine, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for line in children.get(parent, []):
            ordered.append((line, depth))
            walk(line.pk, depth + 1)

    walk(None, 0)
    return ordered


def revenue_overview(
    user: User | None, subject: Product | ProductLine | None, start: date, end: date
) -> Overview:
    """Monthly series for ``subject``, and a row per line and product for the range; raises
    InvalidInput (via metrics) for bad ranges, MissingRate for currencies without a rate."""
    check_read(user)
    months = spans(start, end, "month")
    subs, rates = engine_subs(), rates_on(end)
    series = engine.compute(subs, rates, months, scope_of(subject))
    whole = [engine.Period(months[0].start, months[-1].end)]
    rows = [TableRow("All products", "total", 0, engine.compute(subs, rates, whole)[0])]
    products = list(Product.objects.order_by("name"))
    for line, depth in _lines_in_order():
        result = engine.compute(subs, rates, whole, scope_of(line))[0]
        rows.append(TableRow(line.name, "line", depth, result))
        for product in (p for p in products if p.line_id == line.pk):
            found = engine.compute(subs, rates, whole, scope_of(product))[0]
            rows.append(TableRow(product.name, "product", depth + 1, found))
    return Overview(series, rows)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return engine.add_interval(day.replace(day=1), "month", 1, 1) - timedelta(days=1)
