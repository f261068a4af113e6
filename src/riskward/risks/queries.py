"""Read-only views of the register for the dashboard, reports and disclosure: no writes here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce

from riskward.core.models import Organization
from riskward.risks.models import Risk, RiskMatrix, TreatmentAction

KINDS = ("inherent", "residual")


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    count: int
    level: int
    band: str


@dataclass(frozen=True)
class Heatmap:
    """Counts per matrix cell; `cells[likelihood - 1][impact - 1]`, like `RiskMatrix.levels`."""

    matrix: RiskMatrix
    kind: str
    cells: list[list[HeatCell]]

    @property
    def total(self) -> int:
        return sum(cell.count for row in self.cells for cell in row)

    @property
    def rows(self) -> list[tuple[str, list[HeatCell]]]:
        """Most likely first, as a heat map is drawn: (likelihood label, cells by impact)."""
        labels = self.matrix.likelihood_labels
        return [(labels[n], self.cells[n]) for n in reversed(range(len(self.cells)))]

    @property
    def impact_labels(self) -> list[str]:
        return list(self.matrix.impact_labels)


def _grid(matrix: RiskMatrix, kind: str, counts: dict[tuple[int, int], int]) -> Heatmap:
    cells = [
        [
            HeatCell(
                likelihood=lik,
                impact=imp,
                count=counts.get((lik, imp), 0),
                level=matrix.level(lik, imp),
                band=matrix.band(matrix.level(lik, imp)),
            )
            for imp in range(1, matrix.impact_size + 1)
        ]
        for lik in range(1, matrix.likelihood_size + 1)
    ]
    return Heatmap(matrix=matrix, kind=kind, cells=cells)


def _matrix(org: Organization, matrix: RiskMatrix | None) -> RiskMatrix:
    if matrix is not None:
        return matrix
    found = RiskMatrix.objects.filter(organization=org, is_default=True).first()
    # Reading must not write: an organization without matrices gets an unsaved standard one.
    return found if found is not None else RiskMatrix(organization=org, name="Standard 5x5")


def heatmap(org: Organization, kind: str, matrix: RiskMatrix | None = None) -> Heatmap:
    """Open risks per cell of the matrix (default: the organization's default), one query.

    The residual map places a risk without a residual rating at its inherent cell, so both maps
    show every rated risk and the difference between them is what treatment achieved.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    matrix = _matrix(org, matrix)
    lik: Any
    imp: Any
    if kind == "inherent":
        lik, imp = F("inherent_likelihood"), F("inherent_impact")
    else:
        lik = Coalesce("residual_likelihood", "inherent_likelihood")
        imp = Coalesce("residual_impact", "inherent_impact")
    rows = (
        Risk.objects.filter(
            organization=org, matrix_id=matrix.pk, inherent_likelihood__isnull=False
        )
        .exclude(status=Risk.Status.CLOSED)
        .annotate(cell_l=lik, cell_i=imp)
        .values("cell_l", "cell_i")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(r["cell_l"], r["cell_i"]): r["n"] for r in rows} if matrix.pk else {}
    return _grid(matrix, kind, counts)


def risk_cell(risk: Risk, kind: str) -> Heatmap:
    """The risk's own matrix with its one cell marked (count 1); no query beyond its matrix."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    lik, imp = getattr(risk, f"{kind}_likelihood"), getattr(risk, f"{kind}_impact")
    counts = {(lik, imp): 1} if lik is not None and imp is not None else {}
    return _grid(risk.matrix, kind, counts)


def open_risks(org: Organization) -> QuerySet[Risk]:
    return Risk.objects.filter(organization=org).exclude(status=Risk.Status.CLOSED)


def top_risks(org: Organization, n: int = 10) -> list[Risk]:
    """The highest open risks by residual score (inherent where no residual rating exists)."""
    current: Any = Coalesce("residual_score", "inherent_score")
    return list(
        open_risks(org)
        .filter(inherent_score__isnull=False)
        .annotate(current=current, current_band=Coalesce("residual_level", "inherent_level"))
        .select_related("owner", "matrix", "erm_category")
        .order_by("-current", "-current_band", "reference")[:n]
    )


def overdue_reviews(org: Organization, today: date) -> QuerySet[Risk]:
    """Open risks whose next review date has passed, the longest overdue first."""
    return (
        open_risks(org)
        .filter(next_review_on__lt=today)
        .select_related("owner", "matrix")
        .order_by("next_review_on", "reference")
    )


def actions_due(org: Organization, today: date, within_days: int = 30) -> QuerySet[TreatmentAction]:
    """Open treatment actions due within the window, including those already overdue."""
    return (
        TreatmentAction.objects.filter(
            organization=org,
            status__in=TreatmentAction.OPEN_STATES,
            due_on__lte=today + timedelta(days=within_days),
        )
        .select_related("risk", "owner")
        .order_by("due_on", "id")
    )
