"""The risk register's pages: risks, treatment actions and matrices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from riskward.core import rbac
from riskward.core.listing import (
    Column,
    Filter,
    ListSpec,
    boolean_filter,
    choice_filter,
    related_filter,
)
from riskward.core.middleware import OrgRequest
from riskward.core.records import Resource
from riskward.risks import queries, services
from riskward.risks.forms import (
    AcceptanceRequestForm,
    AssessForm,
    MatrixForm,
    NewActionForm,
    RiskForm,
    TreatmentActionForm,
)
from riskward.risks.models import (
    DEFAULT_BAND_LABELS,
    DEFAULT_IMPACT_LABELS,
    DEFAULT_LIKELIHOOD_LABELS,
    Risk,
    RiskMatrix,
    TreatmentAction,
)


def _stored(update: Callable[..., Any]) -> Callable[..., Any]:
    """Hand the service the stored row, not the one the edit page validated.

    A ModelForm writes its input onto its instance while validating, so that row no longer
    shows what was stored: the service's rules and the audit trail's "before" need the truth.
    """

    def run(org: Any, actor: Any, row: Any, data: Any) -> Any:
        return update(org, actor, type(row)._default_manager.get(pk=row.pk), data)

    return run


@dataclass(frozen=True)
class RatingColumn(Column):
    """Score and band as a coloured badge; `attr` is "inherent" or "residual"."""

    def value(self, row: Any) -> Any:
        level = getattr(row, f"{self.attr}_level")
        if level is None:
            return None
        score = getattr(row, f"{self.attr}_score")
        # Non-breaking spaces keep a badge on one line in a narrow column.
        band = conditional_escape(row.matrix.band(level)).replace(" ", "&nbsp;")
        return format_html(
            '<span class="badge lvl-{}">{}&nbsp;·&nbsp;{}</span>',
            level,
            score,
            mark_safe(band),  # noqa: S308
        )


@dataclass(frozen=True)
class ReviewColumn(Column):
    def value(self, row: Any) -> Any:
        if row.next_review_on is None:
            return None
        if row.review_overdue:
            return format_html(
                '{} <span class="badge bad">overdue</span>', row.next_review_on.isoformat()
            )
        return row.next_review_on


def _by_level(rows: QuerySet[Any], value: str) -> QuerySet[Any]:
    """The current band: residual where rated, inherent otherwise."""
    if not value.isdigit():
        return rows.none()
    level = int(value)
    return rows.filter(
        Q(residual_level=level) | Q(residual_level__isnull=True, inherent_level=level)
    )


def _review_overdue(rows: QuerySet[Any], value: str) -> QuerySet[Any]:
    overdue = Q(next_review_on__lt=timezone.localdate()) & ~Q(status=Risk.Status.CLOSED)
    return rows.filter(overdue) if value == "true" else rows.exclude(overdue)


def _cell_filter(kind: str) -> Filter:
    """`L-I`: the open risks the dashboard's heat map counts in that cell.

    As in `queries.heatmap`, a risk without a residual rating sits at its inherent cell on the
    residual map, so a cell's link lists exactly the risks its number counts.
    """

    def apply(rows: QuerySet[Any], value: str) -> QuerySet[Any]:
        likelihood, _, impact = value.partition("-")
        if not (likelihood.isdigit() and impact.isdigit()):
            return rows.none()
        cell = {"likelihood": int(likelihood), "impact": int(impact)}
        inherent = Q(**{f"inherent_{k}": v for k, v in cell.items()})
        match = inherent
        if kind == "residual":
            match = Q(**{f"residual_{k}": v for k, v in cell.items()}) | (
                Q(residual_likelihood__isnull=True) & inherent
            )
        return rows.filter(match).exclude(status=Risk.Status.CLOSED)

    # Labels of the standard 5x5 (no query per page, like the level filter's band names).
    cells = [
        (f"{lik}-{imp}", f"{likelihood_label}, {impact_label}")
        for lik, likelihood_label in reversed(list(enumerate(DEFAULT_LIKELIHOOD_LABELS, 1)))
        for imp, impact_label in enumerate(DEFAULT_IMPACT_LABELS, 1)
    ]
    return Filter(
        f"{kind}_cell", f"{kind.capitalize()} cell", choices=lambda org: cells, apply=apply
    )


RISK_LISTING = ListSpec(
    columns=[
        Column("reference", "Ref", sort="reference", link=True),
        Column("title", "Title", sort="title", link=True),
        Column("get_status_display", "Status", sort="status"),
        Column("owner", "Owner", sort="owner__name"),
        RatingColumn("inherent", "Inherent", sort="inherent_score"),
        RatingColumn("residual", "Residual", sort="residual_score"),
        Column("get_treatment_display", "Treatment", sort="treatment"),
        ReviewColumn("next_review_on", "Next review", sort="next_review_on"),
    ],
    filters=[
        choice_filter(Risk, "status"),
        choice_filter(Risk, "threat_source"),
        related_filter(Risk, "erm_category", "ERM category"),
        related_filter(Risk, "owner"),
        choice_filter(Risk, "treatment"),
        Filter(
            "level",
            "Level",
            choices=lambda org: [(str(n), label) for n, label in enumerate(DEFAULT_BAND_LABELS, 1)],
            apply=_by_level,
        ),
        Filter(
            "review_overdue",
            "Review overdue",
            choices=lambda org: [("true", "Yes"), ("false", "No")],
            apply=_review_overdue,
        ),
        boolean_filter("emerging", "Emerging threat"),
        _cell_filter("inherent"),
        _cell_filter("residual"),
    ],
    search=["reference", "title", "description", "threat"],
    default_sort="reference",
    select_related=["owner", "matrix"],
)


@dataclass(frozen=True)
class RiskResource(Resource):
    """Detail pages need the owner (for access), the matrix (for bands) and the quantification
    with the row."""

    def rows(self, request: OrgRequest) -> QuerySet[Any]:
        return (
            super()
            .rows(request)
            .select_related("owner", "matrix", "erm_category", "quantification__run_by")
        )


def risk_context(request: HttpRequest, risk: Risk) -> dict[str, Any]:
    """What the risk page shows; a view that failed validation passes its bound forms in."""
    # Imported here: it loads numpy (the engine), which every process start would pay for, as
    # this module loads with the app registry.
    from riskward.risks import quant_pages

    user = request.user
    bound: dict[str, Any] = getattr(request, "risk_forms", {})
    org = request.org  # type: ignore[attr-defined]
    can_change = rbac.can_edit(user, risk)
    acceptances = list(risk.acceptances.select_related("requested_by", "decided_by"))
    controls = list(risk.controls.select_related("owner"))
    return {
        "can_change": can_change,
        "can_decide": rbac.has_cap(user, rbac.Cap.EDIT_RECORDS),
        "inherent_map": queries.risk_cell(risk, "inherent"),
        "residual_map": queries.risk_cell(risk, "residual"),
        "assets": risk.assets.all(),
        "controls": controls,
        "assessments": risk.assessments.select_related("assessed_by", "matrix"),
        "actions": risk.actions.select_related("owner"),
        "acceptances": acceptances,
        "open_acceptance": any(
            a.state == a.State.REQUESTED or a.is_in_force() for a in acceptances
        ),
        "assess_form": bound.get("assess_form") or AssessForm(risk=risk),
        "action_form": bound.get("action_form") or NewActionForm(org=org),
        "acceptance_form": bound.get("acceptance_form") or AcceptanceRequestForm(org=org),
        "today": timezone.localdate(),
        **quant_pages.risk_section(request, risk, bound, controls),
    }


RISK = RiskResource(
    app="risks",
    name="risk",
    model=Risk,
    form=RiskForm,
    listing=RISK_LISTING,
    create=services.create_risk,
    update=_stored(services.update_risk),
    delete=services.delete_risk,
    detail_fields=[
        "reference",
        "status",
        "owner",
        "erm_category",
        "threat_source",
        "threat",
        "emerging",
        "description",
        "treatment",
        "treatment_plan",
        "matrix",
        "review_interval_days",
        "last_reviewed_on",
        "next_review_on",
    ],
    detail_template="risks/risk_detail.html",
    list_actions=[
        ("risks:action_list", "Treatment actions"),
        ("risks:matrix_list", "Risk matrices"),
        ("risks:quant_portfolio", "Quantified risk"),
    ],
    detail_context=risk_context,
)


ACTION_LISTING = ListSpec(
    columns=[
        Column("title", "Action", sort="title", link=True),
        Column("risk", "Risk", sort="risk__reference"),
        Column("owner", "Owner", sort="owner__name"),
        Column("due_on", "Due", sort="due_on"),
        Column("get_status_display", "Status", sort="status"),
        Column("completed_on", "Completed", sort="completed_on"),
    ],
    filters=[
        choice_filter(TreatmentAction, "status"),
        related_filter(TreatmentAction, "owner"),
        Filter(
            "overdue",
            "Overdue",
            choices=lambda org: [("true", "Yes")],
            apply=lambda rows, value: rows.filter(
                status__in=TreatmentAction.OPEN_STATES, due_on__lt=timezone.localdate()
            ),
        ),
    ],
    search=["title", "description", "risk__reference", "risk__title"],
    default_sort="due_on",
    select_related=["risk", "owner"],
)


@dataclass(frozen=True)
class ActionResource(Resource):
    def rows(self, request: OrgRequest) -> QuerySet[Any]:
        return super().rows(request).select_related("risk__owner", "owner")


def action_context(request: HttpRequest, action: TreatmentAction) -> dict[str, Any]:
    return {"can_complete": action.is_open and rbac.can_edit(request.user, action)}


ACTION = ActionResource(
    app="risks",
    name="action",
    model=TreatmentAction,
    form=TreatmentActionForm,
    listing=ACTION_LISTING,
    create=services.create_action,
    update=_stored(services.update_action),
    delete=services.delete_action,
    detail_fields=["risk", "owner", "due_on", "status", "completed_on", "description"],
    detail_template="risks/action_detail.html",
    detail_context=action_context,
)


def matrix_context(request: HttpRequest, matrix: RiskMatrix) -> dict[str, Any]:
    return {"grid": queries.heatmap(request.org, "inherent", matrix)}  # type: ignore[attr-defined]


MATRIX = Resource(
    app="risks",
    name="matrix",
    model=RiskMatrix,
    form=MatrixForm,
    listing=ListSpec(
        columns=[
            Column("name", "Name", sort="name", link=True),
            Column("likelihood_size", "Likelihood steps"),
            Column("impact_size", "Impact steps"),
            Column("is_default", "Default", sort="is_default"),
        ],
        search=["name"],
        default_sort="name",
    ),
    create=services.create_matrix,
    update=_stored(services.update_matrix),
    delete=services.delete_matrix,
    detail_fields=["name", "is_default"],
    detail_template="risks/matrix_detail.html",
    detail_context=matrix_context,
)
