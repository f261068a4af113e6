"""Quarterly training and the drills, including the one the local administrative department ran."""

from __future__ import annotations

from typing import Any

# Held on, topic, audience, invited, completed, delivered by. One session a quarter.
TRAINING: list[tuple[str, str, str, int, int, str]] = [
    ("2023-02-21", "Phishing and social engineering", "All employees", 812, 768, "Zhou Lin"),
    ("2023-05-23", "Protecting personal information", "All employees", 820, 781, "Liu Yang"),
    ("2023-08-22", "Secure coding essentials", "Research and Development", 214, 205, "Li Wei"),
    (
        "2023-11-14",
        "Reporting incidents and suspicious activity",
        "All employees",
        836,
        790,
        "Xu Ning",
    ),
    (
        "2024-02-20",
        "Phishing, MFA fatigue and account takeover",
        "All employees",
        841,
        806,
        "Zhou Lin",
    ),
    ("2024-05-21", "Data classification and safe sharing", "All employees", 848, 815, "Gao Peng"),
    (
        "2024-08-20",
        "Secure use of open-source components",
        "Research and Development",
        226,
        219,
        "Li Wei",
    ),
    ("2024-11-12", "AI-enabled fraud and deepfakes", "All employees", 853, 824, "Sun Yue"),
    (
        "2025-02-18",
        "Phishing and social engineering refresher",
        "All employees",
        860,
        829,
        "Zhou Lin",
    ),
    ("2025-05-20", "Cross-border data transfer rules", "All employees", 866, 832, "Liu Yang"),
    (
        "2025-08-19",
        "Secure AI application development",
        "Research and Development",
        231,
        222,
        "Sun Yue",
    ),
    ("2025-11-11", "Incident response roles and escalation", "All employees", 872, 838, "Xu Ning"),
]
# After the last year above the programme keeps running: the same four sessions each year, on
# the same month and day, added when their date has passed.

DRILLS: list[dict[str, Any]] = [
    {
        "held_on": "2023-10-17",
        "title": "Ransomware tabletop exercise",
        "organizer_kind": "internal",
        "organizer": "Technical Support",
        "scenario": "Ransomware encrypts the virtualization cluster on a weekend.",
        "participants": ["Li Wei", "Zhou Lin", "Xu Ning", "Wang Fang", "Liu Yang"],
        "participant_count": 14,
        "findings": "Restore priorities were unclear; legal notification steps not in the runbook.",
        "actions": [
            ("Agree restore priority list with business owners", "Wang Fang", "2023-12-15", "done"),
            (
                "Add notification steps to the incident response plan",
                "Liu Yang",
                "2024-01-31",
                "done",
            ),
        ],
    },
    {
        "held_on": "2024-06-18",
        "title": "Cyber attack-and-defence drill organized by the local administrative department",
        "organizer_kind": "external",
        "organizer": "Local administrative department",
        "scenario": (
            "Red teams appointed by the local administrative department attacked internet-facing "
            "systems of participating companies for five days; defenders had to detect, report "
            "and contain each intrusion."
        ),
        "participants": ["Li Wei", "Zhou Lin", "Xu Ning", "Huang Jie", "Wang Fang"],
        "participant_count": 26,
        "findings": (
            "Two forgotten test hosts were found outside the asset inventory; escalation to the "
            "duty manager took 35 minutes against a 15-minute target; all intrusions detected."
        ),
        "actions": [
            ("Decommission the two forgotten test hosts", "Huang Jie", "2024-07-05", "done"),
            (
                "Weekly discovery scan reconciled with the asset inventory",
                "Xu Ning",
                "2024-08-30",
                "done",
            ),
            (
                "Revise the on-call escalation runbook and rehearse it",
                "Zhou Lin",
                "2024-09-30",
                "done",
            ),
        ],
    },
    {
        "held_on": "2025-06-24",
        "title": "Cyber attack-and-defence drill organized by the local administrative department",
        "organizer_kind": "external",
        "organizer": "Local administrative department",
        "scenario": "Red-team exercise against internet-facing platforms and the partner API.",
        "participants": ["Li Wei", "Zhou Lin", "Xu Ning", "Huang Jie"],
        "participant_count": 24,
        "findings": "One API endpoint lacked rate limiting; every attack detected within target.",
        "actions": [
            ("Rate-limit the remaining partner API endpoints", "Li Wei", "2025-08-31", "done"),
        ],
    },
]
