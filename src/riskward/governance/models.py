"""Governance: the board and its committees, who sits on them, what they oversee, the meetings
they hold, the reports they receive, the policies they approve and who is responsible for what.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from riskward.core.models import OrgModel


class Committee(OrgModel):
    """The board, or a committee it delegates oversight to (parent = the board)."""

    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        COMMITTEE = "committee", "Committee"
        SUBCOMMITTEE = "subcommittee", "Subcommittee"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMITTEE)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="reports to",
        help_text="A committee reports to the board; a subcommittee to a committee.",
    )
    oversight = models.TextField(
        "delegated oversight",
        blank=True,
        help_text="What the parent body delegated, e.g. oversight of cybersecurity risk.",
    )
    members: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "core.Person", through="CommitteeMembership", related_name="committees", blank=True
    )
    reporting_cadence_months = models.PositiveSmallIntegerField(
        "reporting cadence (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How often it must receive a report; 12 = at least once a year.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="uniq_committee_name")
        ]
        indexes = [models.Index(fields=["organization", "kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:committee_detail", args=[self.pk])

    def clean(self) -> None:
        parent = self.parent
        if parent is None:
            if self.kind == self.Kind.SUBCOMMITTEE:
                raise ValidationError({"parent": "A subcommittee reports to a committee."})
            return
        if self.kind == self.Kind.BOARD:
            raise ValidationError({"parent": "The board reports to no other body."})
        if parent.pk is not None and parent.pk == self.pk:
            raise ValidationError({"parent": "A committee cannot report to itself."})
        if self.kind == self.Kind.COMMITTEE and parent.kind != self.Kind.BOARD:
            raise ValidationError({"parent": "A committee reports to the board."})
        if self.kind == self.Kind.SUBCOMMITTEE and parent.kind != self.Kind.COMMITTEE:
            raise ValidationError({"parent": "A subcommittee reports to a committee."})


class CommitteeMembership(OrgModel):
    """A person's seat on a committee, as chair or member."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        MEMBER = "member", "Member"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="committee_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["committee_id", "role", "pk"]  # chair before members
        verbose_name = "committee membership"
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="uniq_committee_member")
        ]
        indexes = [models.Index(fields=["organization", "committee", "role"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display().lower()}, {self.committee})"

    def get_absolute_url(self) -> str:
        return reverse("governance:membership_detail", args=[self.pk])


class Meeting(OrgModel):
    """A meeting of a committee, with its agenda, minutes and who attended."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField("held on")
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    attendees = models.ManyToManyField("core.Person", blank=True, related_name="meetings_attended")

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "held_on"]),
            models.Index(fields=["organization", "committee", "held_on"]),
        ]

    def __str__(self) -> str:
        if self.held_on is None or self.committee_id is None:
            return "Meeting"
        return f"{self.committee} meeting, {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.pk])


class CommitteeReport(OrgModel):
    """A report presented to a committee, e.g. internal audit's annual cybersecurity report."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="reports")
    title = models.CharField(max_length=200)
    presented_on = models.DateField("presented on")
    from_department = models.ForeignKey(
        "core.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_reports",
        verbose_name="from department",
    )
    from_person = models.ForeignKey(
        "core.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_reports",
        verbose_name="from person",
    )
    topics = models.TextField(blank=True, help_text="What the report covered.")
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        help_text="The meeting it was presented at, if any.",
    )
    attachments = models.ManyToManyField(
        "controls.Evidence", blank=True, related_name="committee_reports"
    )

    class Meta:
        ordering = ["-presented_on", "-pk"]
        verbose_name = "committee report"
        indexes = [
            models.Index(fields=["organization", "presented_on"]),
            models.Index(fields=["organization", "committee", "presented_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:report_detail", args=[self.pk])

    def clean(self) -> None:
        if self.from_department_id is None and self.from_person_id is None:
            raise ValidationError(
                {"from_department": "Say which department or person presented the report."}
            )
        if self.meeting is not None and self.meeting.committee_id != self.committee_id:
            raise ValidationError({"meeting": "That meeting is of another committee."})


class Policy(OrgModel):
    """A governing document with an owner, a version and a review cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        RETIRED = "retired", "Retired"

    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="policies"
    )
    version = models.CharField(max_length=30, blank=True, help_text="e.g. 2.1")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField("approved on", null=True, blank=True)
    approved_by = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies_approved",
        verbose_name="approved by",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "review cycle (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    next_review_on = models.DateField(
        "next review on",
        null=True,
        blank=True,
        help_text="Left empty, it is set from the approval date and the review cycle.",
    )
    document = models.ForeignKey(
        "controls.Evidence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies",
        help_text="The approved text, as evidence.",
    )
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "policies"
        indexes = [
            models.Index(fields=["organization", "title"]),
            models.Index(fields=["organization", "status", "next_review_on"]),
            models.Index(fields=["organization", "next_review_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}" if self.version else self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:policy_detail", args=[self.pk])

    def is_owned_by(self, user: Any) -> bool:
        return self.owner is not None and self.owner.user_id == user.pk

    def clean(self) -> None:
        if self.status == self.Status.APPROVED and self.approved_on is None:
            raise ValidationError({"approved_on": "An approved policy needs its approval date."})
        if self.approved_on and self.next_review_on and self.next_review_on < self.approved_on:
            raise ValidationError({"next_review_on": "The review cannot come before approval."})


class ResponsibilityAssignment(OrgModel):
    """Who is responsible for what in the program, their expertise, and to whom they report."""

    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="responsibilities"
    )
    title = models.CharField(max_length=200, help_text="e.g. Head of Research and Development.")
    duties = models.TextField(blank=True)
    expertise = models.TextField("relevant expertise", blank=True)
    years_experience = models.PositiveSmallIntegerField(
        "years of experience", null=True, blank=True, validators=[MaxValueValidator(70)]
    )
    reports_to_person = models.ForeignKey(
        "core.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="direct_reports",
        verbose_name="reports to (person)",
    )
    reports_to_committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsibilities_reporting",
        verbose_name="reports to (committee)",
    )

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = "responsibility"
        verbose_name_plural = "responsibilities"
        indexes = [
            models.Index(fields=["organization", "title"]),
            models.Index(fields=["organization", "person"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.person})" if self.person_id else self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:responsibility_detail", args=[self.pk])

    @property
    def reports_to(self) -> Any:
        return self.reports_to_person or self.reports_to_committee

    def clean(self) -> None:
        to_person, to_committee = self.reports_to_person_id, self.reports_to_committee_id
        if (to_person is None) == (to_committee is None):
            raise ValidationError(
                {"reports_to_person": "Choose exactly one: a person or a committee to report to."}
            )
        if to_person is not None and to_person == self.person_id:
            raise ValidationError({"reports_to_person": "Nobody reports to themselves."})
