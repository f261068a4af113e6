"""Incidents of the last years: each one determined not material, with the reasons."""

from __future__ import annotations

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
