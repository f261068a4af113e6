"""Every change to controls, frameworks, evidence, assessments and certifications.

Each function runs in one transaction and leaves an audit event. Loading a framework or
importing requirement text is one `import` event, not one per requirement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from riskward.audit import services as audit
from riskward.controls import datafiles, files
from riskward.controls.models import (
    AssessorEngagement,
    Certification,
    ComplianceAssessment,
    Control,
    Evidence,
    Framework,
    Requirement,
    RequirementResult,
)
from riskward.core.changes import create_row, delete_row, update_row
from riskward.core.models import Organization
from riskward.lib.errors import ImportRejected, InvalidInput, NotFound

# --- Controls ---------------------------------------------------------------------------------


def _check_reference(org: Organization, data: Mapping[str, Any], control: Control | None) -> None:
    """The database enforces uniqueness too; this names the field instead of failing late."""
    reference = data.get("reference")
    if not reference:
        return
    clash = Control.objects.filter(organization=org, reference=reference)
    if control is not None:
        clash = clash.exclude(pk=control.pk)
    if clash.exists():
        raise InvalidInput(
            f"reference: {reference} is already used by another control", "reference"
        )


def create_control(org: Organization, actor: Any, data: Mapping[str, Any]) -> Control:
    _check_reference(org, data, None)
    return create_row(org, actor, Control, data)


def update_control(
    org: Organization, actor: Any, control: Control, data: Mapping[str, Any]
) -> Control:
    _check_reference(org, data, control)
    return update_row(org, actor, control, data)


def delete_control(org: Organization, actor: Any, control: Control) -> None:
    delete_row(org, actor, control)


# --- Frameworks -------------------------------------------------------------------------------


@transaction.atomic
def load_framework(org: Organization, key: str, actor: Any = None) -> Framework:
    """Create or refresh framework `key` from its bundled data file, all or nothing.

    Idempotent: a reload changes only what the data file changed. It never deletes a
    requirement (mappings and assessments point at them) nor the customer's imported text.
    """
    catalog = datafiles.read_catalog(key)  # raises before anything is written
    framework, created = Framework.objects.get_or_create(organization=org, key=key)
    before = None if created else audit.snapshot(framework)
    meta = {"name": catalog.name, "version": catalog.version, "source_note": catalog.source_note}
    renamed = any(getattr(framework, name) != value for name, value in meta.items())
    if renamed:
        for name, value in meta.items():
            setattr(framework, name, value)
        framework.save()
    added, changed = _sync_requirements(org, framework, catalog.items)
    if created or renamed or added or changed:
        audit.record(
            organization=org,
            actor=actor,
            action=audit.Action.IMPORT,
            instance=framework,
            before=before,
            after={**audit.snapshot(framework), "added": added, "changed": changed},
        )
    return framework


def _sync_requirements(
    org: Organization, framework: Framework, items: Sequence[datafiles.Item]
) -> tuple[int, int]:
    """Insert new requirements level by level (parents first), then update changed ones."""
    rows = {r.ref_id: r for r in Requirement.objects.filter(framework=framework)}
    fresh: dict[int, list[Requirement]] = defaultdict(list)
    for item in items:
        if item.ref_id not in rows:
            rows[item.ref_id] = Requirement(
                organization=org, framework=framework, ref_id=item.ref_id
            )
            fresh[item.depth].append(rows[item.ref_id])
    created = {id(row) for level in fresh.values() for row in level}
    changed: list[Requirement] = []
    for item in items:
        row = rows[item.ref_id]
        if _apply_item(row, item, rows) and id(row) not in created:
            changed.append(row)
    for depth in sorted(fresh):  # a level's parents already have ids when it is inserted
        Requirement.objects.bulk_create(fresh[depth])
    changed += _resort_imported(rows, {item.ref_id for item in items})
    if changed:
        Requirement.objects.bulk_update(changed, [*ITEM_FIELDS, "parent"])
    return len(created), len(changed)


ITEM_FIELDS = ("title", "description", "kind", "withdrawn", "sort_key", "depth")


def _apply_item(row: Requirement, item: datafiles.Item, rows: Mapping[str, Requirement]) -> bool:
    """Copy the data file's values onto the row; True when anything differed."""
    differs = False
    for name in ITEM_FIELDS:
        if getattr(row, name) != getattr(item, name):
            setattr(row, name, getattr(item, name))
            differs = True
    parent = rows[item.parent_ref] if item.parent_ref else None
    # A parent inserted in this load has no id yet; bulk_create/bulk_update read it later.
    if parent is not None and (parent.pk is None or parent.pk != row.parent_id):
        row.parent = parent
        differs = True
    elif parent is None and row.parent_id is not None:
        row.parent = None
        differs = True
    return differs


def _resort_imported(rows: Mapping[str, Requirement], catalog_refs: set[str]) -> list[Requirement]:
    """Items a customer imported follow their parent if a new data file moved it."""
    by_pk = {row.pk: row for row in rows.values()}
    moved = []
    for row in rows.values():
        parent = by_pk.get(row.parent_id) if row.parent_id is not None else None
        if row.ref_id in catalog_refs or parent is None:
            continue
        if not row.sort_key.startswith(parent.sort_key + "."):
            row.sort_key = f"{parent.sort_key}.{row.sort_key.rpartition('.')[2]}"
            row.depth = parent.depth + 1
            moved.append(row)
    return moved


def delete_framework(org: Organization, actor: Any, framework: Framework) -> None:
    """Refused while assessments use it; its requirements and mappings go with it."""
    delete_row(org, actor, framework)


@dataclass(frozen=True)
class TextImport:
    updated: int
    added: int


@transaction.atomic
def import_requirement_text(
    org: Organization,
    framework: Framework,
    rows: Sequence[Mapping[str, Any]],
    actor: Any = None,
    first_row: int = 2,
) -> TextImport:
    """Store requirement text from the customer's licensed copy: every row or none.

    `rows` hold `ref_id` and `text`. A ref_id of the framework gets the text; a ref_id one part
    longer than one of the framework's (8.1.4.1.a under 8.1.4.1) adds a requirement item.
    Problems name the row, counted from `first_row` (2 = a CSV under its header line).
    """
    if framework.organization_id != org.pk:
        raise NotFound("No such framework.")
    if not rows:
        raise InvalidInput("file: there are no rows to import", "file")
    existing = {r.ref_id: r for r in Requirement.objects.filter(framework=framework)}
    updates, additions = _plan_text_import(framework, existing, rows, first_row)
    for row, text in updates:
        row.licensed_text = text
    Requirement.objects.bulk_update([row for row, _ in updates], ["licensed_text"])
    Requirement.objects.bulk_create(_new_items(org, framework, existing, additions))
    if updates or additions:
        audit.record(
            organization=org,
            actor=actor,
            action=audit.Action.IMPORT,
            instance=framework,
            after={"rows": len(rows), "updated": len(updates), "added": len(additions)},
        )
    return TextImport(updated=len(updates), added=len(additions))


MAX_TEXT = 20_000


def _plan_text_import(
    framework: Framework,
    existing: Mapping[str, Requirement],
    rows: Sequence[Mapping[str, Any]],
    first_row: int,
) -> tuple[list[tuple[Requirement, str]], list[tuple[Requirement, str, str]]]:
    updates: list[tuple[Requirement, str]] = []
    additions: list[tuple[Requirement, str, str]] = []
    problems: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=first_row):
        ref_id, text = str(row.get("ref_id") or "").strip(), str(row.get("text") or "").strip()
        parent = existing.get(ref_id.rpartition(".")[0])
        if not ref_id or ref_id in seen:
            problems.append((number, "ref_id", "missing" if not ref_id else "repeated"))
        elif not text or len(text) > MAX_TEXT:
            problems.append((number, "text", f"must have 1 to {MAX_TEXT} characters"))
        elif ref_id in existing:
            if existing[ref_id].licensed_text != text:
                updates.append((existing[ref_id], text))
        elif parent is not None:
            additions.append((parent, ref_id, text))
        else:
            problems.append((number, "ref_id", f"{ref_id} is not a reference of {framework}"))
        seen.add(ref_id)
    if problems:
        raise ImportRejected(problems)
    return updates, additions


def _new_items(
    org: Organization,
    framework: Framework,
    existing: Mapping[str, Requirement],
    additions: Sequence[tuple[Requirement, str, str]],
) -> list[Requirement]:
    """Requirement items placed after their parent's existing children."""
    last: dict[int, int] = defaultdict(int)
    for row in existing.values():
        if row.parent_id is not None:
            tail = row.sort_key.rpartition(".")[2]
            last[row.parent_id] = max(last[row.parent_id], int(tail) if tail.isdigit() else 0)
    items = []
    for parent, ref_id, text in additions:
        last[parent.pk] += 1
        items.append(
            Requirement(
                organization=org,
                framework=framework,
                parent=parent,
                ref_id=ref_id,
                title=datafiles.clip(text),
                licensed_text=text,
                kind=Requirement.Kind.ITEM,
                sort_key=f"{parent.sort_key}.{last[parent.pk]:04d}",
                depth=parent.depth + 1,
            )
        )
    return items


# --- Evidence ---------------------------------------------------------------------------------

NO_FILE: dict[str, Any] = {
    "file": "",
    "filename": "",
    "sha256": "",
    "size": None,
    "content_type": "",
}


def _store_upload(org: Organization, upload: UploadedFile) -> dict[str, Any]:
    """Check the upload, then store it by content: evidence/<org>/<sha prefix>/<sha>.<ext>."""
    checked = files.check_upload(upload, settings.UPLOAD_MAX_BYTES)
    name = f"evidence/{org.pk}/{checked.sha256[:2]}/{checked.sha256}.{checked.extension}"
    if not default_storage.exists(name):  # same bytes in the same organization: one copy
        upload.seek(0)
        name = default_storage.save(name, upload)
    return {
        "file": name,
        "filename": checked.filename,
        "sha256": checked.sha256,
        "size": checked.size,
        "content_type": checked.content_type,
    }


def _discard_if_unused(name: str) -> None:
    if name and not Evidence.objects.filter(file=name).exists():
        default_storage.delete(name)


def _evidence_values(
    org: Organization, evidence: Evidence | None, data: Mapping[str, Any]
) -> dict[str, Any]:
    """The kind decides: a file clears the URL, a link clears the file and its facts."""
    values = dict(data)
    upload = values.pop("file", None)
    kind = values.get("kind") or (evidence.kind if evidence else Evidence.Kind.FILE)
    if kind == Evidence.Kind.LINK:
        if upload is not None:
            raise InvalidInput("file: link evidence has no file; choose kind File", "file")
        if not values.get("url", evidence.url if evidence else ""):
            raise InvalidInput("url: link evidence needs an http or https URL", "url")
        values.update(NO_FILE)
    elif upload is not None:
        values.update(_store_upload(org, upload), url="")
    elif evidence is None or not evidence.file:
        raise InvalidInput("file: file evidence needs an uploaded file", "file")
    else:
        values["url"] = ""
    return values


def _saved(values: Mapping[str, Any], write: Callable[[], Evidence]) -> Evidence:
    """Run the write; a refused write leaves no newly stored file behind."""
    try:
        return write()
    except InvalidInput:
        _discard_if_unused(values.get("file") or "")
        raise


@transaction.atomic
def create_evidence(org: Organization, actor: Any, data: Mapping[str, Any]) -> Evidence:
    """`data["file"]` is the uploaded file for kind file; `url` the address for kind link."""
    values = _evidence_values(org, None, data)
    return _saved(values, partial(create_row, org, actor, Evidence, values))


@transaction.atomic
def update_evidence(
    org: Organization, actor: Any, evidence: Evidence, data: Mapping[str, Any]
) -> Evidence:
    """A new file replaces the old one; without one, file evidence keeps its file."""
    old_file = evidence.file.name or ""
    values = _evidence_values(org, evidence, data)
    row = _saved(values, partial(update_row, org, actor, evidence, values))
    if old_file and old_file != row.file.name:
        transaction.on_commit(partial(_discard_if_unused, old_file))
    return row


@transaction.atomic
def delete_evidence(org: Organization, actor: Any, evidence: Evidence) -> None:
    name = evidence.file.name or ""
    delete_row(org, actor, evidence)
    if name:
        transaction.on_commit(partial(_discard_if_unused, name))


# --- Compliance assessments -------------------------------------------------------------------


def assessable_requirements(framework: Framework) -> QuerySet[Requirement]:
    """Active requirements with no active children: the level results are recorded at."""
    return Requirement.objects.filter(framework=framework, withdrawn=False).exclude(
        children__withdrawn=False
    )


def _completion(data: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if values.get("status") == ComplianceAssessment.Status.COMPLETED and not values.get(
        "completed_on"
    ):
        values["completed_on"] = timezone.localdate()
    return values


@transaction.atomic
def create_assessment(
    org: Organization, actor: Any, data: Mapping[str, Any]
) -> ComplianceAssessment:
    """One result per assessable requirement, all `not_assessed` to start with."""
    assessment = create_row(org, actor, ComplianceAssessment, _completion(data))
    RequirementResult.objects.bulk_create(
        RequirementResult(organization=org, assessment=assessment, requirement_id=pk)
        for pk in assessable_requirements(assessment.framework).values_list("pk", flat=True)
    )
    return assessment


@transaction.atomic
def update_assessment(
    org: Organization, actor: Any, assessment: ComplianceAssessment, data: Mapping[str, Any]
) -> ComplianceAssessment:
    stored = ComplianceAssessment.objects.values_list("framework_id", flat=True).get(
        pk=assessment.pk
    )
    wanted = data.get("framework", stored)
    if getattr(wanted, "pk", wanted) != stored:
        raise InvalidInput(
            "framework: an assessment stays with its framework; start a new one instead",
            "framework",
        )
    return update_row(org, actor, assessment, _completion(data))


def delete_assessment(org: Organization, actor: Any, assessment: ComplianceAssessment) -> None:
    delete_row(org, actor, assessment)


RESULT_FIELDS = {"result", "findings", "evidence"}


@transaction.atomic
def record_result(
    org: Organization, actor: Any, result: RequirementResult, data: Mapping[str, Any]
) -> RequirementResult:
    """Set one requirement's result, findings and evidence; a completed assessment is closed."""
    unknown = sorted(set(data) - RESULT_FIELDS)
    if unknown:
        raise InvalidInput(f"{unknown[0]}: not a field of a result", unknown[0])
    status = ComplianceAssessment.objects.values_list("status", flat=True).get(
        pk=result.assessment_id
    )
    if status == ComplianceAssessment.Status.COMPLETED:
        raise InvalidInput(
            "result: the assessment is completed; reopen it to change results", "result"
        )
    return update_row(org, actor, result, data)


# --- Certifications and assessor engagements --------------------------------------------------


def create_certification(org: Organization, actor: Any, data: Mapping[str, Any]) -> Certification:
    return create_row(org, actor, Certification, data)


def update_certification(
    org: Organization, actor: Any, certification: Certification, data: Mapping[str, Any]
) -> Certification:
    return update_row(org, actor, certification, data)


def delete_certification(org: Organization, actor: Any, certification: Certification) -> None:
    """Its engagements stay on record, detached from it."""
    delete_row(org, actor, certification)


def create_engagement(org: Organization, actor: Any, data: Mapping[str, Any]) -> AssessorEngagement:
    return create_row(org, actor, AssessorEngagement, data)


def update_engagement(
    org: Organization, actor: Any, engagement: AssessorEngagement, data: Mapping[str, Any]
) -> AssessorEngagement:
    return update_row(org, actor, engagement, data)


def delete_engagement(org: Organization, actor: Any, engagement: AssessorEngagement) -> None:
    delete_row(org, actor, engagement)
