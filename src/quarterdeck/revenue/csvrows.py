"""Reading a Stripe-style subscriptions CSV into checked rows, without touching the database
beyond looking up products. Every problem is an Issue naming the file, row and column.

Columns (header names are case-insensitive; Stripe's export names are understood too, and any
other name can be mapped with ``mapping={"customer": "Client"}``):

    id            subscription id (optional: else the natural key customer:product:start)
    customer      customer id (required); customer_name optional
    status        trialing | active | past_due | canceled | unpaid | incomplete | ... (required)
    amount        price per unit and interval, major units (12.50) (required)
    currency      ISO code (required)
    interval      day | week | month | year (required); interval_count optional (default 1)
    quantity      optional (default 1)
    product       a portfolio product's name, case-insensitive (empty: unmapped)
    start         date or timestamp (required); canceled_at, ended_at, trial_end optional

Several rows with the same subscription id are the items of one subscription.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from zoneinfo import ZoneInfo

from django.conf import settings

from quarterdeck.portfolio.models import Product
from quarterdeck.revenue.services import clean_subscription
from quarterdeck.transfer.schema import Issue

REQUIRED: Final = ("customer", "status", "amount", "currency", "interval", "start")
OPTIONAL: Final = (
    "id",
    "customer_name",
    "quantity",
    "interval_count",
    "product",
    "canceled_at",
    "ended_at",
    "trial_end",
)
STRIPE_NAMES: Final = {
    "customer id": "customer",
    "customer name": "customer_name",
    "plan amount": "amount",
    "plan currency": "currency",
    "plan interval": "interval",
    "plan interval count": "interval_count",
    "plan product": "product",
    "product name": "product",
    "start date (utc)": "start",
    "created (utc)": "start",
    "canceled at (utc)": "canceled_at",
    "ended at (utc)": "ended_at",
    "trial end (utc)": "trial_end",
}
SHARED: Final = ("customer", "status", "currency", "interval", "interval_count", "start")
MAX_ROWS: Final = 200_000


class FileError(ValueError):
    """The file as a whole cannot be read (encoding, header)."""


@dataclass
class SubRow:
    """A checked subscription with its items (one per CSV row)."""

    row: int
    external_id: str
    customer: str
    customer_name: str
    values: dict[str, Any]
    items: list[tuple[int | None, Decimal, int]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


def _header(raw: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Our column name -> its index in the file."""
    lowered = [name.strip().lower() for name in raw]
    index: dict[str, int] = {}
    for position, name in enumerate(lowered):
        ours = STRIPE_NAMES.get(name, name)
        if ours in REQUIRED or ours in OPTIONAL:
            index.setdefault(ours, position)
    for ours, theirs in mapping.items():
        if ours not in REQUIRED and ours not in OPTIONAL:
            raise FileError(f"mapping: {ours!r} is not a column of the import.")
        if theirs.strip().lower() not in lowered:
            raise FileError(f"mapping: the file has no column {theirs!r} (for {ours}).")
        index[ours] = lowered.index(theirs.strip().lower())
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        raise FileError(f"header: missing column(s) {', '.join(missing)}; found {', '.join(raw)}.")
    return index


def read_rows(content: bytes, mapping: dict[str, str]) -> list[tuple[int, dict[str, str]]]:
    """(row number, values by our column names); row 1 is the header."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileError(f"not UTF-8 (byte {error.start}); save the file as UTF-8 CSV.") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    raw = next(reader, None)
    if not raw:
        raise FileError("the file is empty; the first row must name the columns.")
    index = _header(raw, mapping)
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise FileError(f"more than {MAX_ROWS} rows; split the file.")
        values = {ours: cells[i].strip() if i < len(cells) else "" for ours, i in index.items()}
        rows.append((number, values))
    return rows


def parse_day(text: str) -> date:
    """A date, or a timestamp (naive = UTC, as Stripe exports) as a workspace-zone day."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


class ProductNames:
    def __init__(self) -> None:
        self.by_name: dict[str, list[Product]] = {}
        for product in Product.objects.select_related("line").order_by("name"):
            self.by_name.setdefault(product.name.casefold(), []).append(product)

    def find(self, name: str) -> int | None:
        """The product id; raises ValueError naming the known ones."""
        found = self.by_name.get(name.casefold(), [])
        if len(found) == 1:
            return found[0].pk
        if found:
            lines = ", ".join(p.line.name for p in found)
            raise ValueError(f"{name!r} names products in several lines ({lines}); rename one.")
        known = ", ".join(sorted(p.name for ps in self.by_name.values() for p in ps)[:30])
        raise ValueError(f"unknown product {name!r}; known products: {known or 'none'}.")


class RowChecker:
    """Checks one row at a time, collecting Issues; keeps the good subscriptions."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.products = ProductNames()
        self.subs: dict[str, SubRow] = {}
        self.issues: list[Issue] = []
        self.bad_subs: set[str] = set()

    def _issue(self, row: int, column: str | None, message: str) -> None:
        self.issues.append(Issue(self.filename, row, column, message))

    def _field(self, row: int, column: str, text: str, parse: Any) -> Any:
        if not text:
            return None
        try:
            return parse(text)
        except (ValueError, InvalidOperation):
            self._issue(row, column, f"{text!r} is not {_KINDS[column]}.")
            return None

    def check(self, number: int, raw: dict[str, str]) -> None:
        before = len(self.issues)
        values = self._values(number, raw)
        product = self._product(number, raw.get("product", ""))
        for name, messages in clean_subscription(values).items():
            self._issue(number, _COLUMN.get(name, name), messages[0])
        key = raw.get("id") or f"{raw['customer']}:{raw.get('product', '')}:{raw['start']}"
        if len(self.issues) > before:
            self.bad_subs.add(key)
            return
        self._add(number, key, raw, values, product)

    def _values(self, number: int, raw: dict[str, str]) -> dict[str, Any]:
        for column in REQUIRED:
            if not raw.get(column):
                self._issue(number, column, "is required.")
        values: dict[str, Any] = {
            "status": raw["status"].lower() or None,
            "currency": raw["currency"].upper() or None,
            "interval": raw["interval"].lower() or None,
            "interval_count": self._field(
                number, "interval_count", raw.get("interval_count", ""), int
            )
            or 1,
            "started_at": self._field(number, "start", raw["start"], parse_day),
            "quantity": self._field(number, "quantity", raw.get("quantity", ""), int),
            "amount": self._field(number, "amount", raw["amount"], Decimal),
        }
        for name in ("canceled_at", "ended_at", "trial_end"):
            values[name] = self._field(number, name, raw.get(name, ""), parse_day)
        self._check_numbers(number, values)
        return values

    def _check_numbers(self, number: int, values: dict[str, Any]) -> None:
        amount, quantity = values["amount"], values["quantity"]
        if amount is not None and (not amount.is_finite() or amount < 0 or amount >= 10**9):
            self._issue(number, "amount", f"{amount} must be a number from 0 to 999,999,999.")
        if quantity is not None and not 0 <= quantity <= 10**7:
            self._issue(number, "quantity", f"{quantity} must be from 0 to 10,000,000.")

    def _product(self, number: int, name: str) -> int | None:
        if not name:
            return None
        try:
            return self.products.find(name)
        except ValueError as error:
            self._issue(number, "product", str(error))
            return None

    def _add(
        self,
        number: int,
        key: str,
        raw: dict[str, str],
        values: dict[str, Any],
        product: int | None,
    ) -> None:
        known = self.subs.get(key)
        item = (product, values.pop("amount"), values.pop("quantity") or 1)
        if known is None:
            known = SubRow(number, key, raw["customer"], raw.get("customer_name", ""), values)
            self.subs[key] = known
        else:
            for name in values:
                if values[name] != known.values[name]:
                    column = _COLUMN.get(name, name)
                    self._issue(
                        number, column, f"differs from row {known.row} of subscription {key!r}."
                    )
                    self.bad_subs.add(key)
                    return
        known.items.append(item)
        known.rows.append(number)

    def good(self) -> list[SubRow]:
        return [s for key, s in self.subs.items() if key not in self.bad_subs]


_COLUMN: Final = {"started_at": "start"}
_KINDS: Final = {
    "interval_count": "a whole number",
    "quantity": "a whole number",
    "amount": "a decimal number (major units, e.g. 12.50)",
    "start": "a date (2024-03-01) or timestamp",
    "canceled_at": "a date (2024-03-01) or timestamp",
    "ended_at": "a date (2024-03-01) or timestamp",
    "trial_end": "a date (2024-03-01) or timestamp",
}
