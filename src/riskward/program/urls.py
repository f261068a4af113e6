from django.urls import path

from riskward.core.records import resource_urls
from riskward.program import views
from riskward.program.resources import DRILL, DRILL_ACTION, TRAINING

app_name = "program"

urlpatterns = [
    path("training/by-quarter/", views.training_by_quarter, name="training_by_quarter"),
    *resource_urls(TRAINING),
    path("drill/<int:pk>/actions/new/", views.drill_add_action, name="drill_add_action"),
    *resource_urls(DRILL),
    path(
        "drill-action/<int:pk>/complete/",
        views.drill_action_complete,
        name="drill_action_complete",
    ),
    *resource_urls(DRILL_ACTION),
]
