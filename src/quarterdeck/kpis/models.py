"""KPI snapshots: one value per product (or feature), day and metric, computed by the metric
engine and kept for dashboards, key results and reviews; plus each product's refresh state."""

from __future__ import annotations

from typing import Final

from django.db import models
from django.utils import timezone


class Metric(models.TextChoices):
    DAU = "dau", "Daily active users"
    WAU = "wau", "Weekly active users (7 days)"
    MAU = "mau", "Monthly active users (30 days)"
    STICKINESS = "stickiness", "Stickiness (DAU / MAU)"
    FEATURE_USERS = "feature_users", "Feature users (day)"
    FEATURE_USERS_30D = "feature_users_30d", "Feature users (30 days)"
    FEATURE_ADOPTION_30D = "feature_adoption_30d", "Feature adoption (30 days)"


PRODUCT_METRICS: Final = (Metric.DAU, Metric.WAU, Metric.MAU, Metric.STICKINESS)
FEATURE_METRICS: Final = (
    Metric.FEATURE_USERS,
    Metric.FEATURE_USERS_30D,
    Metric.FEATURE_ADOPTION_30D,
)
RATIO_METRICS: Final = (Metric.STICKINESS, Metric.FEATURE_ADOPTION_30D)


class KpiSnapshot(models.Model):
    """The value of one metric on one day (workspace calendar), for a product (``feature`` None)
    or one of its features. Ratios keep their numerator and denominator."""

    product = models.ForeignKey(
        "portfolio.Product", on_delete=models.CASCADE, related_name="kpi_snapshots"
    )
    feature = models.ForeignKey(
        "portfolio.Feature",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpi_snapshots",
    )
    day = models.DateField()
    metric = models.CharField(max_length=30, choices=Metric.choices)
    value = models.FloatField()
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product", "feature", "metric", "day"]
        # NULL never equals NULL in a unique index (SQLite and PostgreSQL alike), so one
        # constraint over (product, feature, ...) would let product-level rows repeat.
        constraints = [
            models.UniqueConstraint(
                fields=["product", "metric", "day"],
                condition=models.Q(feature__isnull=True),
                name="unique_product_kpi_per_day",
            ),
            models.UniqueConstraint(
                fields=["feature", "metric", "day"],
                condition=models.Q(feature__isnull=False),
                name="unique_feature_kpi_per_day",
            ),
        ]

    def __str__(self) -> str:
        subject = f"feature {self.feature_id}" if self.feature_id else f"product {self.product_id}"
        return f"{subject} {self.metric} {self.day}: {self.value}"


class KpiRefreshState(models.Model):
    """How far a product's snapshots are computed, and from which definitions: when the
    fingerprint of its tracking and feature-usage definitions changes, it is recomputed in full."""

    product = models.OneToOneField(
        "portfolio.Product", on_delete=models.CASCADE, related_name="kpi_state"
    )
    first_day = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    last_full_at = models.DateTimeField(null=True, blank=True)
    duration = models.FloatField(default=0.0, help_text="Seconds the last refresh took.")
    full_duration = models.FloatField(default=0.0, help_text="Seconds the last full one took.")
    days_computed = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"KPIs of product {self.product_id} through {self.last_day}"


class KpiRefreshRequest(models.Model):
    """One row: a refresh asked for (after new events were stored) and not yet started, so a
    burst of compactions schedules one refresh, from the earliest day they touched."""

    since = models.DateField(null=True, blank=True)
    pending = models.BooleanField(default=False)
    requested_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"KPI refresh {'pending' if self.pending else 'answered'} since {self.since}"
