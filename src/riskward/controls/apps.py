from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "riskward.controls"
    label = "controls"

    def ready(self) -> None:
        from riskward.controls.tables import CONTROL_TABLE
        from riskward.core.tabular import register_table

        register_table(CONTROL_TABLE)
