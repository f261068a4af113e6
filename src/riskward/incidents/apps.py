from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "riskward.incidents"
    label = "incidents"
