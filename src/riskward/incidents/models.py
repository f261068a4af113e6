"""Cybersecurity incidents and their materiality determination.

The full workflow (materiality assessment, filing clocks) is a later area; this is the record
the annual "materially affected" flag will read.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from riskward.core.models import OrgModel


class Incident(OrgModel):
    """Something that happened, how bad it was, and whether it was determined material."""

    class Severity(models.IntegerChoices):
        LOW = 1, "Low"
        MEDIUM = 2, "Medium"
        HIGH = 3, "High"
        CRITICAL = 4, "Critical"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CONTAINED = "contained", "Contained"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=30, blank=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    discovered_at = models.DateTimeField()
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, default=Severity.LOW)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    affected_assets = models.ManyToManyField("assets.Asset", blank=True, related_name="incidents")
    material = models.BooleanField(
        null=True, blank=True, help_text="Determined material? Leave empty until determined."
    )
    determined_on = models.DateField(null=True, blank=True)
    determination_rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["-discovered_at"]
        indexes = [models.Index(fields=["organization", "-discovered_at"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.pk])
