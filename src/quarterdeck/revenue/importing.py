"""Import of a Stripe-style subscriptions CSV (columns: see csvrows.py).

Every row is checked first. On any error nothing is written, unless ``skip_invalid``: then the
good subscriptions are written and the bad rows reported. Re-importing a file updates what it
imported before (subscriptions by id, or by the natural key ``customer:product:start``;
customers by id) instead of duplicating it; a subscription's items are replaced by the file's.
One transaction; every created or changed customer and subscription is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from quarterdeck.accounts.models import User
from quarterdeck.lib.progress import NoProgress, Progress
from quarterdeck.revenue import selectors, services
from quarterdeck.revenue.csvrows import FileError, RowChecker, SubRow, read_rows
from quarterdeck.revenue.models import Customer, Subscription
from quarterdeck.transfer.report import report_csv
from quarterdeck.transfer.schema import Issue


@dataclass
class RevenueImport:
    """What an import did; ``written`` is False when nothing at all was written."""

    written: bool
    created: dict[str, int] = field(default_factory=lambda: {"customers": 0, "subscriptions": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"customers": 0, "subscriptions": 0})
    unchanged: int = 0
    unmapped_items: int = 0
    errors: list[Issue] = field(default_factory=list)

    def report(self) -> str:
        """The problems as CSV (file, row, column, status, message)."""
        return report_csv(self.errors, [], written=self.written)

    def summary(self) -> dict[str, Any]:
        return {
            "written": self.written,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unmapped_items": self.unmapped_items,
            "errors": [
                {"file": i.file, "row": i.row, "column": i.column, "message": i.message}
                for i in self.errors
            ],
        }


def revenue_import(
    *,
    actor: User | None,
    content: bytes,
    filename: str = "subscriptions.csv",
    skip_invalid: bool = False,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> RevenueImport:
    """Check every row, then write all (or, with ``skip_invalid``, the good) subscriptions."""
    selectors.check_change(actor)
    bar = progress or NoProgress()
    try:
        rows = read_rows(content, dict(mapping or {}))
    except FileError as error:
        return RevenueImport(False, errors=[Issue(filename, None, None, str(error))])
    checker = RowChecker(filename)
    bar.start("Checking rows", len(rows))
    for number, values in rows:
        checker.check(number, values)
        bar.advance()
    result = RevenueImport(False, errors=checker.issues)
    good = checker.good()
    if (checker.issues and not skip_invalid) or not good:
        return result
    bar.start("Writing subscriptions", len(good))
    with transaction.atomic():
        for sub in good:
            _write(actor, sub, result)
            bar.advance()
    result.written = True
    return result


def _customer(actor: User | None, sub: SubRow, result: RevenueImport) -> Customer:
    found = Customer.objects.filter(external_id=sub.customer).first()
    if found is None:
        result.created["customers"] += 1
        data = {"external_id": sub.customer, "name": sub.customer_name}
        return services.customer_create(actor=actor, data=data)
    if sub.customer_name and found.name != sub.customer_name:
        result.updated["customers"] += 1
        data = {"name": sub.customer_name}
        return services.customer_update(
            actor=actor, customer_id=found.pk, data=data, expected_version=None
        )
    return found


def _items(sub: SubRow) -> list[dict[str, Any]]:
    return [{"product_id": p, "amount": a, "quantity": q} for p, a, q in sub.items]


def _same(found: Subscription, data: dict[str, Any]) -> bool:
    fields = all(getattr(found, k) == v for k, v in data.items() if k not in {"items"})
    stored = [(i.product_id, i.amount, i.quantity) for i in found.items.order_by("id")]
    return fields and stored == [
        (i["product_id"], i["amount"], i["quantity"]) for i in data["items"]
    ]


def _write(actor: User | None, sub: SubRow, result: RevenueImport) -> None:
    customer = _customer(actor, sub, result)
    data = {**sub.values, "external_id": sub.external_id, "items": _items(sub)}
    data["customer_id"] = customer.pk
    result.unmapped_items += sum(1 for p, _, _ in sub.items if p is None)
    found = Subscription.objects.filter(external_id=sub.external_id).first()
    if found is None:
        services.subscription_create(actor=actor, data=data)
        result.created["subscriptions"] += 1
    elif _same(found, data):
        result.unchanged += 1
    else:
        services.subscription_update(
            actor=actor, subscription_id=found.pk, data=data, expected_version=None
        )
        result.updated["subscriptions"] += 1
