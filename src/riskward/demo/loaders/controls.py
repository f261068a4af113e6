"""Frameworks, controls mapped to them, evidence links, certifications and assessments."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from riskward.controls import services
from riskward.controls.models import (
    AssessorEngagement,
    Certification,
    ComplianceAssessment,
    Control,
    Evidence,
    Requirement,
)
from riskward.demo import tables
from riskward.demo.data import controls as data
from riskward.demo.loaders.context import Demo


def load_frameworks(demo: Demo) -> dict[tuple[str, str], Requirement]:
    """Load each bundled framework (its own loader is idempotent); requirements by ref id."""
    frameworks = [services.load_framework(demo.org, key, demo.actor) for key in data.FRAMEWORKS]
    rows = Requirement.objects.filter(framework__in=frameworks).select_related("framework")
    return {(row.framework.key, row.ref_id): row for row in rows}


def _requirements(row: dict[str, str], catalog: dict[tuple[str, str], Requirement]) -> list[Any]:
    found = []
    for column, key in data.MAPPING_COLUMNS.items():
        for ref_id in tables.split(row[column]):
            if (key, ref_id) not in catalog:  # a typo in the table must not load silently
                raise LookupError(f"controls.csv {row['reference']}: no {ref_id} in {key}")
            found.append(catalog[(key, ref_id)])
    return found


def load_controls(demo: Demo, catalog: dict[tuple[str, str], Requirement]) -> None:
    for row in tables.read("controls"):
        tested = tables.optional_int(row["last_tested_days_ago"])
        demo.controls[row["reference"]] = demo.upsert(
            Control,
            {"reference": row["reference"]},
            {
                "name": row["name"],
                "description": row["description"],
                "control_type": row["control_type"],
                "function": row["function"],
                "threat_source": row["threat_source"],
                "owner": demo.people[row["owner"]],
                "status": row["status"],
                "test_frequency_days": int(row["test_frequency_days"]),
                "last_tested": demo.days_ago(tested) if tested is not None else None,
                "requirements": _requirements(row, catalog),
            },
            services.create_control,
            services.update_control,
        )


def link(
    demo: Demo, title: str, path: str, collected: date, expires: date | None, **extra: Any
) -> Evidence:
    """Evidence as a link to the intranet: the demo ships no binary files."""
    evidence: Evidence = demo.upsert(
        Evidence,
        {"title": title},
        {
            "kind": Evidence.Kind.LINK,
            "url": data.EVIDENCE_BASE_URL + path,
            "collected_on": collected,
            "expires_on": expires,
            **extra,
        },
        services.create_evidence,
        services.update_evidence,
    )
    return evidence


def load_evidence(demo: Demo) -> None:
    for row in tables.read("evidence"):
        collected = demo.days_ago(int(row["collected_days_ago"]))
        valid = tables.optional_int(row["valid_days"])
        link(
            demo,
            row["title"],
            row["path"],
            collected,
            collected + timedelta(days=valid) if valid is not None else None,
            controls=[demo.controls[ref] for ref in tables.split(row["controls"])],
        )


def load_supplier_reviews(demo: Demo) -> None:
    """The yearly supplier register review, on fixed dates so each fiscal year shows one."""
    spec = data.SUPPLIER_REVIEW
    month, day = spec["on"]
    for year in range(spec["first_year"], demo.today.year + 1):
        reviewed = date(year, month, day)
        if reviewed > demo.today:
            break
        link(
            demo,
            f"Supplier assessment register, {year} annual review",
            f"control/suppliers/register-{year}",
            reviewed,
            reviewed + timedelta(days=365),
            controls=[demo.controls[spec["control"]]],
        )


def engagement_dates(spec: dict[str, Any], today: date) -> list[tuple[date, date]]:
    """(start, end) of each yearly engagement that has ended by `today`."""
    obtained = date.fromisoformat(spec["obtained_on"])
    length = timedelta(days=spec["engagement_days"])
    dates = [(obtained - length, obtained)]
    month, day = spec["assessed"]
    for year in range(obtained.year + 1, today.year + 1):
        start = date(year, month, day)
        if start + length <= today:
            dates.append((start, start + length))
    return dates


def load_certification(demo: Demo, spec: dict[str, Any]) -> None:
    fields = {k: v for k, v in spec.items() if k not in ("assessed", "engagement_days")}
    fields["obtained_on"] = date.fromisoformat(fields["obtained_on"])
    certification = demo.upsert(
        Certification,
        {"scheme": fields.pop("scheme"), "level": fields.pop("level")},
        fields,
        services.create_certification,
        services.update_certification,
    )
    for started, ended in engagement_dates(spec, demo.today):
        title = f"{certification} assessment report {ended.year}"
        slug = f"mlps/{certification.pk}/report-{ended.year}"
        report = link(demo, title, slug, ended, None)
        demo.upsert(
            AssessorEngagement,
            {"certification": certification, "started_on": started},
            {
                **data.ASSESSOR,
                "scope": certification.scope,
                "ended_on": ended,
                "result": AssessorEngagement.Result.PASSED,
                "report": report,
            },
            services.create_engagement,
            services.update_engagement,
        )


def load_assessment(demo: Demo, catalog: dict[tuple[str, str], Requirement]) -> None:
    """The pre-assessment, its results recorded once: a completed assessment is history."""
    spec = data.ASSESSMENT
    framework = next(r.framework for (key, _), r in catalog.items() if key == spec["framework"])
    if ComplianceAssessment.objects.filter(organization=demo.org, title=spec["title"]).exists():
        return
    assessment = services.create_assessment(
        demo.org,
        demo.actor,
        {
            "framework": framework,
            "title": spec["title"],
            "scope": spec["scope"],
            "started_on": date.fromisoformat(spec["started_on"]),
            "assessor": demo.people[spec["assessor"]],
            "status": ComplianceAssessment.Status.IN_PROGRESS,
        },
    )
    demo.created += 1
    _record_results(demo, assessment)
    services.update_assessment(
        demo.org,
        demo.actor,
        assessment,
        {
            "status": ComplianceAssessment.Status.COMPLETED,
            "completed_on": date.fromisoformat(spec["completed_on"]),
        },
    )


def _record_results(demo: Demo, assessment: ComplianceAssessment) -> None:
    evidence_of: dict[int, list[Evidence]] = {}
    for evidence in Evidence.objects.filter(organization=demo.org).prefetch_related(
        "controls__requirements"
    ):
        for control in evidence.controls.all():
            for requirement in control.requirements.all():
                evidence_of.setdefault(requirement.pk, []).append(evidence)
    for result in assessment.results.select_related("requirement"):
        ref_id = result.requirement.ref_id
        value, findings = data.ASSESSMENT_EXCEPTIONS.get(ref_id, ("compliant", ""))
        services.record_result(
            demo.org,
            demo.actor,
            result,
            {
                "result": value,
                "findings": findings,
                "evidence": evidence_of.get(result.requirement_id, [])[:3],
            },
        )


def load(demo: Demo) -> None:
    catalog = load_frameworks(demo)
    load_controls(demo, catalog)
    load_evidence(demo)
    load_supplier_reviews(demo)
    for spec in data.CERTIFICATIONS:
        load_certification(demo, spec)
    load_assessment(demo, catalog)
