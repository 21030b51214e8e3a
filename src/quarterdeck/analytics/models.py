"""Saved insights (a named insight query, optionally pinned to its product's analytics page) and
the cache of query results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class InsightKind(models.TextChoices):
    """The kinds of metrics.insights.KINDS, with names for people."""

    ACTIVE_USERS = "active-users", "Active users"
    ACTIVE_DAYS = "active-days", "Active days"
    FEATURE_ADOPTION = "feature-adoption", "Feature adoption"
    RETENTION = "retention", "Retention"
    LIFECYCLE = "lifecycle", "Lifecycle"
    FUNNEL = "funnel", "Funnel"


class SavedInsight(models.Model):
    """A named insight. ``query`` is InsightQuery.to_data(); ``kind`` and ``product`` repeat its
    kind and product_id so lists can filter on them."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=InsightKind.choices)
    query = models.JSONField(default=dict)
    # An insight about a deleted product has nothing left to show: it goes with the product.
    product = models.ForeignKey(
        "portfolio.Product",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_insights",
    )
    # None: made by the system (the demo) — only leaders and admins change those.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="saved_insights",
    )
    pinned = models.BooleanField(default=False, help_text="Shown on the product's analytics page.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["product", "pinned"])]

    def __str__(self) -> str:
        return self.name


class CachedResult(models.Model):
    """The rows one engine query returned. ``key`` hashes the engine, the SQL and the event
    store's generation, so new events make a new key and old entries simply age out."""

    key = models.CharField(max_length=64, unique=True)
    rows = models.TextField(help_text="Tagged JSON (analytics.cache).")
    computed_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"cached {self.key[:12]} at {self.computed_at:%Y-%m-%d %H:%M}"
