from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "riskward.audit"
    label = "audit"
    verbose_name = "Audit trail"
