from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "riskward.core"
    label = "core"
    verbose_name = "Organization and people"
