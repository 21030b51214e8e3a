"""The product team and its partners: people, reporting lines and teams."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Level(models.TextChoices):
    """Product career levels, in ladder order."""

    ASSOCIATE_PM = "associate_pm", "Associate PM"
    PM = "pm", "PM"
    SENIOR_PM = "senior_pm", "Senior PM"
    PRINCIPAL_PM = "principal_pm", "Principal PM"
    GROUP_PM = "group_pm", "Group PM"
    DIRECTOR = "director", "Director"
    HEAD_OF_PRODUCT = "head_of_product", "Head of Product"
    VP = "vp", "VP"
    CPO = "cpo", "CPO"


class Function(models.TextChoices):
    PRODUCT = "product", "Product"
    ENGINEERING = "engineering", "Engineering"
    DESIGN = "design", "Design"
    MARKETING = "marketing", "Marketing"
    DATA = "data", "Data"
    SALES = "sales", "Sales"
    SUPPORT = "support", "Support"
    CTO = "cto", "CTO"


class Team(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True, null=True, blank=True)
    title = models.CharField(max_length=200, blank=True)
    function = models.CharField(max_length=20, choices=Function.choices, default=Function.PRODUCT)
    # Product people have a level; partners (engineering, design, ...) usually have none.
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    location = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    @property
    def role_label(self) -> str:
        if self.level:
            return Level(self.level).label
        return Function(self.function).label
