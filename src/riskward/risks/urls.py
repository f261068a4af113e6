from django.urls import path

from riskward.core.records import resource_urls
from riskward.risks import views
from riskward.risks.resources import ACTION, MATRIX, RISK

app_name = "risks"

urlpatterns = [
    *resource_urls(RISK),
    path("risk/<int:pk>/assess/", views.assess, name="risk_assess"),
    path("risk/<int:pk>/review/", views.review, name="risk_review"),
    path("risk/<int:pk>/actions/new/", views.add_action, name="risk_add_action"),
    path(
        "risk/<int:pk>/acceptances/new/", views.request_acceptance, name="risk_request_acceptance"
    ),
    path("acceptance/<int:pk>/<str:decision>/", views.decide, name="acceptance_decide"),
    *resource_urls(ACTION),
    path("action/<int:pk>/complete/", views.complete_action, name="action_complete"),
    *resource_urls(MATRIX),
]
