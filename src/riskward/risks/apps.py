from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "riskward.risks"
    label = "risks"

    def ready(self) -> None:
        from riskward.core.tabular import register_table
        from riskward.risks.tables import RISK_TABLE

        register_table(RISK_TABLE)
