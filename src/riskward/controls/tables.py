"""The control register as a table, for CSV/XLSX import and export (`core.tabular`).

Registered from ControlsConfig.ready(). Controls are named by reference, owners by person
name, and requirements as framework key and requirement reference joined by ":", such as
"nist-csf-2.0:GV.OC-01" (the framework must be loaded in the organization first).
"""

from __future__ import annotations

from riskward.controls import services
from riskward.controls.models import Control
from riskward.controls.resources import CONTROL_LISTING
from riskward.core.tabular import Column, TableSpec

CONTROL_TABLE = TableSpec(
    key="controls",
    model=Control,
    columns=[
        Column("Reference", "reference"),
        Column("Name", "name"),
        Column("Description", "description"),
        Column("Type", "control_type"),
        Column("Function", "function"),
        Column("Threat source", "threat_source"),
        Column("Owner", "owner", lookup="name"),
        Column("Status", "status"),
        Column("Test frequency (days)", "test_frequency_days"),
        Column("Last tested", "last_tested"),
        Column(
            "Requirements",
            "requirements",
            lookup=("framework__key", "ref_id"),
            help="framework key and requirement reference, such as nist-csf-2.0:GV.OC-01, "
            "separated by “;”",
        ),
        Column(
            "Next test due",
            "next_test_due",
            format=lambda control: control.next_test_due,
            export_only=True,
        ),
    ],
    natural_key="reference",
    create=services.create_control,
    update=services.update_control,
    listing=CONTROL_LISTING,
    list_url="controls:control_list",
    prepare=lambda rows: rows.with_test_due(),  # type: ignore[attr-defined]
)
