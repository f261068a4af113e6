from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "riskward.governance"
    label = "governance"
