"""The risk register: matrices, risks, their assessment history, treatment and acceptance.

Scores and severity bands are stored on the risk (set by the services from its matrix) so that
registers can filter and sort on them in SQL; the matrix itself is data, not code.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from riskward.core.models import OrgModel

# The quantification models live in quant_models.py; imported here so that Django registers
# them with the app and `riskward.risks.models` keeps offering them.
from riskward.risks.quant_models import QuantControlEffect, QuantStudy, RiskQuantification

MIN_MATRIX_SIZE = 2
MAX_MATRIX_SIZE = 10
BANDS = 5
DEFAULT_BAND_LABELS = ["Very low", "Low", "Medium", "High", "Very high"]
DEFAULT_LIKELIHOOD_LABELS = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
DEFAULT_IMPACT_LABELS = ["Negligible", "Minor", "Moderate", "Major", "Severe"]
# Row = likelihood 1..5, column = impact 1..5; bands follow the likelihood x impact product.
DEFAULT_LEVELS = [
    [1, 1, 2, 2, 3],
    [1, 2, 3, 3, 4],
    [2, 3, 3, 4, 4],
    [2, 3, 4, 4, 5],
    [3, 4, 4, 5, 5],
]


def default_likelihood_labels() -> list[str]:
    return list(DEFAULT_LIKELIHOOD_LABELS)


def default_impact_labels() -> list[str]:
    return list(DEFAULT_IMPACT_LABELS)


def default_levels() -> list[list[int]]:
    return [list(row) for row in DEFAULT_LEVELS]


def default_band_labels() -> list[str]:
    return list(DEFAULT_BAND_LABELS)


def _labels_problem(labels: Any, count: int | None = None) -> str | None:
    if not isinstance(labels, list) or not all(isinstance(x, str) and x.strip() for x in labels):
        return "must be a list of non-empty names"
    if count is not None and len(labels) != count:
        return f"must name exactly {count} bands, lowest first"
    if count is None and not MIN_MATRIX_SIZE <= len(labels) <= MAX_MATRIX_SIZE:
        return f"must have {MIN_MATRIX_SIZE} to {MAX_MATRIX_SIZE} entries"
    return None


def _levels_problem(levels: Any, rows: int, cols: int) -> str | None:
    if not isinstance(levels, list) or len(levels) != rows:
        return f"must have one row per likelihood ({rows})"
    for number, row in enumerate(levels, start=1):
        if not isinstance(row, list) or len(row) != cols:
            return f"row {number} must have one band per impact ({cols})"
        if not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= BANDS for v in row):
            return f"row {number}: every band is a whole number from 1 to {BANDS}"
    for r in range(rows):
        for c in range(cols):
            # More likely or more severe never means a lower band; a grid that says so is a typo.
            if (r and levels[r][c] < levels[r - 1][c]) or (c and levels[r][c] < levels[r][c - 1]):
                return (
                    f"row {r + 1}, column {c + 1}: a band may not fall as likelihood or impact rise"
                )
    return None


class RiskMatrix(OrgModel):
    """A likelihood x impact grid whose cells fall into one of five severity bands."""

    name = models.CharField(max_length=100)
    likelihood_labels = models.JSONField(
        default=default_likelihood_labels, help_text="Names of the likelihood steps, lowest first."
    )
    impact_labels = models.JSONField(
        default=default_impact_labels, help_text="Names of the impact steps, lowest first."
    )
    levels = models.JSONField(
        "Bands",
        default=default_levels,
        help_text="Band (1-5) of each cell: one row per likelihood, one column per impact.",
    )
    band_labels = models.JSONField(
        default=default_band_labels, help_text="Names of the five bands, lowest first."
    )
    is_default = models.BooleanField(
        "Default matrix", default=False, help_text="New risks are rated on the default matrix."
    )

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = "risk matrix"
        verbose_name_plural = "risk matrices"
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="uniq_risk_matrix_name"),
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_default=True),
                name="uniq_default_risk_matrix",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:matrix_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("likelihood_labels", "impact_labels"):
            if problem := _labels_problem(getattr(self, name)):
                errors[name] = problem
        if problem := _labels_problem(self.band_labels, BANDS):
            errors["band_labels"] = problem
        if not errors and (
            problem := _levels_problem(self.levels, self.likelihood_size, self.impact_size)
        ):
            errors["levels"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def likelihood_size(self) -> int:
        return len(self.likelihood_labels)

    @property
    def impact_size(self) -> int:
        return len(self.impact_labels)

    def level(self, likelihood: int, impact: int) -> int:
        """The band (1-5) of a cell; likelihood and impact count from 1."""
        return int(self.levels[likelihood - 1][impact - 1])

    def band(self, level: int | None) -> str:
        return self.band_labels[level - 1] if level else ""


class Risk(OrgModel):
    """A cybersecurity risk in the enterprise register, rated inherent and residual on a matrix."""

    class ThreatSource(models.TextChoices):
        INTERNAL = "internal", "Internal"
        EXTERNAL = "external", "External"
        SUPPLIER = "supplier", "Supplier"

    class Status(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        ASSESSED = "assessed", "Assessed"
        TREATING = "treating", "In treatment"
        ACCEPTED = "accepted", "Accepted"
        CLOSED = "closed", "Closed"

    class Treatment(models.TextChoices):
        MITIGATE = "mitigate", "Mitigate"
        TRANSFER = "transfer", "Transfer"
        AVOID = "avoid", "Avoid"
        ACCEPT = "accept", "Accept"

    reference = models.CharField(
        max_length=20, blank=True, help_text="Left empty, the next RSK-NNN is assigned."
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    threat_source = models.CharField(max_length=10, choices=ThreatSource.choices)
    threat = models.TextField(
        blank=True, help_text="The threat event, e.g. ransomware entering through a supplier."
    )
    emerging = models.BooleanField(
        "Emerging threat",
        default=False,
        help_text="A new or fast-changing threat, such as misuse of AI by third parties.",
    )
    assets = models.ManyToManyField(
        "assets.Asset", blank=True, related_name="risks", verbose_name="affected assets"
    )
    controls = models.ManyToManyField("controls.Control", blank=True, related_name="risks")
    erm_category = models.ForeignKey(
        "core.ErmCategory",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risks",
        verbose_name="ERM category",
    )
    owner = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_risks"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IDENTIFIED)
    matrix = models.ForeignKey(
        RiskMatrix,
        on_delete=models.PROTECT,
        blank=True,
        related_name="risks",
        help_text="Left empty, the organization's default matrix.",
    )
    inherent_likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    inherent_impact = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    residual_likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    residual_impact = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    inherent_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    inherent_level = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    residual_level = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    treatment = models.CharField(max_length=10, choices=Treatment.choices, blank=True)
    treatment_plan = models.TextField(blank=True)
    review_interval_days = models.PositiveIntegerField(
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="How often the risk is reviewed, in days.",
    )
    last_reviewed_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="uniq_risk_ref")
        ]
        indexes = [
            models.Index(fields=["organization", "title"]),
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["organization", "owner"]),
            models.Index(fields=["organization", "next_review_on"]),
            models.Index(fields=["organization", "inherent_score"]),
            models.Index(fields=["organization", "residual_score"]),
            models.Index(fields=["organization", "residual_level", "inherent_level"]),
            # The dashboard's queries read these indexes alone (measured in bench/record_scale.py):
            # top risks in current-score order, the heat-map cells, the open-risk counts.
            models.Index(
                F("organization"),
                Coalesce("residual_score", "inherent_score").desc(),
                Coalesce("residual_level", "inherent_level").desc(),
                "reference",
                name="risk_current_rank",
            ),
            models.Index(
                fields=[
                    "organization",
                    "matrix",
                    "inherent_likelihood",
                    "inherent_impact",
                    "residual_likelihood",
                    "residual_impact",
                    "status",
                ],
                name="risk_cells",
            ),
            models.Index(
                fields=[
                    "organization",
                    "status",
                    "residual_level",
                    "inherent_level",
                    "next_review_on",
                ],
                name="risk_open_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.pk])

    def is_owned_by(self, user: Any) -> bool:
        return self.owner is not None and self.owner.user_id == user.pk

    @property
    def is_assessed(self) -> bool:
        return self.inherent_likelihood is not None

    @property
    def current_score(self) -> int | None:
        """Residual where assessed, else inherent: what the program lives with today."""
        return self.residual_score if self.residual_score is not None else self.inherent_score

    @property
    def current_level(self) -> int | None:
        return self.residual_level if self.residual_level is not None else self.inherent_level

    @property
    def inherent_band(self) -> str:
        return self.matrix.band(self.inherent_level)

    @property
    def residual_band(self) -> str:
        return self.matrix.band(self.residual_level)

    @property
    def review_overdue(self) -> bool:
        return (
            self.status != self.Status.CLOSED
            and self.next_review_on is not None
            and self.next_review_on < timezone.localdate()
        )


class RiskAssessment(OrgModel):
    """One rating of a risk, kept forever: the register's history of assessments."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="assessments")
    matrix = models.ForeignKey(RiskMatrix, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    inherent_likelihood = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    inherent_impact = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    residual_likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    residual_impact = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    inherent_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    inherent_level = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    residual_level = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["organization", "risk", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.risk.reference} assessed {self.assessed_on:%Y-%m-%d}"

    @property
    def inherent_band(self) -> str:
        return self.matrix.band(self.inherent_level)

    @property
    def residual_band(self) -> str:
        return self.matrix.band(self.residual_level)


class TreatmentAction(OrgModel):
    """A step of a risk's treatment plan, with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        "core.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="treatment_actions",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)

    OPEN_STATES = (Status.OPEN, Status.IN_PROGRESS)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "treatment action"
        indexes = [
            models.Index(fields=["organization", "status", "due_on"]),
            models.Index(fields=["organization", "due_on"]),
            models.Index(fields=["organization", "title"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risks:action_detail", args=[self.pk])

    def is_owned_by(self, user: Any) -> bool:
        """The action's owner, and the owner of the risk it treats, may change it."""
        mine = self.owner is not None and self.owner.user_id == user.pk
        return mine or self.risk.is_owned_by(user)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @property
    def overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class RiskAcceptance(OrgModel):
    """A request to live with a risk: requested, then approved or rejected; approval expires."""

    class State(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired"

    # The only moves the state machine allows; services refuse every other one.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        State.REQUESTED: (State.APPROVED, State.REJECTED),
        State.APPROVED: (State.EXPIRED,),
    }

    # What a user does to make each move: the buttons and URLs say "approve", not "approved".
    VERBS: dict[str, str] = {
        State.APPROVED: "approve",
        State.REJECTED: "reject",
        State.EXPIRED: "expire",
    }

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="acceptances")
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    justification = models.TextField(help_text="Why living with this risk is within appetite.")
    requested_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="approver",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    expires_on = models.DateField(help_text="The acceptance lapses on this day.")

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["organization", "state", "expires_on"])]

    def __str__(self) -> str:
        return f"Acceptance of {self.risk.reference} ({self.get_state_display().lower()})"

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return self.TRANSITIONS.get(self.state, ())

    @property
    def decisions(self) -> list[str]:
        return [self.VERBS[target] for target in self.allowed_transitions]

    def is_in_force(self, today: date | None = None) -> bool:
        return self.state == self.State.APPROVED and self.expires_on > (
            today or timezone.localdate()
        )


__all__ = [
    "QuantControlEffect",
    "QuantStudy",
    "Risk",
    "RiskAcceptance",
    "RiskAssessment",
    "RiskMatrix",
    "RiskQuantification",
    "TreatmentAction",
]
