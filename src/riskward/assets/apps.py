from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "riskward.assets"
    label = "assets"
