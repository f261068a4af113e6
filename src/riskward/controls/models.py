"""Controls, frameworks and their requirements, evidence, compliance assessments, certifications."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse

from riskward.core.models import OrgModel


class Control(OrgModel):
    """A safeguard the organization operates, with an owner and a test schedule."""

    class Type(models.TextChoices):
        TECHNICAL = "technical", "Technical"
        ADMINISTRATIVE = "administrative", "Administrative"
        PHYSICAL = "physical", "Physical"

    class Function(models.TextChoices):
        PREVENTIVE = "preventive", "Preventive"
        DETECTIVE = "detective", "Detective"
        CORRECTIVE = "corrective", "Corrective"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "Being implemented"
        IMPLEMENTED = "implemented", "Implemented"
        NOT_EFFECTIVE = "not_effective", "Not effective"
        RETIRED = "retired", "Retired"

    class ThreatSource(models.TextChoices):
        INTERNAL = "internal", "Internal"
        EXTERNAL = "external", "External"
        SUPPLIER = "supplier", "Supplier"
        ANY = "any", "Any"

    reference = models.CharField(max_length=30, help_text="Your identifier, e.g. CTL-012.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    control_type = models.CharField(max_length=20, choices=Type.choices)
    function = models.CharField(max_length=20, choices=Function.choices)
    threat_source = models.CharField(
        max_length=20, choices=ThreatSource.choices, default=ThreatSource.ANY
    )
    owner = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="controls"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    test_frequency_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="How often the control is tested, in days (90 = quarterly)."
    )
    last_tested = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="uniq_control_ref")
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("controls:control_detail", args=[self.pk])

    def is_owned_by(self, user: Any) -> bool:
        return self.owner is not None and self.owner.user_id == user.pk
