"""Demo Holdings Ltd.: filer profile, ERM categories, departments, people and demo logins."""

from __future__ import annotations

ORGANIZATION = {
    "legal_name": "Demo Holdings Ltd.",
    "short_name": "Demo Holdings",
    # A made-up CIK well above any issued one, so the demo never names a real registrant.
    "cik": "0009999999",
    "filer_type": "20-F",
    "fiscal_year_end_month": 12,
    "fiscal_year_end_day": 31,
    # A PRC group filing on Form 20-F reports in renminbi.
    "reporting_currency": "CNY",
    "materiality_threshold": "30000000.00",
    "risk_appetite": (
        "Demo Holdings accepts low residual cybersecurity risk in pursuit of its online "
        "business. It has no appetite for risks that could disrupt customer-facing platforms "
        "for more than four hours, expose personal information at scale, or cost the MLPS "
        "Level 3 certifications. Risks rated High or Very high after treatment need a treatment "
        "plan or an acceptance approved by the head of Research and Development and reported "
        "to the audit committee."
    ),
}

# Name, description. Cyber risks sit in the enterprise register under these.
ERM_CATEGORIES = [
    ("Technology and cybersecurity", "Failure, compromise or misuse of information technology."),
    ("Operational resilience", "Disruption of the services customers rely on."),
    ("Legal and regulatory compliance", "Breach of data protection, MLPS or listing rules."),
    ("Third party and supply chain", "Suppliers, cloud providers, outsourced developers."),
    ("Strategic and emerging", "New technologies and threats that change the risk landscape."),
]

# Name, what the unit does for the program, head (a person below, by name).
DEPARTMENTS = [
    (
        "Research and Development",
        "Builds the group's platforms; its head supervises cybersecurity risk day to day.",
        "Li Wei",
    ),
    (
        "Technical Support",
        "Oversees the day-to-day operation of cybersecurity risk monitoring across the group.",
        "Zhou Lin",
    ),
    (
        "IT",
        "Runs and monitors the performance of platforms, applications and infrastructure.",
        "Wang Fang",
    ),
    (
        "Internal Audit",
        "Audits the cybersecurity program and reports to the audit committee at least yearly.",
        "Zhao Min",
    ),
    (
        "Internal Control",
        "Tests internal controls incl. cybersecurity and reports to the audit committee yearly.",
        "Qian Hui",
    ),
    (
        "Legal",
        "Data protection, regulatory filings, supplier contracts and incident notifications.",
        "Liu Yang",
    ),
]

# How the disclosure refers to someone it names ("he possesses extensive knowledge ...").
PRONOUNS = {"Li Wei": "he"}

# Name, title, department, e-mail local part. Board members have no department.
PEOPLE = [
    ("Li Wei", "Head of Research and Development", "Research and Development", "li.wei"),
    ("Gao Peng", "Data Platform Lead", "Research and Development", "gao.peng"),
    ("Sun Yue", "AI Products Lead", "Research and Development", "sun.yue"),
    ("Zhou Lin", "Technical Support Manager", "Technical Support", "zhou.lin"),
    ("Xu Ning", "Security Operations Lead", "Technical Support", "xu.ning"),
    ("Wang Fang", "IT Operations Manager", "IT", "wang.fang"),
    ("Huang Jie", "Network Engineering Lead", "IT", "huang.jie"),
    ("Zhao Min", "Head of Internal Audit", "Internal Audit", "zhao.min"),
    ("Qian Hui", "Head of Internal Control", "Internal Control", "qian.hui"),
    ("Ma Lei", "Supplier Risk Analyst", "Internal Control", "ma.lei"),
    ("Liu Yang", "General Counsel", "Legal", "liu.yang"),
    ("Margaret Chen", "Independent Director, Chair of the Audit Committee", None, "m.chen"),
    ("Robert Lam", "Independent Director", None, "r.lam"),
    ("Helen Zhou", "Independent Director", None, "h.zhou"),
    ("David Sun", "Chairman of the Board and Chief Executive Officer", None, "d.sun"),
]
EMAIL_DOMAIN = "demo-holdings.example"

# Username, role, the person the login belongs to (None: a technical account).
LOGINS = [
    ("admin", "admin", None),
    ("secmgr", "security_manager", "Li Wei"),
    ("riskowner", "risk_owner", "Wang Fang"),
    ("auditor", "auditor", "Zhao Min"),
    ("board", "board_member", "Margaret Chen"),
]
# Documented in the README and printed by `riskward demo`; passes every password validator (also for
# the username "riskowner", which a shorter "riskward-demo" resembles too closely).
DEMO_PASSWORD = "riskward-demo-2024"  # noqa: S105 - a published demo password, not a secret
