"""Prioritisation and roadmaps: scoring models and scores (with history and collaborative
rounds), team capacity, effort and dependencies, optimizer scenarios, roadmap placement, saved
views and their share links.

"Initiative" below means any portfolio Feature (kind feature or initiative): both are scored,
planned and placed on the roadmap.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from quarterdeck.people.models import Team
from quarterdeck.portfolio.models import Feature, ProductLine


class Framework(models.TextChoices):
    RICE = "rice", "RICE"
    ICE = "ice", "ICE"
    WSJF = "wsjf", "WSJF"
    VALUE_EFFORT = "value_effort", "Value / effort"
    KANO = "kano", "Kano"
    CUSTOM = "custom", "Custom formula"


class ScoringModel(models.Model):
    """A way of scoring: a framework's criteria and the formula that turns them into one value.

    ``criteria``: [{"key", "label", "kind": "number"|"choice", "min", "max", "choices": [..],
    "help"}]. ``formula`` is in the expression language of ``roadmap/formula.py``; for the
    built-in frameworks it is the framework's standard formula (editable like any other)."""

    name = models.CharField(max_length=200, unique=True)
    framework = models.CharField(max_length=20, choices=Framework.choices)
    description = models.TextField(blank=True)
    criteria = models.JSONField(default=list)
    formula = models.TextField()
    # The criteria that feed the 2x2 matrix and the bubble size (criterion keys or the names of
    # fields of the formula language such as "demand").
    value_key = models.CharField(max_length=100, blank=True)
    effort_key = models.CharField(max_length=100, blank=True)
    size_key = models.CharField(max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LineScoringDefault(models.Model):
    """The scoring model a product line uses unless a score names another."""

    line = models.OneToOneField(ProductLine, on_delete=models.CASCADE, related_name="scoring")
    scoring_model = models.ForeignKey(ScoringModel, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.line}: {self.scoring_model}"


class Score(models.Model):
    """The current score of one initiative under one scoring model."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="scores")
    scoring_model = models.ForeignKey(ScoringModel, on_delete=models.PROTECT, related_name="scores")
    inputs = models.JSONField(default=dict)  # {criterion key: number or choice}
    value = models.FloatField(null=True, blank=True)  # None when the formula cannot be computed
    error = models.TextField(blank=True)  # why value is None (missing input, division by zero…)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-value", "feature__name"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "scoring_model"], name="unique_score"),
        ]

    def __str__(self) -> str:
        return f"{self.feature}: {self.value}"


class ScoreChange(models.Model):
    """One change of a score: inputs and value before and after, who, when and why."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="changes")
    inputs_before = models.JSONField(default=dict)
    inputs_after = models.JSONField(default=dict)
    value_before = models.FloatField(null=True, blank=True)
    value_after = models.FloatField(null=True, blank=True)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=20, default="manual")  # manual | round | import | demo
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.score_id}: {self.value_before} → {self.value_after}"


class RoundState(models.TextChoices):
    OPEN = "open", "Open (ballots hidden)"
    REVEALED = "revealed", "Revealed"
    FINALISED = "finalised", "Finalised"
    CANCELLED = "cancelled", "Cancelled"


class ScoringRound(models.Model):
    """Collaborative scoring of one initiative: invited stakeholders score the criteria
    independently; ballots stay hidden until revealed; the leader finalises into the Score."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="scoring_rounds")
    scoring_model = models.ForeignKey(ScoringModel, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=RoundState.choices, default=RoundState.OPEN)
    invited = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    note = models.TextField(blank=True)
    final_inputs = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revealed_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Scoring round {self.pk} of {self.feature}"


class Ballot(models.Model):
    """One stakeholder's inputs in a round."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    inputs = models.JSONField(default=dict)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="one_ballot_per_voter"),
        ]

    def __str__(self) -> str:
        return f"Ballot of {self.voter_id} in round {self.round_id}"


# Capacity and planning ------------------------------------------------------------------------


class TeamCapacity(models.Model):
    """How much a team can give in one period, e.g. 24 engineer-weeks in 2027-Q1."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="capacities")
    period = models.CharField(max_length=10)  # "YYYY-Qn"
    capacity = models.FloatField()
    unit = models.CharField(max_length=40, default="engineer-weeks")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["team__name", "period"]
        constraints = [
            models.UniqueConstraint(fields=["team", "period"], name="unique_team_period"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.period}: {self.capacity}"


class Effort(models.Model):
    """What an initiative costs one team (same unit as the team's capacity)."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="efforts")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="efforts")
    amount = models.FloatField()

    class Meta:
        ordering = ["feature__name", "team__name"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "team"], name="unique_effort"),
        ]

    def __str__(self) -> str:
        return f"{self.feature} / {self.team}: {self.amount}"


class Dependency(models.Model):
    """``feature`` needs ``needs``: it cannot be planned before (or without) it."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="dependencies")
    needs = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="dependents")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["feature__name", "needs__name"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "needs"], name="unique_dependency"),
            models.CheckConstraint(
                condition=~models.Q(feature=models.F("needs")), name="no_self_dependency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feature} needs {self.needs}"


class Scenario(models.Model):
    """One optimizer run, saved: what went in and what came out.

    ``options``: {"periods": ["2027-Q1", ...], "scoring_model_id", "line_id" | None,
    "must_have": [feature ids], "exclusive_groups": [[feature ids], ...],
    "excluded": [feature ids], "capacity_overrides": {"team id": {"period": value}},
    "gap": 0.005, "time_limit": 10}.
    ``instance``: the JSON instance the solver saw (docs/optimizer.md format).
    ``result``: the solver's JSON output (plan, value, gap, left out with the binding
    constraint, shadow values per team, greedy value, seconds)."""

    name = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    line = models.ForeignKey(
        ProductLine, null=True, blank=True, on_delete=models.CASCADE, related_name="scenarios"
    )
    options = models.JSONField(default=dict)
    instance = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    status = models.CharField(max_length=20, default="optimal")  # solver status
    value = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


# Roadmap --------------------------------------------------------------------------------------


class Lane(models.TextChoices):
    NOW = "now", "Now"
    NEXT = "next", "Next"
    LATER = "later", "Later"


class RoadmapEntry(models.Model):
    """Where an initiative sits on the roadmap: its now/next/later lane and order, and its
    planned dates for the timeline (start/end; the timeline shows entries that have them)."""

    feature = models.OneToOneField(Feature, on_delete=models.CASCADE, related_name="roadmap_entry")
    lane = models.CharField(max_length=10, choices=Lane.choices, default=Lane.LATER)
    position = models.PositiveIntegerField(default=0)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    scenario = models.ForeignKey(  # the scenario that placed it, if any
        Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["lane", "position", "id"]

    def __str__(self) -> str:
        return f"{self.feature} ({self.lane})"


class Layout(models.TextChoices):
    BOARD = "board", "Now / next / later"
    TIMELINE = "timeline", "Timeline"


class RoadmapView(models.Model):
    """A saved roadmap: what it shows (``filters``: {"line_id", "product_id", "stages": [..],
    "lanes": [..], "grain": "month"|"quarter", "start", "end"}), and who may read it."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    layout = models.CharField(max_length=10, choices=Layout.choices, default=Layout.BOARD)
    filters = models.JSONField(default=dict, blank=True)
    shared = models.BooleanField(default=False)  # read-only for every signed-in user (viewers too)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ShareLink(models.Model):
    """A signed, revocable link that shows one saved view read-only without signing in.

    The URL carries ``django.core.signing`` of the link's id and nonce; only ``token_hash``
    (SHA-256 of the signed token) is stored, so the database alone cannot rebuild a link."""

    view = models.ForeignKey(RoadmapView, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField(max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Share link {self.pk} of {self.view}"
