from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "riskward.risks"
    label = "risks"
