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
