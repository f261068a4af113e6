"""Program activities: awareness training sessions, drills and exercises with follow-up actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse

from riskward.core.models import OrgModel


class TrainingSession(OrgModel):
    """One delivery of security awareness training; completion is measured against invitations."""

    held_on = models.DateField("held on")
    topic = models.CharField(max_length=200)
    audience = models.CharField(
        max_length=200, blank=True, help_text="Who it was for, e.g. All employees, Developers."
    )
    invited = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(10_000_000)], help_text="Number invited."
    )
    completed = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(10_000_000)], help_text="Number who completed."
    )
    delivered_by = models.CharField(
        max_length=200, blank=True, help_text="A person, department or outside provider."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "held_on"]),
            models.Index(fields=["organization", "topic"]),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on:%Y-%m-%d})" if self.held_on else self.topic

    def get_absolute_url(self) -> str:
        return reverse("program:training_detail", args=[self.pk])

    def clean(self) -> None:
        counted = self.completed is not None and self.invited is not None
        if counted and self.completed > self.invited:
            raise ValidationError(
                {"completed": f"Cannot exceed the number invited ({self.invited})."}
            )

    @property
    def completion_rate(self) -> float | None:
        """Share of invitees who completed, or None when nobody was invited."""
        return self.completed / self.invited if self.invited else None

    @property
    def completion_percent(self) -> str | None:
        rate = self.completion_rate
        return None if rate is None else f"{rate:.0%}"


class Drill(OrgModel):
    """An exercise the organization ran or took part in, such as one a local authority organized."""

    class OrganizerKind(models.TextChoices):
        INTERNAL = "internal", "Internal"
        EXTERNAL = "external", "External body"

    held_on = models.DateField("held on")
    title = models.CharField(max_length=200)
    organizer_kind = models.CharField(
        "organizer kind",
        max_length=10,
        choices=OrganizerKind.choices,
        default=OrganizerKind.INTERNAL,
    )
    organizer = models.CharField(
        max_length=200, blank=True, help_text="e.g. Local administrative department."
    )
    scenario = models.TextField(blank=True)
    participants = models.ManyToManyField(
        "core.Person", blank=True, related_name="drills", help_text="Named participants."
    )
    participant_count = models.PositiveIntegerField(
        "participant count",
        null=True,
        blank=True,
        help_text="Head count, when more took part than are named.",
    )
    findings = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "held_on"]),
            models.Index(fields=["organization", "organizer_kind", "held_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("program:drill_detail", args=[self.pk])

    def clean(self) -> None:
        if self.organizer_kind == self.OrganizerKind.EXTERNAL and not self.organizer.strip():
            raise ValidationError({"organizer": "Name the outside body that organized the drill."})


class DrillAction(OrgModel):
    """A follow-up action from a drill's findings, with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        "core.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drill_actions",
    )
    due_on = models.DateField("due on", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField("completed on", null=True, blank=True)

    class Meta:
        ordering = ["-status", "due_on", "pk"]  # open first, soonest due first
        verbose_name = "drill action"
        indexes = [
            models.Index(fields=["organization", "status", "due_on"]),
            models.Index(fields=["organization", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("program:drill_action_detail", args=[self.pk])

    def is_owned_by(self, user: Any) -> bool:
        return self.owner is not None and self.owner.user_id == user.pk

    def clean(self) -> None:
        if self.status == self.Status.DONE and self.completed_on is None:
            raise ValidationError({"completed_on": "Give the date the action was completed."})
        if self.status == self.Status.OPEN and self.completed_on is not None:
            raise ValidationError({"completed_on": "An open action has no completion date."})

    def is_overdue(self, today: date) -> bool:
        return self.status == self.Status.OPEN and self.due_on is not None and self.due_on < today
