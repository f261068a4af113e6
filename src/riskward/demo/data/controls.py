"""Frameworks, certifications, assessor engagements and the compliance assessment.

Controls and their evidence are tables: `controls.csv` and `evidence.csv`.
"""

from __future__ import annotations

from typing import Any

FRAMEWORKS = ["nist-csf-2.0", "iso-27001-2022", "mlps-2.0-l3"]
# controls.csv column -> the framework whose requirement ref ids it lists.
MAPPING_COLUMNS = {"nist_csf": "nist-csf-2.0", "iso_27001": "iso-27001-2022", "mlps": "mlps-2.0-l3"}

EVIDENCE_BASE_URL = "https://intranet.demo-holdings.example/"

# Each certification is assessed every year from the year it was obtained: the first engagement
# is the one that led to it, ending on the day it was obtained; later ones start on `assessed`
# (month, day) and take `engagement_days`. Engagements are added once they have ended.
CERTIFICATIONS: list[dict[str, Any]] = [
    {
        "scheme": "MLPS Information System Security Protection",
        "level": "Level 3",
        "scope": "Customer online service platform and the data-centre systems supporting it.",
        "issuer": (
            "Chinese Ministry of Public Security (filed with the local public security bureau)"
        ),
        "obtained_on": "2017-09-15",
        "assessment_frequency_months": 12,
        "assessed": (9, 4),
        "engagement_days": 14,
    },
    {
        "scheme": "MLPS Communication Network Security Protection",
        "level": "Level 3",
        "scope": "Internet edge, data-centre core and dedicated networks.",
        "issuer": "Chinese Ministry of Industry and Information Technology",
        "obtained_on": "2022-06-20",
        "assessment_frequency_months": 12,
        "assessed": (6, 8),
        "engagement_days": 10,
    },
]
# The supplier assessment register is reviewed every year on this (month, day), from 2023: the
# activity behind the "third-party oversight processes" flag of each fiscal year.
SUPPLIER_REVIEW: dict[str, Any] = {"control": "CTL-013", "on": (11, 29), "first_year": 2023}

ASSESSOR = {
    "firm": "Accredited Cybersecurity Assessment Center (demo)",
    "qualification": "MLPS assessment institution recommended by the competent authority",
}

# The compliance assessment: every assessable MLPS control point is compliant unless listed.
ASSESSMENT = {
    "framework": "mlps-2.0-l3",
    "title": "MLPS 2.0 Level 3 internal pre-assessment, 2025",
    "scope": "Systems under both Level 3 certifications, ahead of the annual assessor visits.",
    "started_on": "2025-04-07",
    "completed_on": "2025-05-16",
    "assessor": "Zhou Lin",
}
ASSESSMENT_EXCEPTIONS = {
    "8.1.4.10": (
        "partial",
        "Memory and disk of decommissioned virtual machines are not wiped everywhere.",
    ),
    "8.1.4.11": (
        "partial",
        "Data loss prevention covers e-mail only; the data warehouse is still being classified.",
    ),
    "8.1.9.5": (
        "partial",
        "Two outsourced developers kept standing access to staging; moving to just-in-time.",
    ),
    "8.1.2.3": ("not_applicable", "No trusted-computing hardware in scope."),
    "8.1.3.6": ("not_applicable", "No trusted-computing hardware in scope."),
    "8.1.4.6": ("not_applicable", "No trusted-computing hardware in scope."),
}
