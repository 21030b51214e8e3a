"""Models of the revenue module: customers, their subscriptions and the items of each, mapped to
products, and the exchange rates that turn every currency into the reporting currency.

Amounts are decimals in major units (12.50 = twelve euros fifty), per unit and billing
interval, as Stripe's CSV exports show them. Dates are calendar days in the workspace zone.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    TRIALING = "trialing", "Trialing"
    ACTIVE = "active", "Active"
    PAST_DUE = "past_due", "Past due"
    CANCELED = "canceled", "Canceled"
    UNPAID = "unpaid", "Unpaid"
    INCOMPLETE = "incomplete", "Incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired", "Incomplete (expired)"
    PAUSED = "paused", "Paused"


class Interval(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Customer(models.Model):
    external_id = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=200, blank=True)
    # The account id the product events carry (Segment groupId), to join usage and revenue.
    account_id = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["external_id"]

    def __str__(self) -> str:
        return self.name or self.external_id


class Subscription(models.Model):
    external_id = models.CharField(max_length=200, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="subscriptions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    currency = models.CharField(max_length=3)
    interval = models.CharField(max_length=5, choices=Interval.choices, default=Interval.MONTH)
    interval_count = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateField()
    trial_end = models.DateField(null=True, blank=True)
    canceled_at = models.DateField(null=True, blank=True)
    ended_at = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["external_id"]

    def __str__(self) -> str:
        return self.external_id


class SubscriptionItem(models.Model):
    """A priced line; ``product`` None = not mapped to a product (counted in totals, reported)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "portfolio.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscription_items",
    )
    amount = models.DecimalField(max_digits=14, decimal_places=4)
    quantity = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["subscription", "id"]

    def __str__(self) -> str:
        return f"{self.subscription_id}: {self.quantity} x {self.amount}"


class CurrencyRate(models.Model):
    """1 ``currency`` = ``rate`` units of the reporting currency, from ``valid_from`` on."""

    currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=18, decimal_places=8)
    valid_from = models.DateField()
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="unique_rate_per_day")
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} from {self.valid_from}"
