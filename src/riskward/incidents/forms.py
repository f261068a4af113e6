from __future__ import annotations

from riskward.core.forms import OrgModelForm
from riskward.incidents.models import Incident


class IncidentForm(OrgModelForm):
    class Meta:
        model = Incident
        fields = [
            "reference",
            "title",
            "description",
            "discovered_at",
            "severity",
            "status",
            "affected_assets",
            "material",
            "determined_on",
            "determination_rationale",
        ]
