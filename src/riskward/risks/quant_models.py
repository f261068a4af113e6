"""Open FAIR quantification of risks: each risk's estimates and results, control effects, and
the portfolio runs. The engine (`riskward.risks.quant`) computes; these rows keep what it was
given and what it said."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse

from riskward.core.models import OrgModel
from riskward.risks.quant import ENGINE_VERSION


class RiskQuantification(OrgModel):
    """A risk's Open FAIR estimates and the results of its last simulation.

    Each estimate is stored as the engine's `Estimate.to_dict()`; the services validate them with
    the engine, so a row holds only inputs that ran (or would run) cleanly.
    """

    risk = models.OneToOneField(
        "risks.Risk", on_delete=models.CASCADE, related_name="quantification"
    )
    lef = models.JSONField("Loss event frequency", null=True, blank=True)
    tef = models.JSONField("Threat event frequency", null=True, blank=True)
    vulnerability = models.JSONField(null=True, blank=True)
    threat_capability = models.JSONField(null=True, blank=True)
    resistance_strength = models.JSONField(null=True, blank=True)
    primary = models.JSONField("Primary loss magnitude", null=True, blank=True)
    primary_forms = models.JSONField("Primary loss by form", default=dict, blank=True)
    secondary_probability = models.JSONField("Secondary loss probability", null=True, blank=True)
    secondary = models.JSONField("Secondary loss magnitude", null=True, blank=True)
    secondary_forms = models.JSONField("Secondary loss by form", default=dict, blank=True)
    single_event = models.BooleanField(
        "Single event",
        default=False,
        help_text="Count at most one loss event a year (the frequency is then its probability).",
    )
    rationale = models.TextField(
        blank=True, help_text="Where the estimates come from: data, experts, incidents, peers."
    )
    inputs_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The last run: summaries as the engine's LossSummary fields, the curve as [loss, prob] pairs.
    inherent = models.JSONField(null=True, blank=True, editable=False)
    residual = models.JSONField(null=True, blank=True, editable=False)
    control_values = models.JSONField(default=dict, blank=True, editable=False)
    mean_events = models.FloatField(null=True, blank=True, editable=False)
    iterations = models.PositiveIntegerField(null=True, blank=True, editable=False)
    seed = models.BigIntegerField(null=True, blank=True, editable=False)
    engine = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, help_text="ENGINE_VERSION of the engine that ran"
    )
    numpy = models.CharField(
        max_length=32,
        blank=True,
        default="",
        editable=False,
        help_text="numpy version the engine ran on",
    )
    threshold = models.DecimalField(
        "Materiality threshold used",
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    run_at = models.DateTimeField(null=True, blank=True, editable=False)
    run_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    study = models.ForeignKey(
        "QuantStudy", null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )

    class Meta:
        verbose_name = "risk quantification"
        indexes = [models.Index(fields=["organization", "run_at"])]

    def __str__(self) -> str:
        return f"Quantification of {self.risk.reference}"

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.risk_id]) + "#quant"

    def is_owned_by(self, user: Any) -> bool:
        return self.risk.is_owned_by(user)

    @property
    def has_run(self) -> bool:
        return self.run_at is not None

    @property
    def is_stale(self) -> bool:
        """The inputs changed after the last run, so the stored results no longer match them."""
        changed, ran = self.inputs_changed_at, self.run_at
        return ran is not None and changed is not None and changed > ran

    @property
    def by_older_engine(self) -> bool:
        """An earlier engine computed the stored results: the same inputs and seed would now
        give somewhat different figures."""
        return self.has_run and self.engine != ENGINE_VERSION


class QuantControlEffect(OrgModel):
    """How much one of the risk's controls reduces frequency, vulnerability or loss magnitude.

    One effect per control, so "the value of a control" is one figure the board can compare.
    """

    class Target(models.TextChoices):
        FREQUENCY = "frequency", "Event frequency"
        VULNERABILITY = "vulnerability", "Vulnerability"
        MAGNITUDE = "magnitude", "Loss magnitude"

    quantification = models.ForeignKey(
        RiskQuantification, on_delete=models.CASCADE, related_name="effects"
    )
    control = models.ForeignKey("controls.Control", on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=14, choices=Target.choices)
    reduction = models.JSONField(help_text="The share removed, 0 to 1, as an estimate.")

    class Meta:
        ordering = ["control__reference", "target"]
        verbose_name = "control effect"
        constraints = [
            models.UniqueConstraint(
                fields=["quantification", "control"], name="uniq_quant_control_effect"
            )
        ]

    def __str__(self) -> str:
        return f"{self.control.reference} on {self.get_target_display().lower()}"


class QuantStudy(OrgModel):
    """One portfolio run: the organization's annual loss over the chosen risks, and its drivers."""

    iterations = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    engine = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="ENGINE_VERSION of the engine that ran"
    )
    numpy = models.CharField(
        max_length=32, blank=True, default="", help_text="numpy version the engine ran on"
    )
    threshold = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    single_event = models.BooleanField(default=False)
    var_level = models.FloatField(default=0.95)
    inherent = models.JSONField()
    residual = models.JSONField()
    contributors = models.JSONField(
        default=list, help_text="Per risk: reference, share of the mean, tail contribution."
    )
    seconds = models.FloatField()
    run_at = models.DateTimeField()
    run_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    risks = models.ManyToManyField("risks.Risk", related_name="quant_studies")

    class Meta:
        ordering = ["-run_at", "-id"]
        verbose_name = "quantification study"
        verbose_name_plural = "quantification studies"
        indexes = [models.Index(fields=["organization", "-run_at"])]

    def __str__(self) -> str:
        return f"Portfolio run of {self.run_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("risks:quant_portfolio")
