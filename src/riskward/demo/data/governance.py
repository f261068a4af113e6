"""The board, its audit committee, the reports it receives, policies and who is responsible."""

from __future__ import annotations

from typing import Any

BOARD = "Board of Directors"
AUDIT_COMMITTEE = "Audit Committee"

COMMITTEES: list[dict[str, Any]] = [
    {
        "name": BOARD,
        "kind": "board",
        "parent": None,
        "oversight": (
            "Overall oversight responsibility for risk assessment and the management of crises "
            "resulting from material risk events, including cybersecurity."
        ),
        "reporting_cadence_months": 12,
    },
    {
        "name": AUDIT_COMMITTEE,
        "kind": "committee",
        "parent": BOARD,
        "oversight": (
            "Delegated by the board to oversee cybersecurity-related management. Receives "
            "reports on cybersecurity from the internal audit and internal control departments "
            "at least once a year."
        ),
        "reporting_cadence_months": 12,
    },
]

# Committee, person, role.
MEMBERS = [
    (BOARD, "David Sun", "chair"),
    (BOARD, "Margaret Chen", "member"),
    (BOARD, "Robert Lam", "member"),
    (BOARD, "Helen Zhou", "member"),
    (AUDIT_COMMITTEE, "Margaret Chen", "chair"),
    (AUDIT_COMMITTEE, "Robert Lam", "member"),
    (AUDIT_COMMITTEE, "Helen Zhou", "member"),
]

# Reports made every year since FIRST_REPORT_YEAR, on (month, day), to a committee:
# committee, from department, from person, title ({year} is filled in), topics.
FIRST_REPORT_YEAR = 2022
YEARLY_REPORTS = [
    (
        (3, 18),
        AUDIT_COMMITTEE,
        "Internal Audit",
        "Zhao Min",
        "Internal audit report on cybersecurity, {year}",
        "Audit of the cybersecurity program: risk register, access management, incident "
        "response readiness; status of prior findings.",
    ),
    (
        (3, 18),
        AUDIT_COMMITTEE,
        "Internal Control",
        "Qian Hui",
        "Internal control assessment of cybersecurity, {year}",
        "Design and operating effectiveness of cybersecurity controls; MLPS assessment "
        "results; top risks and treatment progress.",
    ),
    (
        (4, 25),
        BOARD,
        None,
        "Margaret Chen",
        "Audit committee report to the board on cybersecurity oversight, {year}",
        "Summary of the audit committee's cybersecurity oversight, material risks and incidents.",
    ),
]

# Title, owner, version, approved (days before the load), review every N months, evidence path.
# Approval dates run with the load date so that reviews fall due in turn, as they would.
POLICIES = [
    ("Information Security Policy", "Li Wei", "5.0", 300, 12, "policies/infosec"),
    ("Incident Response Plan", "Zhou Lin", "4.1", 200, 12, "policies/incident-response"),
    ("Supplier Security Policy", "Ma Lei", "2.2", 500, 24, "policies/supplier-security"),
    (
        "Vulnerability Disclosure Policy",
        "Xu Ning",
        "1.3",
        340,
        12,
        "policies/vulnerability-disclosure",
    ),
    ("Data Classification Standard", "Gao Peng", "3.0", 420, 24, "policies/data-classification"),
    ("Acceptable Use of AI Tools", "Sun Yue", "1.0", 120, 12, "policies/ai-use"),
]

# Person, title, duties, expertise, years of experience, reports to (committee or person).
RESPONSIBILITIES: list[dict[str, Any]] = [
    {
        "person": "Li Wei",
        "title": "Head of Research and Development",
        "duties": "Daily supervision and management of cybersecurity risks.",
        "expertise": (
            "Network technology: nearly 20 years designing and running "
            "large-scale networks and their security."
        ),
        "years_experience": 19,
        "reports_to_committee": AUDIT_COMMITTEE,
    },
    {
        "person": "Zhou Lin",
        "title": "Technical Support Manager",
        "duties": "Day-to-day operation of cybersecurity risk monitoring within the group.",
        "expertise": "Security operations and incident response.",
        "years_experience": 12,
        "reports_to_person": "Li Wei",
    },
    {
        "person": "Wang Fang",
        "title": "IT Operations Manager",
        "duties": "Monitoring the performance of platforms, applications and infrastructure.",
        "expertise": "Data-centre and cloud operations.",
        "years_experience": 15,
        "reports_to_person": "Li Wei",
    },
]
