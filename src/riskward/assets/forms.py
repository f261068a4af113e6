from __future__ import annotations

from riskward.assets.models import Asset
from riskward.core.forms import OrgModelForm


class AssetForm(OrgModelForm):
    class Meta:
        model = Asset
        fields = [
            "name",
            "kind",
            "description",
            "owner",
            "criticality",
            "internet_facing",
            "mlps_level",
            "status",
            "dependencies",
        ]
