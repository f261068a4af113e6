"""The FY2024 annual disclosure as filed: the seed's Form 20-F Item 16K."""

from __future__ import annotations

# The FY2024 annual report cites its risk factors here; the disclosure text repeats it.
FY2024_RISK_FACTORS = (
    "“Item 3. Key Information—3.D. Risk Factors—Risk Related to Our Business and Industry— We "
    "rely significantly on information technology and any failure, inadequacy, interruption or "
    "security lapse of that technology, including any cybersecurity incidents, could harm our "
    "ability to operate our business effectively.” on page 56 of this annual report"
)
FY2024_APPROVED_AT = "2025-04-24T17:30:00+08:00"  # by the admin, after the secmgr's review
FY2024_FILED = {"filed_on": "2025-04-28", "accession_number": "0001234567-25-000042"}
