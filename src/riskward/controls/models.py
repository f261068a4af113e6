"""Controls, frameworks and their requirements, evidence, compliance assessments, certifications."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from riskward.core.models import OrgModel, OrgQuerySet
from riskward.lib.dates import add_months


class AddDays(Func):
    """`date + whole days` as a date, on SQLite and PostgreSQL (Django has no portable form)."""

    arity = 2
    output_field = models.DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "  # PostgreSQL: date + integer is a date

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra,
        )


class Framework(OrgModel):
    """A standard the organization measures itself against, loaded from Riskward's data files."""

    class Key(models.TextChoices):
        NIST_CSF_2 = "nist-csf-2.0", "NIST CSF 2.0"
        ISO_27001_2022 = "iso-27001-2022", "ISO/IEC 27001:2022"
        MLPS_2_L3 = "mlps-2.0-l3", "MLPS 2.0 Level 3"

    key = models.CharField(max_length=40, choices=Key.choices)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=100, blank=True)
    source_note = models.TextField(blank=True, help_text="Where the data came from, its licence.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="uniq_framework_key")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("controls:framework_detail", args=[self.pk])


class Requirement(OrgModel):
    """One node of a framework's tree: a function, category, control, control point or item.

    `sort_key` orders the whole tree depth first, so one ordered query reads it in page order.
    """

    class Kind(models.TextChoices):
        FUNCTION = "function", "Function"
        CATEGORY = "category", "Category"
        SUBCATEGORY = "subcategory", "Subcategory"
        THEME = "theme", "Theme"
        CONTROL = "control", "Control"
        SECURITY_CLASS = "security_class", "Security class"
        CONTROL_POINT = "control_point", "Control point"
        ITEM = "item", "Requirement item"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="requirements")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    ref_id = models.CharField("Reference", max_length=60)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text="From the bundled framework data.")
    licensed_text = models.TextField(
        blank=True,
        help_text="Requirement text imported from the organization's licensed copy of the "
        "standard. Reloading the framework never changes it.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    withdrawn = models.BooleanField(default=False)
    sort_key = models.CharField(max_length=120)
    depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework_id", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref_id"], name="uniq_requirement_ref")
        ]
        indexes = [models.Index(fields=["organization", "framework", "sort_key"])]

    def __str__(self) -> str:
        title = self.title if len(self.title) <= 90 else self.title[:89] + "…"
        return f"{self.ref_id} {title}"

    def get_absolute_url(self) -> str:
        return reverse("controls:requirement_detail", args=[self.pk])


class ControlQuerySet(OrgQuerySet):
    def with_test_due(self) -> ControlQuerySet:
        """Annotate `test_due_on` (last test + frequency) so lists can filter on it."""
        due = AddDays(F("last_tested"), F("test_frequency_days"))
        return self.annotate(test_due_on=due)  # type: ignore[no-any-return]

    def test_overdue(self, today: date) -> ControlQuerySet:
        return self.with_test_due().filter(Control.overdue_q(today))

    def test_not_overdue(self, today: date) -> ControlQuerySet:
        return self.with_test_due().exclude(Control.overdue_q(today))


class Control(OrgModel):
    """A safeguard the organization operates, with an owner and a test schedule."""

    class Type(models.TextChoices):
        TECHNICAL = "technical", "Technical"
        ADMINISTRATIVE = "administrative", "Administrative"
        PHYSICAL = "physical", "Physical"

    class Function(models.TextChoices):
        PREVENTIVE = "preventive", "Preventive"
        DETECTIVE = "detective", "Detective"
        CORRECTIVE = "corrective", "Corrective"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "Being implemented"
        IMPLEMENTED = "implemented", "Implemented"
        NOT_EFFECTIVE = "not_effective", "Not effective"
        RETIRED = "retired", "Retired"

    class ThreatSource(models.TextChoices):
        INTERNAL = "internal", "Internal"
        EXTERNAL = "external", "External"
        SUPPLIER = "supplier", "Supplier"
        ANY = "any", "Any"

    # Only a control in operation has a test that can fall due.
    TESTED_STATUSES = (Status.IMPLEMENTED, Status.NOT_EFFECTIVE)

    reference = models.CharField(max_length=30, help_text="Your identifier, e.g. CTL-012.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    control_type = models.CharField("Type", max_length=20, choices=Type.choices)
    function = models.CharField(max_length=20, choices=Function.choices)
    threat_source = models.CharField(
        max_length=20, choices=ThreatSource.choices, default=ThreatSource.ANY
    )
    owner = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="controls"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    test_frequency_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How often the control is tested, in days (90 = quarterly).",
    )
    last_tested = models.DateField(null=True, blank=True)
    requirements = models.ManyToManyField(
        Requirement,
        blank=True,
        related_name="controls",
        help_text="Framework requirements this control helps meet.",
    )

    objects = ControlQuerySet.as_manager()  # type: ignore[misc]  # narrows OrgModel's manager

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="uniq_control_ref")
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["organization", "control_type"]),
            models.Index(fields=["organization", "function"]),
            models.Index(fields=["organization", "threat_source"]),
            models.Index(fields=["organization", "last_tested"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("controls:control_detail", args=[self.pk])

    def is_owned_by(self, user: Any) -> bool:
        return self.owner is not None and self.owner.user_id == user.pk

    @staticmethod
    def overdue_q(today: date) -> Q:
        """Rows of `with_test_due()` whose test is overdue on `today` (never tested counts)."""
        return Q(status__in=Control.TESTED_STATUSES, test_frequency_days__isnull=False) & (
            Q(last_tested__isnull=True) | Q(test_due_on__lt=today)
        )

    @property
    def next_test_due(self) -> date | None:
        if self.last_tested is None or self.test_frequency_days is None:
            return None
        return self.last_tested + timedelta(days=self.test_frequency_days)

    @property
    def test_overdue(self) -> bool:
        if self.status not in self.TESTED_STATUSES or self.test_frequency_days is None:
            return False
        due = self.next_test_due
        return due is None or due < timezone.localdate()


class Evidence(OrgModel):
    """Proof that a control operates: an uploaded file (type-checked and hashed) or a link.

    Files are stored by content under MEDIA_ROOT/evidence/<org>/ and only ever sent through the
    permission-checked download view, never from MEDIA_URL.
    """

    class Kind(models.TextChoices):
        FILE = "file", "File"
        LINK = "link", "Link"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FILE)
    file = models.FileField(upload_to="evidence/", max_length=300, blank=True)
    filename = models.CharField(max_length=255, blank=True, help_text="Name used on download.")
    url = models.URLField(
        "URL",
        max_length=1000,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="For link evidence: an http or https address.",
    )
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")
    content_type = models.CharField(max_length=100, blank=True)
    collected_on = models.DateField(default=timezone.localdate)
    expires_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    controls = models.ManyToManyField(Control, blank=True, related_name="evidence")

    class Meta:
        ordering = ["-collected_on", "title"]
        verbose_name_plural = "evidence"
        indexes = [
            models.Index(fields=["organization", "kind"]),
            models.Index(fields=["organization", "collected_on"]),
            models.Index(fields=["organization", "expires_on"]),
            models.Index(fields=["organization", "sha256"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("controls:evidence_detail", args=[self.pk])

    def clean(self) -> None:
        # Which of file and URL a kind needs is checked by the services, which see the upload.
        if self.expires_on and self.collected_on and self.expires_on < self.collected_on:
            raise ValidationError({"expires_on": "Expiry cannot be before collection."})

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()


class ComplianceAssessment(OrgModel):
    """A measurement of the organization against one framework, requirement by requirement."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField(max_length=200)
    scope = models.TextField(blank=True)
    started_on = models.DateField(default=timezone.localdate)
    completed_on = models.DateField(null=True, blank=True)
    assessor = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "started_on"]),
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["organization", "framework"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("controls:assessment_detail", args=[self.pk])

    def clean(self) -> None:
        if self.completed_on and self.started_on and self.completed_on < self.started_on:
            raise ValidationError({"completed_on": "Completion cannot be before the start."})


class RequirementResult(OrgModel):
    """How the organization stands on one requirement in one assessment, with evidence."""

    class Result(models.TextChoices):
        COMPLIANT = "compliant", "Compliant"
        PARTIAL = "partial", "Partially compliant"
        NON_COMPLIANT = "non_compliant", "Non-compliant"
        NOT_APPLICABLE = "not_applicable", "Not applicable"
        NOT_ASSESSED = "not_assessed", "Not assessed"

    assessment = models.ForeignKey(
        ComplianceAssessment, on_delete=models.CASCADE, related_name="results"
    )
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="results")
    result = models.CharField(max_length=20, choices=Result.choices, default=Result.NOT_ASSESSED)
    findings = models.TextField(blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="requirement_results")

    class Meta:
        ordering = ["assessment_id", "requirement__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement"], name="uniq_result_per_requirement"
            )
        ]
        indexes = [models.Index(fields=["organization", "assessment", "result"])]

    def __str__(self) -> str:
        return f"{self.requirement.ref_id}: {self.get_result_display()}"

    def get_absolute_url(self) -> str:
        return reverse("controls:result_edit", args=[self.assessment_id, self.pk])


class CertificationQuerySet(OrgQuerySet):
    def with_schedule(self) -> CertificationQuerySet:
        """Annotate `latest_pass_on` so the schedule properties need no query per row."""
        passes = (
            AssessorEngagement.objects.filter(
                certification=OuterRef("pk"), result__in=AssessorEngagement.PASSING_RESULTS
            )
            .annotate(finished_on=Coalesce("ended_on", "started_on"))
            .order_by("-finished_on")
            .values("finished_on")[:1]
        )
        latest = Subquery(passes, output_field=models.DateField())
        return self.annotate(latest_pass_on=latest)  # type: ignore[no-any-return]


class Certification(OrgModel):
    """A certification or protection-level filing that must be reassessed on a schedule.

    The next assessment is due `assessment_frequency_months` after the last passed assessor
    engagement ended, or after the certification was obtained when none has passed yet.
    """

    scheme = models.CharField(
        max_length=200, help_text="e.g. MLPS Information System Security Protection."
    )
    level = models.CharField(max_length=60, blank=True, help_text="e.g. Level 3.")
    scope = models.TextField(blank=True)
    issuer = models.CharField(max_length=200, blank=True)
    certificate_number = models.CharField(max_length=100, blank=True)
    obtained_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    assessment_frequency_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1)],
        help_text="Required assessment frequency, in months (12 = annual).",
    )
    is_active = models.BooleanField(
        "Active", default=True, help_text="Untick when surrendered; it is then not scheduled."
    )
    notes = models.TextField(blank=True)

    objects = CertificationQuerySet.as_manager()  # type: ignore[misc]  # narrows OrgModel's manager

    class Meta:
        ordering = ["scheme", "level"]
        indexes = [
            models.Index(fields=["organization", "scheme"]),
            models.Index(fields=["organization", "obtained_on"]),
            models.Index(fields=["organization", "expires_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.level}".strip()

    def get_absolute_url(self) -> str:
        return reverse("controls:certification_detail", args=[self.pk])

    def clean(self) -> None:
        if self.expires_on and self.obtained_on and self.expires_on < self.obtained_on:
            raise ValidationError({"expires_on": "Expiry cannot be before the date obtained."})

    @property
    def last_assessed_on(self) -> date | None:
        """End of the last passed engagement (annotated by `with_schedule()` on lists)."""
        if hasattr(self, "latest_pass_on"):
            return self.latest_pass_on  # type: ignore[no-any-return]
        if self.pk is None:
            return None
        return (
            Certification.objects.filter(pk=self.pk)
            .with_schedule()
            .values_list("latest_pass_on", flat=True)
        ).first()

    @property
    def next_assessment_due(self) -> date | None:
        start = self.last_assessed_on or self.obtained_on
        if start is None or not self.is_active:
            return None
        return add_months(start, self.assessment_frequency_months)

    @property
    def assessment_overdue(self) -> bool:
        due = self.next_assessment_due
        return due is not None and due < timezone.localdate()

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()


class AssessorEngagement(OrgModel):
    """A third party engaged to assess the program, e.g. the annual MLPS assessment."""

    class Result(models.TextChoices):
        PENDING = "pending", "Pending"
        PASSED = "passed", "Passed"
        PASSED_WITH_FINDINGS = "passed_with_findings", "Passed with findings"
        FAILED = "failed", "Failed"

    PASSING_RESULTS = (Result.PASSED, Result.PASSED_WITH_FINDINGS)

    certification = models.ForeignKey(
        Certification,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements",
        help_text="The certification this engagement (re)assesses, if any.",
    )
    firm = models.CharField(max_length=200)
    qualification = models.CharField(
        max_length=200, blank=True, help_text="The firm's accreditation for this work."
    )
    scope = models.TextField(blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    result = models.CharField(max_length=30, choices=Result.choices, default=Result.PENDING)
    report = models.ForeignKey(
        Evidence,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagement_reports",
        help_text="The assessor's report, kept as evidence.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "started_on"]),
            models.Index(fields=["organization", "result"]),
        ]

    def __str__(self) -> str:
        return f"{self.firm} ({self.started_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("controls:engagement_detail", args=[self.pk])

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "The end cannot be before the start."})
