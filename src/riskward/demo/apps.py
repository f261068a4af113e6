from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "riskward.demo"
    label = "demo"
    verbose_name = "Demo program"
