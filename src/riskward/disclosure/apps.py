from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "riskward.disclosure"
    label = "disclosure"
    verbose_name = "SEC disclosure"
