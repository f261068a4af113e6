"""Expected access per role, shared by every app's page and endpoint tests.

READERS may open registers; EDITORS may change any record; the risk owner edits only what they
own; the board member sees the dashboard alone; the outsider sees nothing of this organization.
"""

READERS = {"admin", "security_manager", "risk_owner", "auditor"}
EDITORS = {"admin", "security_manager"}
AUDIT_READERS = {"admin", "security_manager", "auditor"}
DASHBOARD = {"admin", "security_manager", "risk_owner", "auditor", "board_member"}
DISCLOSURE_READERS = {"admin", "security_manager", "auditor", "board_member"}
APPROVERS = {"admin"}
