from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "riskward.program"
    label = "program"
