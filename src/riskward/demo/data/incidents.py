"""Incidents of the last years: each one determined not material, with the reasons."""

from __future__ import annotations

from typing import Any

# Discovered at (UTC), title, severity (1 low .. 4 critical), status, affected assets,
# description, determined on, rationale.
INCIDENTS = [
    (
        "2024-03-09T02:40:00",
        "Credential-stuffing wave against customer logins",
        2,
        "closed",
        ("Customer web portal", "Identity provider (single sign-on)"),
        "About 1.2 million login attempts from rotating proxies over six hours; 37 accounts "
        "logged in before bot rules blocked the wave. Balances protected by step-up checks.",
        "2024-03-15",
        "No funds lost, 37 accounts reset, no service disruption; cost below 0.1% of the "
        "materiality threshold; no reasonably likely material impact.",
    ),
    (
        "2024-06-02T11:05:00",
        "Phishing compromised one employee mailbox",
        2,
        "closed",
        ("Email gateway",),
        "An employee entered credentials on a phishing page; the attacker sent internal "
        "phishing from the mailbox for 40 minutes before the account was disabled.",
        "2024-06-07",
        "Contained within an hour, no customer data in the mailbox, no further access; not "
        "material.",
    ),
    (
        "2024-09-14T20:10:00",
        "DDoS attack during a promotion weekend",
        3,
        "closed",
        ("Customer online service platform", "DDoS scrubbing service"),
        "A 380 Gbps volumetric attack; the scrubbing service absorbed it with 6 minutes of "
        "elevated latency.",
        "2024-09-18",
        "No outage, no data affected, negligible cost; not material.",
    ),
    (
        "2024-12-03T08:30:00",
        "Test storage bucket exposed non-production data",
        2,
        "closed",
        ("Object storage for media and documents",),
        "A staging bucket with synthetic test data was public for 3 days; found by the daily "
        "configuration scan.",
        "2024-12-06",
        "Synthetic data only, no personal information; not material.",
    ),
    (
        "2025-04-22T15:45:00",
        "Malicious package blocked in the build pipeline",
        2,
        "closed",
        ("CI/CD pipeline",),
        "A typosquatted dependency was pulled by a developer branch; the composition analysis "
        "gate stopped the build before any artefact shipped.",
        "2025-04-25",
        "Blocked before release, no production impact; not material.",
    ),
]

# One recent incident determined material, so the demo shows a running clock: a foreign private
# issuer furnishes a Form 6-K promptly after making the information public at home. Days are
# counted back from the day the demo is loaded.
MATERIAL_INCIDENT: dict[str, Any] = {
    "title": "Ransomware on the regional order-processing servers",
    "discovered_days_ago": 6,
    "severity": 4,
    "status": "contained",
    "assets": ("Customer online service platform",),
    "description": "Ransomware encrypted the order-processing servers of the southern region.",
    "nature": "A ransomware attack encrypted the servers that process orders in one region.",
    "scope_systems": "Order processing for the southern region; other regions unaffected.",
    "scope_data": "Order history of about 180,000 customers may have been copied.",
    "timing": "The attack began overnight and was contained within 30 hours.",
    "impact_operational": "Orders in the region were taken by phone for three days.",
    "impact_financial": "Estimated loss of CNY 40 to 60 million, above the threshold.",
    "undetermined_information": "Whether customer data left the network is still being "
    "established with the forensic firm.",
    # (days ago, recommendation, loss low, loss high, conclusion)
    "assessments": [
        (5, "undetermined", None, None, "Scope still unknown; forensic firm engaged."),
        (
            3,
            "material",
            "40000000",
            "60000000",
            "Loss range above the threshold; customers and the regulator affected.",
        ),
    ],
    "determined_days_ago": 2,
    "rationale": "Estimated loss above the materiality threshold and customer data at risk.",
}
