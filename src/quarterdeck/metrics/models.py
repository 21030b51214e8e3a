"""Event sources (where product events come in, each with its write key) and the warnings
ingestion records about them. The events themselves are not in the database: they live in
Parquet files under settings.EVENTS_DIR (see metrics/storage)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

DEFAULT_GROUP_TYPE = "company"


class Source(models.Model):
    """One tracking integration: an app or service sending events with one write key."""

    name = models.CharField(max_length=100, unique=True)
    products = models.ManyToManyField("portfolio.Product", related_name="event_sources", blank=True)
    # Kept in full (not hashed): like Segment's and PostHog's keys it only allows sending
    # events, and the people who manage the source need to read it to configure their SDKs.
    write_key = models.CharField(max_length=64, unique=True)
    # The PostHog group type whose key is the account (properties.$groups[<type>]).
    account_group_type = models.CharField(max_length=100, default=DEFAULT_GROUP_TYPE)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def key_hint(self) -> str:
        """The key's first characters, for people who may not read the whole key."""
        return self.write_key[:8] + "…"


class WarningKind(models.TextChoices):
    INVALID_BODY = "invalid_body", "Unreadable request"
    TOO_LARGE = "too_large", "Over a size limit"
    INVALID_EVENT = "invalid_event", "Event refused"
    REVOKED_KEY = "revoked_key", "Revoked write key used"
    OVERLOADED = "overloaded", "Asked to retry later (backlog full)"


class IngestionWarning(models.Model):
    """A problem with what a source sent. The same problem within a day is one row, counted."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="warnings")
    kind = models.CharField(max_length=20, choices=WarningKind.choices)
    message = models.CharField(max_length=500)
    sample = models.TextField(blank=True, help_text="The start of one offending payload.")
    count = models.PositiveIntegerField(default=1)
    first_at = models.DateTimeField(default=timezone.now)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["source", "kind", "message"])]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind}: {self.message}"


class ProductTracking(models.Model):
    """Which events belong to a product, beyond (or instead of) its sources (``Source.products``):
    property conditions every event of the product meets, e.g. ``properties.app = "routeiq"`` when
    one source feeds several products. JSON list of ``{"key", "op", "value", "on"}``."""

    product = models.OneToOneField(
        "portfolio.Product", on_delete=models.CASCADE, related_name="tracking"
    )
    conditions = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"tracking of {self.product_id}"


class FeatureUsage(models.Model):
    """What counts as using a feature: an event name (empty: any activity event of the product)
    and property conditions (same JSON shape as ProductTracking.conditions)."""

    feature = models.OneToOneField(
        "portfolio.Feature", on_delete=models.CASCADE, related_name="usage"
    )
    event = models.CharField(max_length=200, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"usage of {self.feature_id}: {self.event or 'any event'}"
