"""The portfolio tree: product lines (nestable) → products → features / initiatives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Stage(models.TextChoices):
    """Lifecycle stages, in order."""

    IDEA = "idea", "Idea"
    DISCOVERY = "discovery", "Discovery"
    BUILD = "build", "Build"
    LAUNCH = "launch", "Launch"
    GROWTH = "growth", "Growth"
    MATURE = "mature", "Mature"
    SUNSET = "sunset", "Sunset"


class PortfolioItem(models.Model):
    """What lines, products and features share: a name, an owner, a stage, segments and links."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDEA)
    target_segments = models.JSONField(default=list, blank=True)
    # [{"label": "...", "url": "https://..."}]
    links = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProductLine(PortfolioItem):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta(PortfolioItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_line_name_in_parent"),
        ]


class Product(PortfolioItem):
    line = models.ForeignKey(ProductLine, on_delete=models.PROTECT, related_name="products")

    class Meta(PortfolioItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["line", "name"], name="unique_product_name_in_line"),
        ]


class FeatureKind(models.TextChoices):
    FEATURE = "feature", "Feature"
    INITIATIVE = "initiative", "Initiative"


class Feature(PortfolioItem):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="features")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(max_length=20, choices=FeatureKind.choices, default=FeatureKind.FEATURE)

    class Meta(PortfolioItem.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["product", "name"], name="unique_feature_name_in_product"
            ),
        ]


class ItemType(models.TextChoices):
    LINE = "line", "Product line"
    PRODUCT = "product", "Product"
    FEATURE = "feature", "Feature"


class StageChange(models.Model):
    """One move of a portfolio item between lifecycle stages: who, when, why."""

    item_type = models.CharField(max_length=10, choices=ItemType.choices)
    item_id = models.BigIntegerField()
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["item_type", "item_id"])]

    def __str__(self) -> str:
        return f"{self.item_type} {self.item_id}: {self.from_stage or '-'} → {self.to_stage}"
