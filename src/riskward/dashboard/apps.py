from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "riskward.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
