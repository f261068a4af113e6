from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "riskward.controls"
    label = "controls"
