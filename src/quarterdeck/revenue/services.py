"""Writes of the revenue module: customers, subscriptions (with their items) and exchange rates.

Every write checks the actor (``None`` is the operator at the command line or the demo loader),
runs in a transaction, checks the version the caller read when given, and is audited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotFound, VersionConflict
from quarterdeck.portfolio.models import Product
from quarterdeck.revenue import selectors
from quarterdeck.revenue.models import (
    CurrencyRate,
    Customer,
    Interval,
    Status,
    Subscription,
    SubscriptionItem,
)
from quarterdeck.strategy.tasks import schedule_refresh

M = TypeVar("M", Customer, Subscription, CurrencyRate)
CUSTOMER_FIELDS = ("external_id", "name", "account_id")
SUBSCRIPTION_FIELDS = (
    "external_id",
    "status",
    "currency",
    "interval",
    "interval_count",
    "started_at",
    "trial_end",
    "canceled_at",
    "ended_at",
)


def _invalid(fields: dict[str, list[str]]) -> InvalidInput:
    summary = "; ".join(f"{name}: {msgs[0]}" for name, msgs in fields.items())
    return InvalidInput(f"Invalid input — {summary}", fields=fields)


def _locked[M: (Customer, Subscription, CurrencyRate)](
    model: type[M], pk: int, expected_version: int | None
) -> M:
    found = model.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(f"There is no {model._meta.verbose_name} with id {pk}.")
    if expected_version is not None and found.version != expected_version:
        raise VersionConflict(
            f"{model._meta.verbose_name} “{found}” was changed by someone else; reload it.",
            current_version=found.version,
        )
    return found


def _save(actor: User | None, obj: models.Model, before: dict[str, Any] | None) -> None:
    """Save a created (``before`` None) or changed object, bump its version, audit it."""
    if before is not None:
        obj.version += 1  # type: ignore[attr-defined]
        obj.updated_at = timezone.now()  # type: ignore[attr-defined]
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
    after = _snapshot(obj)
    action = Action.CREATE if before is None else Action.UPDATE
    audit_record(actor=actor, action=action, obj=obj, before=before, after=after)


def _snapshot(obj: models.Model) -> dict[str, Any]:
    data = snapshot(obj)
    if isinstance(obj, Subscription):
        data["items"] = [
            [i.product_id, str(i.amount), i.quantity] for i in obj.items.order_by("id")
        ]
    return data


def _unique(model: type[models.Model], pk: int | None, **lookup: Any) -> None:
    clash = model._default_manager.filter(**lookup).exclude(pk=pk).exists()
    if clash:
        name, value = next(iter(lookup.items()))
        raise _invalid({name: [f"{value!r} is already taken."]})


# Customers


def _clean_customer(data: Mapping[str, Any]) -> dict[str, Any]:
    clean = {k: str(v).strip() for k, v in data.items() if k in CUSTOMER_FIELDS and v is not None}
    if "external_id" in clean and not clean["external_id"]:
        raise _invalid({"external_id": ["This field is required."]})
    return clean


def customer_create(*, actor: User | None, data: Mapping[str, Any]) -> Customer:
    selectors.check_change(actor)
    clean = _clean_customer(data)
    if not clean.get("external_id"):
        raise _invalid({"external_id": ["This field is required."]})
    with transaction.atomic():
        _unique(Customer, None, external_id=clean["external_id"])
        customer = Customer(**clean)
        _save(actor, customer, None)
    return customer


def customer_update(
    *, actor: User | None, customer_id: int, data: Mapping[str, Any], expected_version: int | None
) -> Customer:
    selectors.access_customer(actor, customer_id, for_write=True)
    clean = _clean_customer(data)
    with transaction.atomic():
        customer = _locked(Customer, customer_id, expected_version)
        before = _snapshot(customer)
        if "external_id" in clean:
            _unique(Customer, customer.pk, external_id=clean["external_id"])
        for name, value in clean.items():
            setattr(customer, name, value)
        _save(actor, customer, before)
    return customer


# Subscriptions


def _choice(fields: dict[str, list[str]], name: str, value: Any, choices: list[str]) -> None:
    if value is not None and value not in choices:
        fields.setdefault(name, []).append(f"{value!r} is not one of {', '.join(choices)}.")


def check_dates(fields: dict[str, list[str]], values: Mapping[str, Any]) -> None:
    """Ended or cancelled before it started; cancelled without a date."""
    start = values.get("started_at")
    for name in ("canceled_at", "ended_at", "trial_end"):
        day = values.get(name)
        if isinstance(start, date) and isinstance(day, date) and day < start:
            fields.setdefault(name, []).append(f"{day} is before the start ({start}).")
    ended = values.get("canceled_at") or values.get("ended_at")
    if values.get("status") == Status.CANCELED and ended is None:
        fields.setdefault("status", []).append("canceled needs canceled_at or ended_at.")


def clean_subscription(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """What is wrong with a subscription's field values (empty: nothing)."""
    fields: dict[str, list[str]] = {}
    _choice(fields, "status", values.get("status"), list(Status.values))
    _choice(fields, "interval", values.get("interval"), list(Interval.values))
    currency = values.get("currency")
    if currency is not None and not (len(str(currency)) == 3 and str(currency).isalpha()):
        fields.setdefault("currency", []).append(f"{currency!r} is not a 3-letter ISO code.")
    count = values.get("interval_count")
    if count is not None and not 1 <= int(count) <= 365:
        fields.setdefault("interval_count", []).append("must be between 1 and 365.")
    check_dates(fields, values)
    return fields


def _clean_items(items: Sequence[Mapping[str, Any]]) -> list[SubscriptionItem]:
    fields: dict[str, list[str]] = {}
    found: list[SubscriptionItem] = []
    for index, item in enumerate(items):
        product_id = item.get("product_id")
        if product_id is not None and not Product.objects.filter(pk=product_id).exists():
            fields.setdefault(f"items.{index}.product_id", []).append(
                f"there is no product with id {product_id}."
            )
        amount, quantity = Decimal(str(item.get("amount", 0))), int(item.get("quantity", 1))
        if amount < 0 or quantity < 0:
            fields.setdefault(f"items.{index}", []).append("amount and quantity must be ≥ 0.")
        found.append(SubscriptionItem(product_id=product_id, amount=amount, quantity=quantity))
    if fields:
        raise _invalid(fields)
    return found


def _customer_for(data: Mapping[str, Any]) -> Customer:
    customer_id = data.get("customer_id")
    found = Customer.objects.filter(pk=int(customer_id)).first() if customer_id else None
    if found is None:
        raise _invalid(
            {"customer_id": [f"there is no customer with id {data.get('customer_id')}."]}
        )
    return found


def _apply(sub: Subscription, data: Mapping[str, Any]) -> None:
    values = {k: data[k] for k in SUBSCRIPTION_FIELDS if k in data}
    if values.get("currency"):
        values["currency"] = str(values["currency"]).upper()
    merged = {name: getattr(sub, name) for name in SUBSCRIPTION_FIELDS} | values
    fields = clean_subscription(merged)
    if fields:
        raise _invalid(fields)
    _unique(Subscription, sub.pk, external_id=merged["external_id"])
    for name, value in values.items():
        setattr(sub, name, value)


def _replace_items(sub: Subscription, items: list[SubscriptionItem]) -> None:
    sub.items.all().delete()
    for item in items:
        item.subscription = sub
    SubscriptionItem.objects.bulk_create(items)


def subscription_create(*, actor: User | None, data: Mapping[str, Any]) -> Subscription:
    selectors.check_change(actor)
    if not data.get("external_id") or not data.get("started_at") or not data.get("currency"):
        raise _invalid(
            {
                n: ["This field is required."]
                for n in ("external_id", "started_at", "currency")
                if not data.get(n)
            }
        )
    with transaction.atomic():
        sub = Subscription(customer=_customer_for(data))
        _apply(sub, data)
        items = _clean_items(data.get("items") or [])
        sub.full_clean(validate_unique=False, validate_constraints=False)
        sub.save()
        _replace_items(sub, items)
        audit_record(actor=actor, action=Action.CREATE, obj=sub, after=_snapshot(sub))
        schedule_refresh(sources=["revenue"])  # key results bound to revenue, after the commit
    return sub


def subscription_update(
    *,
    actor: User | None,
    subscription_id: int,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> Subscription:
    selectors.access_subscription(actor, subscription_id, for_write=True)
    with transaction.atomic():
        sub = _locked(Subscription, subscription_id, expected_version)
        before = _snapshot(sub)
        if "customer_id" in data:
            sub.customer = _customer_for(data)
        _apply(sub, data)
        if "items" in data:
            _replace_items(sub, _clean_items(data["items"] or []))
        _save(actor, sub, before)
        schedule_refresh(sources=["revenue"])
    return selectors.access_subscription(None, sub.pk)


# Exchange rates


def rate_set(
    *, actor: User | None, currency: str, rate: Decimal, valid_from: date | None = None
) -> CurrencyRate:
    """Set (or replace) the rate of ``currency`` from ``valid_from`` (default: 2000-01-01, i.e.
    for all history)."""
    selectors.check_rates(actor)
    code = currency.strip().upper()
    fields: dict[str, list[str]] = {}
    if not (len(code) == 3 and code.isalpha()):
        fields["currency"] = [f"{currency!r} is not a 3-letter ISO code."]
    elif code == selectors.reporting_currency():
        fields["currency"] = [f"{code} is the reporting currency; its rate is always 1."]
    if not rate > 0:
        fields["rate"] = ["must be greater than 0."]
    if fields:
        raise _invalid(fields)
    day = valid_from or date(2000, 1, 1)
    with transaction.atomic():
        found = (
            CurrencyRate.objects.select_for_update().filter(currency=code, valid_from=day).first()
        )
        if found is None:
            found = CurrencyRate(currency=code, rate=rate, valid_from=day)
            _save(actor, found, None)
        else:
            before = _snapshot(found)
            found.rate = rate
            _save(actor, found, before)
    return found


def rate_delete(*, actor: User | None, rate_id: int, expected_version: int | None) -> None:
    selectors.access_rate(actor, rate_id, for_write=True)
    with transaction.atomic():
        found = _locked(CurrencyRate, rate_id, expected_version)
        audit_record(actor=actor, action=Action.DELETE, obj=found, before=_snapshot(found))
        found.delete()
