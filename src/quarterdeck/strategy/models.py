"""Strategy and outcomes: the company vision with its CPO / CTO sign-offs, strategic pillars
that product lines and products serve, outcomes (objectives) at company, line and product level
aligned to a parent, their check-ins, and key results bound to a metric (analytics, survey,
revenue) or typed in (manual), with the computed value history behind progress and status.

Computed fields (``current``, ``progress``, ``forecast*``, ``status``, ``refreshed_at``) are
written only by the refresh (strategy/refresh.py); everything else only by strategy/services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignOffRole(models.TextChoices):
    CPO = "cpo", "CPO (product leadership)"
    CTO = "cto", "CTO (technology leadership)"


class Vision(models.Model):
    """The company's product vision: one row (pk 1). A sign-off counts for the version signed."""

    statement = models.TextField(blank=True)
    horizon = models.CharField(max_length=100, blank=True)  # e.g. "2026-2028"
    # Who signs for product and for technology leadership (set by an admin or leader).
    cpo = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cto = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.statement[:60] or "(no vision yet)"


class SignOff(models.Model):
    """A leader's sign-off of one version of the vision and pillars (history is kept)."""

    role = models.CharField(max_length=10, choices=SignOffRole.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    vision_version = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.role} signed v{self.vision_version}"


class Pillar(models.Model):
    """A strategic pillar; product lines and products name the pillars they serve."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    lines = models.ManyToManyField("portfolio.ProductLine", blank=True, related_name="pillars")
    products = models.ManyToManyField("portfolio.Product", blank=True, related_name="pillars")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    COMPANY = "company", "Company"
    LINE = "line", "Product line"
    PRODUCT = "product", "Product"


class Health(models.TextChoices):
    """What a person says in a check-in."""

    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


class Status(models.TextChoices):
    """What the data says (forecast at the end date); ``no_data`` until it can be computed."""

    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    NO_DATA = "no_data", "No data"


class Outcome(models.Model):
    """An objective at company, product-line or product level, aligned to a parent outcome."""

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    level = models.CharField(max_length=10, choices=Level.choices)
    line = models.ForeignKey(
        "portfolio.ProductLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    product = models.ForeignKey(
        "portfolio.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="outcomes")
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    period = models.CharField(max_length=20)  # "2026-Q4" or "custom"
    start = models.DateField()
    end = models.DateField()
    # Share of this outcome in its parent's roll-up.
    weight = models.FloatField(default=1.0)
    # Computed by the refresh: roll-up of key results and children.
    progress = models.FloatField(null=True, blank=True)
    forecast_progress = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NO_DATA)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "level", "title"]

    def __str__(self) -> str:
        return self.title


class CheckIn(models.Model):
    """A written check-in on an outcome: the owner's health call and a note."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="check_ins")
    health = models.CharField(max_length=10, choices=Health.choices)
    note = models.TextField(blank=True)
    # The computed progress and status when the check-in was written (context for readers).
    progress = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NO_DATA)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.health} on outcome {self.outcome_id}"


class Source(models.TextChoices):
    ANALYTICS = "analytics", "Product analytics"
    SURVEY = "survey", "Survey"
    REVENUE = "revenue", "Revenue"
    MANUAL = "manual", "Manual (check-ins)"


class Direction(models.TextChoices):
    INCREASE = "increase", "Increase to target"
    DECREASE = "decrease", "Decrease to target"


class KeyResult(models.Model):
    """A measurable result of an outcome. ``metric`` holds the binding's parameters (its shape
    depends on ``source``; strategy/bindings.py checks and evaluates it)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=300)
    source = models.CharField(max_length=10, choices=Source.choices)
    metric = models.JSONField(default=dict, blank=True)
    unit = models.CharField(max_length=30, blank=True)  # "users", "%", "NPS", "EUR"
    baseline = models.FloatField()
    target = models.FloatField()
    direction = models.CharField(max_length=10, choices=Direction.choices)
    start = models.DateField()
    end = models.DateField()
    weight = models.FloatField(default=1.0)
    position = models.PositiveIntegerField(default=0)
    # Computed by the refresh.
    current = models.FloatField(null=True, blank=True)
    progress = models.FloatField(null=True, blank=True)
    forecast = models.FloatField(null=True, blank=True)  # forecast value at ``end``
    forecast_progress = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NO_DATA)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    refresh_error = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["outcome", "position", "id"]

    def __str__(self) -> str:
        return self.title


class KeyResultCheckIn(models.Model):
    """A value typed in for a manual key result (or a note on a bound one: ``value`` None)."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="check_ins")
    day = models.DateField()
    value = models.FloatField(null=True, blank=True)
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "-at", "-id"]

    def __str__(self) -> str:
        return f"key result {self.key_result_id} on {self.day}: {self.value}"


class KeyResultPoint(models.Model):
    """One value of a key result's metric on one day: the history behind its chart, progress
    and forecast. Rebuilt by the refresh from the data (or from manual check-ins)."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="points")
    day = models.DateField()
    value = models.FloatField()

    class Meta:
        ordering = ["key_result", "day"]
        constraints = [
            models.UniqueConstraint(fields=["key_result", "day"], name="unique_kr_point_per_day")
        ]

    def __str__(self) -> str:
        return f"key result {self.key_result_id} on {self.day}: {self.value}"
