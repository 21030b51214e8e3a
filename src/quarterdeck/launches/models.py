"""Delivery: lifecycle gates (exit criteria per stage and their ticks), sunset plans, launch
plans with cross-functional tasks (from templates), and post-launch checks of success metrics.

Stage moves themselves are ``portfolio.StageChange`` rows (who, when, why); a move made past
unmet criteria by a leader's override says so in ``GateOverride``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from quarterdeck.people.models import Person
from quarterdeck.portfolio.models import Feature, ItemType, Product, Stage


class CriterionKind(models.TextChoices):
    CHECKLIST = "checklist", "Checklist item (ticked by a person)"
    REQUIRED = "required", "Required field (checked from the data)"


class GateCriterion(models.Model):
    """One exit criterion of a stage: to leave ``stage`` (forwards), this must hold.

    ``requirement`` names a check in ``launches/gates.py`` for kind "required" (e.g. "owner",
    "description", "outcome", "score", "effort", "launch_plan", "success_metrics",
    "sunset_plan"); checklist criteria are ticked per item."""

    stage = models.CharField(max_length=20, choices=Stage.choices)
    applies_to = models.CharField(max_length=10, choices=ItemType.choices, default=ItemType.FEATURE)
    kind = models.CharField(max_length=10, choices=CriterionKind.choices)
    requirement = models.CharField(max_length=40, blank=True)
    label = models.CharField(max_length=200)
    help = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["applies_to", "stage", "position", "id"]

    def __str__(self) -> str:
        return f"{self.stage}: {self.label}"


class GateTick(models.Model):
    """A checklist criterion ticked (or unticked) for one item."""

    criterion = models.ForeignKey(GateCriterion, on_delete=models.CASCADE, related_name="ticks")
    item_type = models.CharField(max_length=10, choices=ItemType.choices)
    item_id = models.BigIntegerField()
    done = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "item_type", "item_id"], name="one_tick_per_item"
            ),
        ]
        indexes = [models.Index(fields=["item_type", "item_id"])]

    def __str__(self) -> str:
        return f"{self.criterion}: {'done' if self.done else 'open'}"


class GateOverride(models.Model):
    """A stage move made although exit criteria were unmet: which, by whom, why."""

    stage_change = models.OneToOneField(
        "portfolio.StageChange", on_delete=models.CASCADE, related_name="gate_override"
    )
    unmet = models.JSONField(default=list)  # [{"criterion_id", "label", "reason"}]

    def __str__(self) -> str:
        return f"Override of {self.stage_change_id}"


class SunsetPlan(models.Model):
    """How a feature or product is retired: the path for its users, the dates, and the accounts
    it affects (computed from usage data; ``affected`` keeps the last computation)."""

    item_type = models.CharField(max_length=10, choices=ItemType.choices)
    item_id = models.BigIntegerField()
    successor = models.ForeignKey(
        Feature, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    migration_path = models.TextField(blank=True)
    announce_on = models.DateField(null=True, blank=True)
    read_only_on = models.DateField(null=True, blank=True)
    shutdown_on = models.DateField(null=True, blank=True)
    usage_days = models.PositiveIntegerField(default=90)  # look-back of the affected accounts
    # [{"account", "name", "users", "events", "last_seen", "mrr"}], sorted by MRR then users
    affected = models.JSONField(default=list, blank=True)
    affected_computed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item_type", "item_id"], name="one_sunset_plan"),
        ]

    def __str__(self) -> str:
        return f"Sunset plan of {self.item_type} {self.item_id}"


class TaskFunction(models.TextChoices):
    PRODUCT = "product", "Product"
    ENGINEERING = "engineering", "Engineering"
    DESIGN = "design", "Design"
    MARKETING = "marketing", "Marketing"
    SALES = "sales", "Sales"
    SUPPORT = "support", "Support"


class LaunchTemplate(models.Model):
    """A reusable launch checklist. ``tasks``: [{"key", "phase", "title", "function",
    "offset_days" (relative to launch day, negative before), "milestone": bool,
    "depends_on": [keys]}]; ``phases``: ordered phase names."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    phases = models.JSONField(default=list)
    tasks = models.JSONField(default=list)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LaunchStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    LAUNCHED = "launched", "Launched"
    CANCELLED = "cancelled", "Cancelled"


class LaunchPlan(models.Model):
    """The launch of one feature (or a whole product): date, phases, tasks, success metrics."""

    feature = models.ForeignKey(
        Feature, null=True, blank=True, on_delete=models.CASCADE, related_name="launch_plans"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="launch_plans")
    name = models.CharField(max_length=200)
    template = models.ForeignKey(
        LaunchTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phases = models.JSONField(default=list)
    launch_on = models.DateField()
    launched_on = models.DateField(null=True, blank=True)  # the day it actually launched
    status = models.CharField(
        max_length=10, choices=LaunchStatus.choices, default=LaunchStatus.PLANNED
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["launch_on", "name"]

    def __str__(self) -> str:
        return self.name


class TaskStatus(models.TextChoices):
    TODO = "todo", "To do"
    DOING = "doing", "In progress"
    DONE = "done", "Done"
    BLOCKED = "blocked", "Blocked"
    SKIPPED = "skipped", "Not needed"


class LaunchTask(models.Model):
    plan = models.ForeignKey(LaunchPlan, on_delete=models.CASCADE, related_name="tasks")
    phase = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    function = models.CharField(max_length=20, choices=TaskFunction.choices)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="launch_tasks"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.TODO)
    milestone = models.BooleanField(default=False)
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    position = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Direction(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"


class SuccessMetric(models.Model):
    """A metric a launch is judged by, bound at launch: a KPI snapshot series (``metric`` is a
    ``kpis.Metric`` value) of the plan's product, or of ``feature`` when set.

    ``baseline`` is measured over the ``baseline_days`` before launch when the metric is bound;
    ``target`` is the value the launch promised (same unit as the metric)."""

    plan = models.ForeignKey(LaunchPlan, on_delete=models.CASCADE, related_name="metrics")
    metric = models.CharField(max_length=40)
    feature = models.ForeignKey(
        Feature, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(max_length=200, blank=True)
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    target = models.FloatField(null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    baseline_days = models.PositiveIntegerField(default=28)
    baseline_detail = models.JSONField(default=dict, blank=True)  # window, n, numerator/denominator
    bound_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.label or self.metric


class Verdict(models.TextChoices):
    PENDING = "pending", "Not due yet"
    NO_DATA = "no_data", "Not enough data"
    MET = "met", "Target met"
    IMPROVED = "improved", "Improved, target not met"
    NO_CHANGE = "no_change", "No significant change"
    WORSE = "worse", "Significantly worse"


class LaunchCheck(models.Model):
    """The +30/+60/+90-day comparison of one success metric with its baseline and target."""

    metric = models.ForeignKey(SuccessMetric, on_delete=models.CASCADE, related_name="checks")
    offset_days = models.PositiveSmallIntegerField()  # 30, 60 or 90
    due_on = models.DateField()
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    value = models.FloatField(null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    change = models.FloatField(null=True, blank=True)  # value - baseline
    test = models.CharField(max_length=60, blank=True)  # e.g. "two-proportion z-test"
    statistic = models.FloatField(null=True, blank=True)
    p_value = models.FloatField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)  # windows, n, intervals
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["metric", "offset_days"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "offset_days"], name="one_check_per_offset"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} +{self.offset_days}: {self.verdict}"
