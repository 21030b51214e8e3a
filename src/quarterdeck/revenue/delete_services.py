"""Deleting customers and subscriptions entered by mistake (the writes of ``services``, kept
apart so that module stays small). Same rules: leaders, admins and the operator (``None``);
locked, version-checked when the caller read a version, audited with the state before."""

from __future__ import annotations

from django.db import transaction

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.revenue import selectors
from quarterdeck.revenue.models import Customer, Subscription
from quarterdeck.revenue.services import _locked, _snapshot
from quarterdeck.strategy.tasks import schedule_refresh


def subscription_delete(
    *, actor: User | None, subscription_id: int, expected_version: int | None
) -> None:
    selectors.access_subscription(actor, subscription_id, for_write=True)
    with transaction.atomic():
        sub = _locked(Subscription, subscription_id, expected_version)
        audit_record(actor=actor, action=Action.DELETE, obj=sub, before=_snapshot(sub))
        sub.delete()  # its items go with it (CASCADE)
        schedule_refresh(sources=["revenue"])  # key results bound to revenue, after the commit


def customer_delete(*, actor: User | None, customer_id: int, expected_version: int | None) -> None:
    """Delete a customer without subscriptions; one with any is refused, never cascaded, so
    no revenue history disappears as a side effect."""
    selectors.access_customer(actor, customer_id, for_write=True)
    with transaction.atomic():
        customer = _locked(Customer, customer_id, expected_version)
        count = customer.subscriptions.count()
        if count:
            message = (
                f"Customer “{customer}” still has {count} subscription(s); "
                "delete them or move them to another customer first."
            )
            raise InvalidInput(message, fields={"subscriptions": [message]})
        audit_record(actor=actor, action=Action.DELETE, obj=customer, before=_snapshot(customer))
        customer.delete()
