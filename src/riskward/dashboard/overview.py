"""Everything the dashboard shows, read in a fixed number of queries whatever the data size.

Each section comes from its app's query module (risks, controls, governance, program); this
module only picks, counts and arranges. Lists are capped: the dashboard points at the registers
for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from riskward.controls import queries as control_queries
from riskward.controls.models import ComplianceAssessment, Control, Evidence
from riskward.core.models import Organization
from riskward.governance import queries as governance_queries
from riskward.incidents import queries as incident_queries
from riskward.program import queries as program_queries
from riskward.risks import queries as risk_queries
from riskward.risks.models import Risk, RiskMatrix, TreatmentAction

LIST_LIMIT = 8  # rows per list card; the card links to the full register
DUE_WITHIN_DAYS = 30
# The board wants every active certification with its next assessment, not only those due
# soon; five years is longer than any assessment cycle, so none is left out.
CERTIFICATION_HORIZON_DAYS = 5 * 366
RECENT_ASSESSMENTS = 3
HIGH_BAND = 4  # "High" and "Very high" on the five-band scale


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    detail: str
    url: str | None = None
    tone: str = ""  # "", "ok", "warn" or "bad"


@dataclass(frozen=True)
class Listing:
    """The first rows of a list and how many there are in all."""

    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class HeatTile:
    """A heat-map cell as drawn: its count, band, the filtered register and a spoken label."""

    count: int
    level: int
    url: str
    label: str


@dataclass(frozen=True)
class HeatGrid:
    kind: str  # "inherent" or "residual"
    rows: list[tuple[str, list[HeatTile]]]  # most likely first
    impact_labels: list[str]
    band_labels: list[str]
    total: int

    @property
    def title(self) -> str:
        return f"{self.kind.capitalize()} risk"


def heat_grid(heatmap: risk_queries.Heatmap) -> HeatGrid:
    """Attach to each cell the link to its risks and a label a screen reader can speak."""
    base = reverse("risks:risk_list")
    likelihoods = heatmap.matrix.likelihood_labels
    impacts = heatmap.matrix.impact_labels
    rows = []
    for label, cells in heatmap.rows:
        tiles = []
        for cell in cells:
            param = f"{heatmap.kind}_cell"
            count = f"{cell.count} risk{'' if cell.count == 1 else 's'}"
            tiles.append(
                HeatTile(
                    count=cell.count,
                    level=cell.level,
                    url=f"{base}?{urlencode({param: f'{cell.likelihood}-{cell.impact}'})}",
                    label=(
                        f"{count}: likelihood {likelihoods[cell.likelihood - 1]}, "
                        f"impact {impacts[cell.impact - 1]}, band {cell.band}"
                    ),
                )
            )
        rows.append((label, tiles))
    return HeatGrid(
        heatmap.kind, rows, list(impacts), list(heatmap.matrix.band_labels), heatmap.total
    )


@dataclass(frozen=True)
class Overview:
    today: date
    kpis: list[Kpi]
    heatmaps: list[HeatGrid]
    top_risks: list[Risk]
    overdue_reviews: Listing
    actions_overdue: Listing
    actions_due_soon: Listing
    certifications: list[control_queries.CertificationDue]
    assessments: list[ComplianceAssessment]
    committees: list[governance_queries.CommitteeStatus]
    training: list[program_queries.QuarterTraining]

    @property
    def band_labels(self) -> list[tuple[int, str]]:
        return list(enumerate(self.heatmaps[0].band_labels, start=1))


def _risk_counts(org: Organization, today: date) -> dict[str, int]:
    high = Q(residual_level__gte=HIGH_BAND) | Q(
        residual_level__isnull=True, inherent_level__gte=HIGH_BAND
    )
    return risk_queries.open_risks(org).aggregate(
        open=Count("id"),
        high=Count("id", filter=high),
        unrated=Count("id", filter=Q(inherent_level__isnull=True)),
        overdue=Count("id", filter=Q(next_review_on__lt=today)),
    )


def _action_counts(org: Organization, today: date) -> dict[str, int]:
    open_actions = TreatmentAction.objects.filter(
        organization=org, status__in=TreatmentAction.OPEN_STATES
    )
    return open_actions.aggregate(
        overdue=Count("id", filter=Q(due_on__lt=today)),
        soon=Count(
            "id", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(DUE_WITHIN_DAYS))
        ),
    )


def _control_counts(org: Organization) -> dict[str, int]:
    in_use = Control.objects.filter(organization=org).exclude(status=Control.Status.RETIRED)
    return in_use.aggregate(
        total=Count("id"), implemented=Count("id", filter=Q(status=Control.Status.IMPLEMENTED))
    )


def _evidence_counts(org: Organization, today: date) -> dict[str, int]:
    return Evidence.objects.filter(organization=org).aggregate(
        expiring=Count(
            "id",
            filter=Q(expires_on__gte=today, expires_on__lte=today + timedelta(DUE_WITHIN_DAYS)),
        ),
        expired=Count("id", filter=Q(expires_on__lt=today)),
    )


def _evidence_kpi(evidence: dict[str, int]) -> Kpi:
    expired = evidence["expired"]
    return Kpi(
        "Evidence expiring",
        str(evidence["expiring"]),
        f"within {DUE_WITHIN_DAYS} days; {expired} already expired",
        reverse("controls:evidence_list") + "?" + urlencode({"sort": "expires_on"}),
        "bad" if expired else ("warn" if evidence["expiring"] else "ok"),
    )


def _clock_kpi(org: Organization, today: date) -> Kpi:
    """Form 8-K / 6-K clocks of incidents determined material and not yet reported."""
    clocks = incident_queries.open_clocks(org, today)
    overdue = sum(clock.overdue for clock in clocks)
    return Kpi(
        "Filing clocks running",
        str(len(clocks)),
        f"{overdue} overdue" if overdue else "none overdue",
        reverse("incidents:clocks"),
        "bad" if overdue else ("warn" if clocks else "ok"),
    )


def _kpis(risks: dict[str, int], controls: dict[str, int]) -> list[Kpi]:
    share = controls["implemented"] / controls["total"] if controls["total"] else None
    return [
        Kpi(
            "Open risks",
            str(risks["open"]),
            f"{risks['unrated']} not yet rated" if risks["unrated"] else "all rated",
            reverse("risks:risk_list"),
        ),
        Kpi(
            "High or very high residual",
            str(risks["high"]),
            "open risks in the top two bands",
            reverse("risks:risk_list") + "?" + urlencode({"sort": "-residual_score"}),
            "bad" if risks["high"] else "ok",
        ),
        Kpi(
            "Controls implemented",
            f"{share:.0%}" if share is not None else "—",
            f"{controls['implemented']} of {controls['total']} controls",
            reverse("controls:control_list")
            + "?"
            + urlencode({"status": Control.Status.IMPLEMENTED}),
            "" if share is None else ("ok" if share >= 0.9 else "warn"),
        ),
    ]


def build(org: Organization, today: date) -> Overview:
    """The whole dashboard of `org` as of `today`."""
    risks = _risk_counts(org, today)
    actions = _action_counts(org, today)
    matrix = RiskMatrix.objects.filter(organization=org, is_default=True).first()
    due = risk_queries.actions_due(org, today, DUE_WITHIN_DAYS)
    return Overview(
        today=today,
        kpis=[
            *_kpis(risks, _control_counts(org)),
            _evidence_kpi(_evidence_counts(org, today)),
            _clock_kpi(org, today),
        ],
        heatmaps=[
            heat_grid(risk_queries.heatmap(org, kind, matrix)) for kind in risk_queries.KINDS
        ],
        top_risks=risk_queries.top_risks(org, LIST_LIMIT),
        overdue_reviews=Listing(
            list(risk_queries.overdue_reviews(org, today)[:LIST_LIMIT]), risks["overdue"]
        ),
        actions_overdue=Listing(
            list(due.filter(due_on__lt=today)[:LIST_LIMIT]), actions["overdue"]
        ),
        actions_due_soon=Listing(list(due.filter(due_on__gte=today)[:LIST_LIMIT]), actions["soon"]),
        certifications=control_queries.certifications_due(org, today, CERTIFICATION_HORIZON_DAYS),
        assessments=list(
            ComplianceAssessment.objects.filter(organization=org)
            .select_related("framework")
            .order_by("-started_on", "-id")[:RECENT_ASSESSMENTS]
        ),
        committees=governance_queries.committee_status(org, today),
        training=program_queries.training_by_quarter(org, today.year, today),
    )
