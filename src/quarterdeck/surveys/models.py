"""Surveys (NPS, CSAT, CES) and their responses.

A survey stores its scale (``scale_min``...``scale_max``), so the metrics of METRICS_SPEC §6 are
computed on the scale the answers were given on. A response's ``score`` may be empty: the
metrics ignore such answers (the spec counts only scored answers), but the verbatim of an
unscored answer is still customer voice, so answers given through the API or events keep it.
The CSV import refuses unscored rows unless told to skip them (the issue asks for them to be
reported), so imported rows always have a score.
"""

from __future__ import annotations

from typing import Final

from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    NPS = "nps", "NPS"
    CSAT = "csat", "CSAT"
    CES = "ces", "CES"


DEFAULT_SCALES: Final[dict[str, tuple[int, int]]] = {
    Kind.NPS: (0, 10),
    Kind.CSAT: (1, 5),
    Kind.CES: (1, 7),
}


class Source(models.TextChoices):
    API = "api", "API"
    IMPORT = "import", "CSV import"
    EVENT = "event", "Event"


class Survey(models.Model):
    """One question asked on one scale; answers arrive by API, CSV import or events.

    Event mapping: events named ``event_name`` whose properties carry the score under
    ``score_property`` (and the comment under ``comment_property``) become responses; with
    ``event_survey_id`` set, only events whose ``$survey_id`` property equals it (PostHog)."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    scale_min = models.SmallIntegerField()
    scale_max = models.SmallIntegerField()
    question = models.CharField(max_length=500, blank=True)
    product = models.ForeignKey(
        "portfolio.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    event_name = models.CharField(max_length=200, blank=True)
    event_survey_id = models.CharField(max_length=200, blank=True)
    score_property = models.CharField(max_length=200, blank=True)
    comment_property = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Response(models.Model):
    """One answer. ``external_id`` (unique per survey) makes re-imports and re-syncs idempotent:
    the event id for events, a CSV column or a row fingerprint for imports, the caller's id for
    the API."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    score = models.SmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField()
    respondent = models.CharField(max_length=200, blank=True)
    account = models.CharField(max_length=200, blank=True)
    product = models.ForeignKey(
        "portfolio.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    segment = models.CharField(max_length=100, blank=True)
    stage = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    external_id = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-answered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "external_id"], name="unique_survey_response_external_id"
            )
        ]
        indexes = [models.Index(fields=["survey", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.score} at {self.answered_at:%Y-%m-%d}"
