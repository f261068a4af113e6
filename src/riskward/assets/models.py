"""The asset inventory: what the program protects, who owns it and what depends on what."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from riskward.core.models import OrgModel


class Asset(OrgModel):
    """A platform, application, piece of infrastructure, network or data store."""

    class Kind(models.TextChoices):
        PLATFORM = "platform", "Platform"
        APPLICATION = "application", "Application"
        INFRASTRUCTURE = "infrastructure", "Infrastructure"
        NETWORK = "network", "Network"
        DATA_STORE = "data_store", "Data store"

    class Criticality(models.IntegerChoices):
        LOW = 1, "Low"
        MEDIUM = 2, "Medium"
        HIGH = 3, "High"
        CRITICAL = 4, "Critical"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="assets"
    )
    criticality = models.PositiveSmallIntegerField(
        choices=Criticality.choices, default=Criticality.MEDIUM
    )
    internet_facing = models.BooleanField(default=False)
    mlps_level = models.PositiveSmallIntegerField(
        "MLPS protection level",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="China's Multi-Level Protection Scheme grade (1-5), where the asset is graded.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    dependencies = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        help_text="Assets this one needs in order to run.",
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organization", "name"]),
            models.Index(fields=["organization", "kind", "name"]),
            models.Index(fields=["organization", "criticality"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assets:asset_detail", args=[self.pk])

    def is_owned_by(self, user: Any) -> bool:
        return self.owner is not None and self.owner.user_id == user.pk
