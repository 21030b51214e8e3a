"""Reads of the revenue module, and who may do what with revenue.

Revenue per product is business data: members and up (admin, leader, manager, member) read it;
admins and leaders change customers and subscriptions and import files; admins set exchange
rates. Contributors and viewers see none of it. ``user=None`` is the operator at the command line
(or another module computing a key result), who reads all.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import NotAllowed, NotFound
from quarterdeck.revenue.models import CurrencyRate, Customer, Subscription

READ_MESSAGE = "Revenue is visible to product managers, managers, leaders and admins only."


def may_read_revenue(user: User | None) -> bool:
    return user is None or rules.may_write_portfolio(user)


def may_change_revenue(user: User | None) -> bool:
    return user is None or rules.changes_everything(user)


def may_set_rates(user: User | None) -> bool:
    return user is None or rules.is_admin(user)


def check_read(user: User | None) -> None:
    if not may_read_revenue(user):
        raise NotAllowed(READ_MESSAGE)


def check_change(user: User | None) -> None:
    check_read(user)
    if not may_change_revenue(user):
        raise NotAllowed("Only leaders and admins change customers, subscriptions and imports.")


def check_rates(user: User | None) -> None:
    check_read(user)
    if not may_set_rates(user):
        raise NotAllowed("Only admins set exchange rates.")


def reporting_currency() -> str:
    return str(settings.REVENUE_CURRENCY)


def list_customers(user: User | None, *, search: str = "") -> QuerySet[Customer]:
    check_read(user)
    qs = Customer.objects.all()
    if search:
        qs = qs.filter(name__icontains=search) | qs.filter(external_id__icontains=search)
    return qs


def access_customer(user: User | None, customer_id: int, *, for_write: bool = False) -> Customer:
    (check_change if for_write else check_read)(user)
    found = Customer.objects.filter(pk=customer_id).first()
    if found is None:
        raise NotFound(f"There is no customer with id {customer_id}.")
    return found


def list_subscriptions(
    user: User | None, *, customer_id: int | None = None, status: str = ""
) -> QuerySet[Subscription]:
    check_read(user)
    qs = Subscription.objects.select_related("customer").prefetch_related("items__product")
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if status:
        qs = qs.filter(status=status)
    return qs


def access_subscription(
    user: User | None, subscription_id: int, *, for_write: bool = False
) -> Subscription:
    (check_change if for_write else check_read)(user)
    found = list_subscriptions(None).filter(pk=subscription_id).first()
    if found is None:
        raise NotFound(f"There is no subscription with id {subscription_id}.")
    return found


def list_rates(user: User | None) -> QuerySet[CurrencyRate]:
    check_read(user)
    return CurrencyRate.objects.all()


def access_rate(user: User | None, rate_id: int, *, for_write: bool = False) -> CurrencyRate:
    (check_rates if for_write else check_read)(user)
    found = CurrencyRate.objects.filter(pk=rate_id).first()
    if found is None:
        raise NotFound(f"There is no exchange rate with id {rate_id}.")
    return found
