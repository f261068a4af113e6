from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "riskward.assets"
    label = "assets"

    def ready(self) -> None:
        from riskward.assets.tables import ASSET_TABLE
        from riskward.core.tabular import register_table

        register_table(ASSET_TABLE)
