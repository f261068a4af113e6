from __future__ import annotations

from django import forms

from riskward.core.forms import DateInput, OrgModelForm
from riskward.program.models import Drill, DrillAction, TrainingSession


class TrainingSessionForm(OrgModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "held_on",
            "topic",
            "audience",
            "invited",
            "completed",
            "delivered_by",
            "notes",
        ]


class DrillForm(OrgModelForm):
    class Meta:
        model = Drill
        fields = [
            "held_on",
            "title",
            "organizer_kind",
            "organizer",
            "scenario",
            "participants",
            "participant_count",
            "findings",
        ]


class DrillActionForm(OrgModelForm):
    class Meta:
        model = DrillAction
        fields = ["drill", "title", "owner", "due_on", "status", "completed_on"]


class DrillActionAddForm(OrgModelForm):
    """Adding an action from its drill's page: the drill is fixed, the action starts open."""

    class Meta:
        model = DrillAction
        fields = ["title", "owner", "due_on"]


class CompletionForm(forms.Form):
    completed_on = forms.DateField(label="Completed on", widget=DateInput())
