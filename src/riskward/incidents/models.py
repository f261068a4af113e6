"""Cybersecurity incidents, their materiality assessments and determination, and the filings
the determination sets off (Form 8-K Item 1.05, 8-K/A, 6-K) with Attorney General delays.

Deadlines are computed by `incidents.clock`; the disclosure engine reads `Incident.material`
and `Incident.determined_on`.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from riskward.core.models import OrgModel
from riskward.incidents import clock

ACCESSION = r"^\d{10}-\d{2}-\d{6}$"  # EDGAR: filer id, year, sequence


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
    # Item 1.05(a): the material aspects of nature, scope and timing, and the impact.
    nature = models.TextField(blank=True, help_text="What kind of incident it is.")
    scope_systems = models.TextField("systems affected", blank=True)
    scope_data = models.TextField("data affected", blank=True)
    scope_records = models.TextField(
        "records affected", blank=True, help_text="How many records, of what kind."
    )
    scope_people = models.TextField("people affected", blank=True)
    scope_business_units = models.TextField("business units affected", blank=True)
    timing = models.TextField(blank=True, help_text="When it began, was found and was contained.")
    impact_operational = models.TextField("operational impact", blank=True)
    impact_financial = models.TextField("financial impact", blank=True)
    impact_legal = models.TextField("legal and regulatory impact", blank=True)
    impact_reputational = models.TextField("reputational impact", blank=True)
    undetermined_information = models.TextField(
        "information not yet determined",
        blank=True,
        help_text="What is not determined or not available yet; an 8-K/A will follow.",
    )
    material = models.BooleanField(
        null=True, blank=True, help_text="Determined material? Leave empty until determined."
    )
    determined_on = models.DateField(null=True, blank=True)
    determined_at = models.DateTimeField(
        null=True, blank=True, help_text="The moment of the determination, when the time is known."
    )
    determined_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    determination_rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["-discovered_at"]
        indexes = [models.Index(fields=["organization", "-discovered_at"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.pk])


# What an Item 1.05 report describes: nature, scope, timing and impact (Item 1.05(a)).
CONTENT_FIELDS = (
    "nature",
    "scope_systems",
    "scope_data",
    "scope_records",
    "scope_people",
    "scope_business_units",
    "timing",
    "impact_operational",
    "impact_financial",
    "impact_legal",
    "impact_reputational",
    "undetermined_information",
)


class Level(models.TextChoices):
    NONE = "none", "None"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


# The qualitative factors of a materiality assessment: (field prefix, label).
FACTORS = (
    ("customers", "Customers"),
    ("reputation", "Reputation"),
    ("regulators", "Regulators"),
    ("litigation", "Litigation"),
    ("operations", "Operations"),
    ("data", "Data"),
)


def _level(label: str) -> models.CharField[Any, Any]:
    return models.CharField(
        f"{label.lower()} impact", max_length=6, choices=Level.choices, default=Level.NONE
    )


def _note(label: str) -> models.TextField[Any, Any]:
    return models.TextField(f"{label.lower()} note", blank=True)


class MaterialityAssessment(OrgModel):
    """One look at whether an incident is material: loss range, qualitative factors, reviewers.

    Kept forever, newest first; the determination on the incident is a separate, later act.
    """

    class Recommendation(models.TextChoices):
        MATERIAL = "material", "Material"
        NOT_MATERIAL = "not_material", "Not material"
        UNDETERMINED = "undetermined", "More information needed"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="assessments")
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    currency = models.CharField(max_length=3, help_text="The reporting currency at the time.")
    loss_low = models.DecimalField(
        "estimated loss (low)",
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    loss_high = models.DecimalField(
        "estimated loss (high)",
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    exceedance_probability = models.FloatField(
        "probability of exceeding the materiality threshold",
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="0 to 1; filled in by the quantification engine when it has run.",
    )
    customers_impact = _level("Customers")
    customers_note = _note("Customers")
    reputation_impact = _level("Reputation")
    reputation_note = _note("Reputation")
    regulators_impact = _level("Regulators")
    regulators_note = _note("Regulators")
    litigation_impact = _level("Litigation")
    litigation_note = _note("Litigation")
    operations_impact = _level("Operations")
    operations_note = _note("Operations")
    data_impact = _level("Data")
    data_note = _note("Data")
    reviewers = models.ManyToManyField(
        "core.Person", blank=True, related_name="materiality_reviews"
    )
    recommendation = models.CharField(
        max_length=12, choices=Recommendation.choices, default=Recommendation.UNDETERMINED
    )
    conclusion = models.TextField()

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["organization", "incident", "-assessed_at"])]

    def __str__(self) -> str:
        return f"{self.incident.reference} assessed {self.assessed_at:%Y-%m-%d}"

    def factors(self) -> list[tuple[str, str, str]]:
        """(label, level label, note) for each qualitative factor, in display order."""
        return [
            (
                label,
                getattr(self, f"get_{name}_impact_display")(),
                getattr(self, f"{name}_note"),
            )
            for name, label in FACTORS
        ]


class AttorneyGeneralDelay(OrgModel):
    """A delay of the 8-K on the Attorney General's written determination (Item 1.05(c))."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="ag_delays")
    sequence = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(len(clock.DELAY_CAPS))]
    )
    days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(max(clock.DELAY_CAPS))]
    )
    requested_on = models.DateField()
    written_determination = models.CharField(
        max_length=200, help_text="Reference of the Attorney General's written determination."
    )
    national_security = models.BooleanField(
        default=False, help_text="Granted for a substantial risk to national security."
    )

    class Meta:
        ordering = ["incident", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "sequence"], name="uniq_ag_delay_sequence")
        ]
        verbose_name = "Attorney General delay"

    def __str__(self) -> str:
        return f"{self.incident.reference} delay {self.sequence} ({self.days} days)"


class IncidentFiling(OrgModel):
    """A report to the SEC about an incident, pending (not filed yet) or filed."""

    class Form(models.TextChoices):
        FORM_8K = clock.FORM_8K, "Form 8-K Item 1.05"
        FORM_8KA = clock.FORM_8KA, "Form 8-K/A (Item 1.05 amendment)"
        FORM_6K = clock.FORM_6K, "Form 6-K"
        FORM_8K_801 = "8-K 8.01", "Form 8-K Item 8.01 (voluntary)"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="filings")
    form = models.CharField(max_length=10, choices=Form.choices)
    information_determined_on = models.DateField(
        null=True,
        blank=True,
        help_text="8-K/A: when the missing information was determined or became available.",
    )
    due = models.DateField(null=True, blank=True, editable=False)
    filed_on = models.DateField(null=True, blank=True)
    accession_number = models.CharField(
        max_length=20,
        blank=True,
        validators=[RegexValidator(ACCESSION, "Use the form 0001234567-25-000123.")],
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["incident", "created_at", "id"]
        indexes = [models.Index(fields=["organization", "form", "filed_on"])]
        verbose_name = "incident filing"

    def __str__(self) -> str:
        return f"{self.incident.reference} {self.form}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.incident_id]) + "#filings"

    @property
    def is_filed(self) -> bool:
        return self.filed_on is not None

    @property
    def late(self) -> bool:
        """Filed after its due date (False while pending or when there is no due date)."""
        return self.due is not None and self.filed_on is not None and self.filed_on > self.due
