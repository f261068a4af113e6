"""Risk register changes: matrices, risks, assessments, reviews, treatment and acceptance.

A risk's likelihood and impact change only together with a `RiskAssessment` row, so the history
is complete; its scores, bands and next review date are derived here, never typed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Length
from django.utils import timezone

from riskward.core.changes import create_row, delete_row, resolve_references, update_row
from riskward.core.models import Organization
from riskward.lib.errors import Conflict, InvalidInput, PermissionDenied
from riskward.risks.models import (
    Risk,
    RiskAcceptance,
    RiskAssessment,
    RiskMatrix,
    TreatmentAction,
)

INHERENT = ("inherent_likelihood", "inherent_impact")
RESIDUAL = ("residual_likelihood", "residual_impact")
RATINGS = (*INHERENT, *RESIDUAL)
DERIVED = ("inherent_score", "inherent_level", "residual_score", "residual_level")
REFERENCE_PREFIX = "RSK-"
Data = Mapping[str, Any]


def _today() -> date:
    return timezone.localdate()


def _not_future(value: Any, field: str) -> date:
    """A date that must not lie ahead; empty means today."""
    if value in (None, ""):
        return _today()
    if not isinstance(value, date):
        raise InvalidInput(f"{field}: give a date (YYYY-MM-DD)", field)
    if value > _today():
        raise InvalidInput(f"{field}: cannot be in the future", field)
    return value


# Matrices ----------------------------------------------------------------------------------


@transaction.atomic
def default_matrix(org: Organization) -> RiskMatrix:
    """The organization's default matrix; the standard 5x5 is made the first time it is needed."""
    found = RiskMatrix.objects.filter(organization=org, is_default=True).first()
    if found is not None:
        return found
    name = "Standard 5x5"
    if RiskMatrix.objects.filter(organization=org, name=name).exists():
        name = f"{name} ({_today():%Y-%m-%d})"
    return create_row(org, None, RiskMatrix, {"name": name, "is_default": True})


def _check_matrix_name(org: Organization, matrix: RiskMatrix | None, data: Data) -> None:
    name = data.get("name")
    taken = RiskMatrix.objects.filter(organization=org, name=name)
    if matrix is not None:
        taken = taken.exclude(pk=matrix.pk)
    if name and taken.exists():
        raise InvalidInput(f"name: a matrix named “{name}” already exists", "name")


def _clear_other_defaults(org: Organization, actor: Any, keep: RiskMatrix | None) -> None:
    others = RiskMatrix.objects.filter(organization=org, is_default=True)
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    for other in others:
        update_row(org, actor, other, {"is_default": False})


@transaction.atomic
def create_matrix(org: Organization, actor: Any, data: Data) -> RiskMatrix:
    """The first matrix of an organization is its default; a new default replaces the old one."""
    _check_matrix_name(org, None, data)
    values = dict(data)
    if not RiskMatrix.objects.filter(organization=org).exists():
        values["is_default"] = True
    if values.get("is_default"):
        _clear_other_defaults(org, actor, None)
    return create_row(org, actor, RiskMatrix, values)


def _check_matrix_in_use(matrix: RiskMatrix, likelihoods: int, impacts: int) -> None:
    """A smaller grid must still hold every rating made on it, current and historical."""
    for rows, what in ((Risk.objects, "risks"), (RiskAssessment.objects, "past assessments")):
        used = rows.filter(matrix=matrix)
        if (
            used.filter(inherent_likelihood__gt=likelihoods).exists()
            or used.filter(residual_likelihood__gt=likelihoods).exists()
        ):
            raise InvalidInput(
                f"likelihood_labels: {what} are rated above likelihood {likelihoods}",
                "likelihood_labels",
            )
        if (
            used.filter(inherent_impact__gt=impacts).exists()
            or used.filter(residual_impact__gt=impacts).exists()
        ):
            raise InvalidInput(
                f"impact_labels: {what} are rated above impact {impacts}", "impact_labels"
            )


def _rebanded(matrix: RiskMatrix, kind: str) -> Case:
    cells = [
        When(
            **{f"{kind}_likelihood": lik, f"{kind}_impact": imp},
            then=Value(matrix.level(lik, imp)),
        )
        for lik in range(1, matrix.likelihood_size + 1)
        for imp in range(1, matrix.impact_size + 1)
    ]
    return Case(*cells, default=Value(None), output_field=IntegerField())


@transaction.atomic
def update_matrix(org: Organization, actor: Any, matrix: RiskMatrix, data: Data) -> RiskMatrix:
    """Changing the bands re-bands every risk on the matrix in the same transaction."""
    _check_matrix_name(org, matrix, data)
    if matrix.is_default and data.get("is_default") is False:
        raise InvalidInput(
            "is_default: make another matrix the default instead of unsetting this one",
            "is_default",
        )
    if data.get("is_default") and not matrix.is_default:
        _clear_other_defaults(org, actor, matrix)
    matrix = update_row(org, actor, matrix, data)
    _check_matrix_in_use(matrix, matrix.likelihood_size, matrix.impact_size)
    # Stored bands are derived data: the matrix's own audit event records the change of bands.
    Risk.objects.filter(matrix=matrix).update(
        inherent_level=_rebanded(matrix, "inherent"), residual_level=_rebanded(matrix, "residual")
    )
    return matrix


@transaction.atomic
def delete_matrix(org: Organization, actor: Any, matrix: RiskMatrix) -> None:
    if matrix.is_default and RiskMatrix.objects.filter(organization=org).count() > 1:
        raise Conflict("This is the default matrix; make another one the default first.")
    delete_row(org, actor, matrix)


# Risks -------------------------------------------------------------------------------------


def _next_reference(org: Organization) -> str:
    last = (
        Risk.objects.filter(organization=org, reference__regex=rf"^{REFERENCE_PREFIX}[0-9]+$")
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last[len(REFERENCE_PREFIX) :]) + 1 if last else 1
    return f"{REFERENCE_PREFIX}{number:03d}"


def _reference(org: Organization, risk: Risk | None, values: dict[str, Any]) -> None:
    given = (values.get("reference") or "").strip()
    if not given:
        values["reference"] = risk.reference if risk is not None else _next_reference(org)
        return
    taken = Risk.objects.filter(organization=org, reference=given)
    if risk is not None:
        taken = taken.exclude(pk=risk.pk)
    if taken.exists():
        raise InvalidInput(f"reference: {given} is already used by another risk", "reference")
    values["reference"] = given


def _matrix(org: Organization, risk: Risk | None, values: dict[str, Any]) -> RiskMatrix:
    given = values.get("matrix")
    if given in (None, ""):
        return risk.matrix if risk is not None else default_matrix(org)
    found: RiskMatrix = resolve_references(org, Risk, {"matrix": given})[0]["matrix"]
    return found


def _whole(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{field}: give a whole number", field) from None


def check_ratings(matrix: RiskMatrix, ratings: Mapping[str, int | None]) -> None:
    """Likelihood and impact come in pairs, fit the matrix, and residual never exceeds inherent."""
    for likelihood, impact in (INHERENT, RESIDUAL):
        if (ratings[likelihood] is None) != (ratings[impact] is None):
            missing = likelihood if ratings[likelihood] is None else impact
            raise InvalidInput(f"{missing}: give likelihood and impact together", missing)
    for name in RATINGS:
        value, size = ratings[name], _size(matrix, name)
        if value is not None and not 1 <= value <= size:
            raise InvalidInput(
                f"{name}: must be between 1 and {size} on the matrix “{matrix}”", name
            )
    if ratings["residual_likelihood"] is not None and ratings["inherent_likelihood"] is None:
        raise InvalidInput(
            "inherent_likelihood: rate the inherent risk before the residual risk",
            "inherent_likelihood",
        )
    for inherent, residual in zip(INHERENT, RESIDUAL, strict=True):
        low, high = ratings[residual], ratings[inherent]
        if low is not None and high is not None and low > high:
            raise InvalidInput(
                f"{residual}: the residual rating cannot be higher than the inherent ({high})",
                residual,
            )


def _size(matrix: RiskMatrix, name: str) -> int:
    return matrix.likelihood_size if name.endswith("likelihood") else matrix.impact_size


def derived_ratings(matrix: RiskMatrix, ratings: Mapping[str, int | None]) -> dict[str, Any]:
    """Scores (likelihood x impact) and bands for stored ratings that `check_ratings` passed."""
    derived: dict[str, Any] = {}
    for kind in ("inherent", "residual"):
        likelihood, impact = ratings[f"{kind}_likelihood"], ratings[f"{kind}_impact"]
        if likelihood is not None and impact is not None:
            derived[f"{kind}_score"] = likelihood * impact
            derived[f"{kind}_level"] = matrix.level(likelihood, impact)
        else:
            derived[f"{kind}_score"] = derived[f"{kind}_level"] = None
    return derived


def _ratings(risk: Risk | None, values: Mapping[str, Any]) -> dict[str, int | None]:
    return {
        name: _whole(values[name], name)
        if name in values
        else (getattr(risk, name) if risk is not None else None)
        for name in RATINGS
    }


def _check_status(risk: Risk | None, status: str, assessed: bool) -> None:
    was_accepted = risk is not None and risk.status == Risk.Status.ACCEPTED
    if status == Risk.Status.ACCEPTED and not was_accepted:
        raise InvalidInput(
            "status: a risk becomes accepted only when its acceptance is approved", "status"
        )
    if status in (Risk.Status.ASSESSED, Risk.Status.TREATING) and not assessed:
        raise InvalidInput("status: rate the inherent risk first", "status")


def _schedule(risk: Risk | None, values: dict[str, Any]) -> None:
    """The next review falls one interval after the last one (or after creation)."""
    if risk is not None and not {"review_interval_days", "last_reviewed_on"} & values.keys():
        return
    interval = _whole(values.get("review_interval_days"), "review_interval_days")
    if interval is None:
        interval = risk.review_interval_days if risk is not None else 180
    if not 1 <= interval <= 3650:
        raise InvalidInput(
            "review_interval_days: must be from 1 to 3650 days", "review_interval_days"
        )
    values["review_interval_days"] = interval
    if "last_reviewed_on" in values:
        last = values["last_reviewed_on"] or None
    else:
        last = risk.last_reviewed_on if risk is not None else None
    if last is not None:
        last = _not_future(last, "last_reviewed_on")
    start = last or (risk.created_at.date() if risk is not None else _today())
    values["next_review_on"] = start + timedelta(days=interval)


def _prepare(org: Organization, risk: Risk | None, data: Data) -> dict[str, Any]:
    """Input plus everything the register derives from it, validated against the matrix."""
    values = {k: v for k, v in data.items() if k not in (*DERIVED, "next_review_on")}
    _reference(org, risk, values)
    matrix = values["matrix"] = _matrix(org, risk, values)
    ratings = _ratings(risk, values)
    check_ratings(matrix, ratings)
    values.update(ratings)
    values.update(derived_ratings(matrix, ratings))
    status = values.get("status") or (risk.status if risk is not None else Risk.Status.IDENTIFIED)
    if status == Risk.Status.IDENTIFIED and ratings["inherent_likelihood"] is not None:
        status = Risk.Status.ASSESSED
    _check_status(risk, status, ratings["inherent_likelihood"] is not None)
    values["status"] = status
    _schedule(risk, values)
    return values


def _ratings_of(row: Risk) -> dict[str, int | None]:
    return {name: getattr(row, name) for name in RATINGS}


def _record_assessment(
    org: Organization, actor: Any, risk: Risk, assessed_on: date, notes: str
) -> RiskAssessment:
    data: dict[str, Any] = {name: getattr(risk, name) for name in (*RATINGS, *DERIVED)}
    data.update(
        risk=risk, matrix=risk.matrix, assessed_on=assessed_on, assessed_by=actor, notes=notes
    )
    return create_row(org, actor, RiskAssessment, data)


@transaction.atomic
def create_risk(org: Organization, actor: Any, data: Data) -> Risk:
    """A new risk gets the next RSK-NNN unless given one; initial ratings start its history."""
    risk = create_row(org, actor, Risk, _prepare(org, None, data))
    if risk.is_assessed:
        _record_assessment(org, actor, risk, _today(), "Rated when the risk was recorded.")
    return risk


@transaction.atomic
def update_risk(org: Organization, actor: Any, risk: Risk, data: Data) -> Risk:
    """Changed ratings (from an import, say) are written to the history like an assessment."""
    before = _ratings_of(risk)
    risk = update_row(org, actor, risk, _prepare(org, risk, data))
    if _ratings_of(risk) != before and risk.is_assessed:
        _record_assessment(org, actor, risk, _today(), "Ratings changed by an edit.")
    return risk


def delete_risk(org: Organization, actor: Any, risk: Risk) -> None:
    delete_row(org, actor, risk)


@transaction.atomic
def assess_risk(org: Organization, actor: Any, risk: Risk, data: Data) -> RiskAssessment:
    """Rate the risk now: a history row and the current ratings; it also counts as a review."""
    if risk.status == Risk.Status.CLOSED:
        raise Conflict("A closed risk is not assessed; reopen it first.")
    assessed_on = _not_future(data.get("assessed_on"), "assessed_on")
    for name in INHERENT:
        if data.get(name) in (None, ""):
            raise InvalidInput(f"{name}: an assessment rates the inherent risk", name)
    change: dict[str, Any] = {name: data.get(name) for name in RATINGS}
    if data.get("matrix") not in (None, ""):
        change["matrix"] = data["matrix"]
    last = risk.last_reviewed_on
    change["last_reviewed_on"] = max(last, assessed_on) if last else assessed_on
    risk = update_row(org, actor, risk, _prepare(org, risk, change))
    return _record_assessment(org, actor, risk, assessed_on, str(data.get("notes") or ""))


@transaction.atomic
def review_risk(org: Organization, actor: Any, risk: Risk, reviewed_on: Any = None) -> Risk:
    """Confirm the risk still stands as rated; the next review falls one interval later."""
    if risk.status == Risk.Status.CLOSED:
        raise Conflict("A closed risk has no review cycle; reopen it first.")
    day = _not_future(reviewed_on, "reviewed_on")
    if risk.last_reviewed_on is not None and day < risk.last_reviewed_on:
        raise InvalidInput(
            f"reviewed_on: the risk was already reviewed on {risk.last_reviewed_on:%Y-%m-%d}",
            "reviewed_on",
        )
    return update_row(
        org,
        actor,
        risk,
        {
            "last_reviewed_on": day,
            "next_review_on": day + timedelta(days=risk.review_interval_days),
        },
    )


# Treatment actions -------------------------------------------------------------------------


def _action_dates(status: str, values: dict[str, Any], current: date | None) -> None:
    """A done action carries its completion date (today unless given); no other action does."""
    completed = values.get("completed_on", current)
    if status == TreatmentAction.Status.DONE:
        values["completed_on"] = _not_future(completed, "completed_on")
    elif completed is not None:
        raise InvalidInput("completed_on: only a done action has a completion date", "completed_on")


@transaction.atomic
def create_action(org: Organization, actor: Any, data: Data) -> TreatmentAction:
    """Planning an action on an assessed risk puts the risk into treatment."""
    values = dict(data)
    risk: Risk | None = resolve_references(org, TreatmentAction, {"risk": values.get("risk")})[0][
        "risk"
    ]
    if risk is None:
        raise InvalidInput("risk: choose the risk this action treats", "risk")
    if risk.status == Risk.Status.CLOSED:
        raise InvalidInput("risk: the risk is closed", "risk")
    values["risk"] = risk
    status = values.get("status") or TreatmentAction.Status.OPEN
    _action_dates(status, values, None)
    action = create_row(org, actor, TreatmentAction, values)
    if action.is_open and risk.status == Risk.Status.ASSESSED:
        update_row(org, actor, risk, {"status": Risk.Status.TREATING})
    return action


@transaction.atomic
def update_action(
    org: Organization, actor: Any, action: TreatmentAction, data: Data
) -> TreatmentAction:
    """An action stays on the risk it was planned for (its owner's rights follow that risk)."""
    values = dict(data)
    given = values.pop("risk", None)
    if given not in (None, "") and getattr(given, "pk", given) != action.risk_id:
        raise InvalidInput("risk: an action cannot move to another risk", "risk")
    status = values.get("status") or action.status
    if status != TreatmentAction.Status.DONE and "completed_on" not in values:
        values["completed_on"] = None
    _action_dates(status, values, action.completed_on)
    return update_row(org, actor, action, values)


@transaction.atomic
def complete_action(
    org: Organization, actor: Any, action: TreatmentAction, completed_on: Any = None
) -> TreatmentAction:
    if not action.is_open:
        raise Conflict(f"The action is already {action.get_status_display().lower()}.")
    day = _not_future(completed_on, "completed_on")
    return update_row(
        org, actor, action, {"status": TreatmentAction.Status.DONE, "completed_on": day}
    )


def delete_action(org: Organization, actor: Any, action: TreatmentAction) -> None:
    delete_row(org, actor, action)


# Acceptance --------------------------------------------------------------------------------


def _check_transition(acceptance: RiskAcceptance, target: str) -> None:
    if target in acceptance.allowed_transitions:
        return
    sources = [s for s, targets in RiskAcceptance.TRANSITIONS.items() if target in targets]
    raise Conflict(
        f"Cannot {RiskAcceptance.VERBS[target]} an acceptance that is {acceptance.state}; "
        f"only a {' or '.join(sources)} acceptance can be {target}."
    )


def _future(value: Any, field: str) -> date:
    if not isinstance(value, date):
        raise InvalidInput(f"{field}: give the date the acceptance lapses", field)
    if value <= _today():
        raise InvalidInput(f"{field}: must be after today", field)
    return value


@transaction.atomic
def request_acceptance(org: Organization, actor: Any, risk: Risk, data: Data) -> RiskAcceptance:
    """Ask to live with an assessed risk until a date; one open request or approval at a time."""
    if risk.status == Risk.Status.CLOSED:
        raise Conflict("A closed risk needs no acceptance.")
    if not risk.is_assessed:
        raise Conflict("Rate the risk before asking to accept it.")
    pending = RiskAcceptance.objects.filter(risk=risk, state=RiskAcceptance.State.REQUESTED)
    if pending.exists():
        raise Conflict(f"{risk.reference} already has an acceptance awaiting a decision.")
    if any(a.is_in_force() for a in risk.acceptances.filter(state=RiskAcceptance.State.APPROVED)):
        raise Conflict(f"{risk.reference} is already accepted.")
    values = {
        "risk": risk,
        "justification": str(data.get("justification") or "").strip(),
        "expires_on": _future(data.get("expires_on"), "expires_on"),
        "requested_by": actor,
        "requested_at": timezone.now(),
        "state": RiskAcceptance.State.REQUESTED,
    }
    return create_row(org, actor, RiskAcceptance, values)


def _decide(
    org: Organization, actor: Any, acceptance: RiskAcceptance, target: str, data: Data
) -> RiskAcceptance:
    values: dict[str, Any] = {
        "state": target,
        "decided_by": actor,
        "decided_at": timezone.now(),
        "decision_note": str(data.get("decision_note") or "").strip(),
    }
    if "expires_on" in data:
        values["expires_on"] = data["expires_on"]
    return update_row(org, actor, acceptance, values)


@transaction.atomic
def approve_acceptance(
    org: Organization, actor: Any, acceptance: RiskAcceptance, data: Data | None = None
) -> RiskAcceptance:
    """A second person approves (never the requester); the risk is then accepted until expiry."""
    data = data or {}
    _check_transition(acceptance, RiskAcceptance.State.APPROVED)
    if actor is not None and acceptance.requested_by_id == actor.pk:
        raise PermissionDenied("Whoever requested an acceptance cannot approve it.")
    risk = acceptance.risk
    if risk.status == Risk.Status.CLOSED:
        raise Conflict("The risk was closed after this request; reject it instead.")
    given = data.get("expires_on")
    decision = {
        "decision_note": data.get("decision_note"),
        "expires_on": _future(
            acceptance.expires_on if given in (None, "") else given, "expires_on"
        ),
    }
    acceptance = _decide(org, actor, acceptance, RiskAcceptance.State.APPROVED, decision)
    update_row(
        org, actor, risk, {"status": Risk.Status.ACCEPTED, "treatment": Risk.Treatment.ACCEPT}
    )
    return acceptance


@transaction.atomic
def reject_acceptance(
    org: Organization, actor: Any, acceptance: RiskAcceptance, data: Data
) -> RiskAcceptance:
    """A rejection says why, so the owner knows what treatment is expected instead."""
    _check_transition(acceptance, RiskAcceptance.State.REJECTED)
    if not str(data.get("decision_note") or "").strip():
        raise InvalidInput("decision_note: say why the acceptance is rejected", "decision_note")
    return _decide(org, actor, acceptance, RiskAcceptance.State.REJECTED, data)


@transaction.atomic
def expire_acceptance(
    org: Organization, actor: Any, acceptance: RiskAcceptance, data: Data | None = None
) -> RiskAcceptance:
    """End an approval (at its date or earlier); the risk goes back to needing a decision."""
    _check_transition(acceptance, RiskAcceptance.State.EXPIRED)
    values: dict[str, Any] = {"state": RiskAcceptance.State.EXPIRED}
    note = str((data or {}).get("decision_note") or "").strip()
    if note:  # the approver's note stays; the reason for ending early is added below it
        values["decision_note"] = f"{acceptance.decision_note}\n{note}".strip()
    acceptance = update_row(org, actor, acceptance, values)
    risk = acceptance.risk
    if risk.status == Risk.Status.ACCEPTED:
        update_row(org, actor, risk, {"status": Risk.Status.ASSESSED})
    return acceptance


@transaction.atomic
def expire_acceptances(org: Organization, today: date | None = None) -> list[RiskAcceptance]:
    """The periodic sweep: every approval whose date has come lapses (actor: the system)."""
    today = today or _today()
    due = RiskAcceptance.objects.filter(
        organization=org, state=RiskAcceptance.State.APPROVED, expires_on__lte=today
    ).select_related("risk")
    return [expire_acceptance(org, None, acceptance) for acceptance in due]
