"""SEC disclosures written from the record: annual (Item 1C / Item 16K) and incident (Item 1.05).

A disclosure has numbered versions. A version is edited while a draft, checked in review, and
frozen once approved: its content hash is recorded and any later change makes a new version.
Imported filings (prior years, peers) are kept for comparison.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from riskward.core.models import OrgModel


class Disclosure(OrgModel):
    """One filing to be made: a fiscal year's annual disclosure or one incident's report."""

    class Form(models.TextChoices):
        FORM_10K = "10-K", "Form 10-K Item 1C"
        FORM_20F = "20-F", "Form 20-F Item 16K"
        FORM_8K = "8-K", "Form 8-K Item 1.05"
        FORM_6K = "6-K", "Form 6-K"
        FORM_8K_801 = "8-K 8.01", "Form 8-K Item 8.01 (voluntary)"

    form = models.CharField(max_length=8, choices=Form.choices)
    fiscal_year = models.PositiveSmallIntegerField()
    risk_factors_reference = models.CharField(
        max_length=500,
        blank=True,
        help_text="Where the annual report's cybersecurity risk factors are, as the narrative "
        "cites them (heading and page); empty: the form's risk factors item.",
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )

    class Meta:
        ordering = ["-fiscal_year", "form", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "form", "fiscal_year"],
                condition=models.Q(incident__isnull=True),
                name="disclosure_one_annual_per_year",
            )
        ]

    def __str__(self) -> str:
        if self.incident_id:
            return f"{self.get_form_display()}: {self.incident}"
        return f"FY{self.fiscal_year} {self.get_form_display()}"

    def get_absolute_url(self) -> str:
        return reverse("disclosure:detail", args=[self.pk])

    @property
    def is_annual(self) -> bool:
        return self.incident_id is None


class DisclosureVersion(OrgModel):
    """One numbered version of a disclosure's facts, with its workflow state."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        FILED = "filed", "Filed"

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    facts = models.JSONField(default=dict, blank=True)  # element local name -> bool or text
    evidence = models.JSONField(
        default=dict, blank=True
    )  # flag -> {"reason": ..., "evidence": [...]}
    findings = models.JSONField(default=list, blank=True)  # assurance findings from the last check
    validation = models.JSONField(default=dict, blank=True)  # the last Arelle report, summarised
    edited_elements = models.JSONField(default=list, blank=True)  # text blocks a person changed
    taxonomy_year = models.PositiveSmallIntegerField(default=2024)
    content_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    filed_on = models.DateField(null=True, blank=True)
    accession_number = models.CharField(max_length=20, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["disclosure", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "number"], name="disclosure_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.disclosure} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("disclosure:version", args=[self.disclosure_id, self.number])

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.FILED)


class ImportedFiling(OrgModel):
    """A disclosure read from a filing: our prior year, or a peer to compare with."""

    class Role(models.TextChoices):
        PRIOR_YEAR = "prior_year", "Our prior year"
        PEER = "peer", "Peer"

    name = models.CharField(max_length=200, help_text="How the comparison table names it.")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PEER)
    source = models.CharField(max_length=255)
    format = models.CharField(max_length=20)
    sha256 = models.CharField(max_length=64)
    registrant_name = models.CharField(max_length=200, blank=True)
    cik = models.CharField(max_length=10, blank=True)
    form = models.CharField(max_length=10, blank=True)
    period_end = models.DateField(null=True, blank=True)
    taxonomy_year = models.PositiveSmallIntegerField(null=True, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "sha256"], name="imported_filing_once_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("disclosure:peers")

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "facts": self.facts}
