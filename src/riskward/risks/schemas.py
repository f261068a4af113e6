"""API schemas for the risk register: explicit fields, unknown input fields refused."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone
from ninja import FilterSchema, ModelSchema, Schema
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


class AssessmentOut(ModelSchema):
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
