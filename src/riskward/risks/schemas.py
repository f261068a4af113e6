"""API schemas for the risk register: explicit fields, unknown input fields refused."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Q
from django.utils import timezone
from ninja import Field, FilterSchema, ModelSchema, Schema
from pydantic import ConfigDict

from riskward.risks.models import Risk, RiskAcceptance, RiskAssessment, RiskMatrix, TreatmentAction

RISK_FIELDS = [
    "reference",
    "title",
    "description",
    "threat_source",
    "threat",
    "emerging",
    "assets",
    "controls",
    "erm_category",
    "owner",
    "status",
    "matrix",
    "treatment",
    "treatment_plan",
    "review_interval_days",
    "last_reviewed_on",
]
RATINGS = ["inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"]
DERIVED = ["inherent_score", "inherent_level", "residual_score", "residual_level"]


class Forbid:
    model_config = ConfigDict(extra="forbid")


class RiskOut(ModelSchema):
    review_overdue: bool

    class Meta:
        model = Risk
        fields = [
            "id",
            *RISK_FIELDS,
            *RATINGS,
            *DERIVED,
            "next_review_on",
            "created_at",
            "updated_at",
        ]


class RiskIn(Forbid, ModelSchema):
    """Ratings given here start the risk's assessment history; later ones go through /assess."""

    assets: list[int] = []
    controls: list[int] = []

    class Meta:
        model = Risk
        fields = [*RISK_FIELDS, *RATINGS]
        fields_optional = ["reference", "matrix"]


class RiskPatch(Forbid, ModelSchema):
    class Meta:
        model = Risk
        fields = RISK_FIELDS
        fields_optional = "__all__"


class RiskFilter(FilterSchema):
    status: str | None = None
    threat_source: str | None = None
    erm_category: int | None = None
    owner: int | None = None
    treatment: str | None = None
    matrix: int | None = None
    emerging: bool | None = None
    level: int | None = None
    review_overdue: bool | None = None

    def filter_level(self, value: int | None) -> Q:
        """The current band: residual where rated, inherent otherwise."""
        if value is None:
            return Q()
        return Q(residual_level=value) | Q(residual_level__isnull=True, inherent_level=value)

    def filter_review_overdue(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        overdue = Q(next_review_on__lt=timezone.localdate()) & ~Q(status=Risk.Status.CLOSED)
        return overdue if value else ~overdue


class RiskAssessmentOut(ModelSchema):
    class Meta:
        model = RiskAssessment
        fields = ["id", "risk", "matrix", "assessed_on", "assessed_by", *RATINGS, *DERIVED, "notes"]


class AssessIn(Forbid, Schema):
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    assessed_on: date | None = None
    notes: str = ""


class ReviewIn(Forbid, Schema):
    reviewed_on: date | None = None


ACTION_FIELDS = ["title", "description", "owner", "due_on", "status", "completed_on"]


class ActionOut(ModelSchema):
    overdue: bool

    class Meta:
        model = TreatmentAction
        fields = ["id", "risk", *ACTION_FIELDS, "created_at", "updated_at"]


class ActionIn(Forbid, ModelSchema):
    class Meta:
        model = TreatmentAction
        fields = ["risk", *ACTION_FIELDS]


class RiskActionIn(Forbid, ModelSchema):
    """An action planned on the risk in the path."""

    class Meta:
        model = TreatmentAction
        fields = ["title", "description", "owner", "due_on"]


class ActionPatch(Forbid, ModelSchema):
    class Meta:
        model = TreatmentAction
        fields = ACTION_FIELDS
        fields_optional = "__all__"


class ActionFilter(FilterSchema):
    risk: int | None = None
    owner: int | None = None
    status: str | None = None
    overdue: bool | None = None

    def filter_overdue(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        overdue = Q(status__in=TreatmentAction.OPEN_STATES, due_on__lt=timezone.localdate())
        return overdue if value else ~overdue


class AcceptanceOut(ModelSchema):
    class Meta:
        model = RiskAcceptance
        fields = [
            "id",
            "risk",
            "state",
            "justification",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "expires_on",
        ]


class AcceptanceIn(Forbid, Schema):
    justification: str
    expires_on: date


class DecisionIn(Forbid, Schema):
    decision_note: str = ""
    expires_on: date | None = None


class MatrixOut(ModelSchema):
    class Meta:
        model = RiskMatrix
        fields = [
            "id",
            "name",
            "likelihood_labels",
            "impact_labels",
            "levels",
            "band_labels",
            "is_default",
        ]


class MatrixIn(Forbid, Schema):
    """Omitted scales and bands take the standard 5x5 ones."""

    name: str
    likelihood_labels: list[str] | None = None
    impact_labels: list[str] | None = None
    levels: list[list[int]] | None = None
    band_labels: list[str] | None = None
    is_default: bool = False


class MatrixPatch(Forbid, Schema):
    name: str | None = None
    likelihood_labels: list[str] | None = None
    impact_labels: list[str] | None = None
    levels: list[list[int]] | None = None
    band_labels: list[str] | None = None
    is_default: bool | None = None


class MatrixFilter(FilterSchema):
    # A filter schema without fields makes ninja require a "filters" parameter, so keep one.
    is_default: bool | None = None


# Quantification (Open FAIR) ----------------------------------------------------------------

Distribution = Literal["pert", "lognormal", "triangular", "uniform", "constant"]
Target = Literal["frequency", "vulnerability", "magnitude"]


class EstimateIn(Forbid, Schema):
    """PERT/triangular: low, mode, high; lognormal: low and high are the 5th and 95th percentiles;
    uniform: low and high; constant: low. `shape` is PERT's weight on the mode (default 4)."""

    kind: Distribution = "pert"
    low: float
    mode: float | None = None
    high: float | None = None
    shape: float | None = None


class EstimateOut(Schema):
    kind: str
    low: float
    mode: float | None
    high: float | None
    shape: float | None


class ControlEffectIn(Forbid, Schema):
    control: int = Field(description="id of one of the risk's controls")
    target: Target
    reduction: EstimateIn = Field(description="the share removed, 0 to 1")


class ControlEffectOut(Schema):
    control: int
    reference: str
    target: str
    reduction: EstimateOut
    value: float | None = Field(description="mean annual loss the control avoids (last run)")


class QuantIn(Forbid, Schema):
    """Every input of a risk: LEF, or TEF with vulnerability (or with threat capability and
    resistance strength); primary loss as a total or by form; secondary probability and loss."""

    lef: EstimateIn | None = None
    tef: EstimateIn | None = None
    vulnerability: EstimateIn | None = None
    threat_capability: EstimateIn | None = None
    resistance_strength: EstimateIn | None = None
    primary: EstimateIn | None = None
    primary_forms: dict[str, EstimateIn] = {}
    secondary_probability: EstimateIn | None = None
    secondary: EstimateIn | None = None
    secondary_forms: dict[str, EstimateIn] = {}
    controls: list[ControlEffectIn] = []
    single_event: bool = False
    rationale: str = ""


class LossSummaryOut(Schema):
    mean: float
    p50: float
    p90: float
    p95: float
    p99: float
    var: float
    expected_shortfall: float
    p_exceed_threshold: float | None
    max: float
    iterations: int
    curve: list[tuple[float, float]] = Field(description="(loss, P(annual loss > loss)) pairs")


class QuantResultOut(Schema):
    inherent: LossSummaryOut
    residual: LossSummaryOut
    mean_events: float | None
    iterations: int
    seed: int
    engine: int | None = Field(description="version of the engine that ran (None: before 1)")
    numpy: str = Field(
        description="numpy version the engine ran on; empty for runs before it was recorded"
    )
    threshold: Decimal | None
    run_at: datetime
    run_by: int | None
    study: int | None
    stale: bool = Field(description="the inputs changed after this run")
    older_engine: bool = Field(
        description="an earlier engine ran: the same inputs and seed would now give other figures"
    )


class QuantOut(Schema):
    risk: int
    reference: str
    lef: EstimateOut | None = None
    tef: EstimateOut | None = None
    vulnerability: EstimateOut | None = None
    threat_capability: EstimateOut | None = None
    resistance_strength: EstimateOut | None = None
    primary: EstimateOut | None = None
    primary_forms: dict[str, EstimateOut] = {}
    secondary_probability: EstimateOut | None = None
    secondary: EstimateOut | None = None
    secondary_forms: dict[str, EstimateOut] = {}
    controls: list[ControlEffectOut] = []
    single_event: bool = False
    rationale: str = ""
    inputs_changed_at: datetime | None = None
    result: QuantResultOut | None = None


class RunIn(Forbid, Schema):
    iterations: int | None = Field(
        None,
        description="simulated years (default: the server's RISKWARD_QUANT_ITERATIONS)",
    )
    seed: int | None = Field(None, description="the same seed and inputs give the same figures")


class PortfolioRunIn(RunIn):
    risks: list[int] | None = Field(None, description="risk ids; default every open one")
    single_event: bool = False


class ContributorOut(Schema):
    risk: int
    reference: str
    title: str
    share_of_mean: float
    tail_contribution: float


class StudyOut(Schema):
    id: int
    iterations: int
    seed: int
    engine: int | None = Field(description="version of the engine that ran (None: before 1)")
    numpy: str = Field(
        description="numpy version the engine ran on; empty for runs before it was recorded"
    )
    threshold: Decimal | None
    single_event: bool
    var_level: float
    inherent: LossSummaryOut
    residual: LossSummaryOut
    contributors: list[ContributorOut]
    seconds: float
    run_at: datetime
    run_by: int | None
    risks: list[int]

    @staticmethod
    def resolve_run_by(study: Any) -> int | None:
        return study.run_by_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_risks(study: Any) -> list[int]:
        return [risk.pk for risk in study.risks.all()]
