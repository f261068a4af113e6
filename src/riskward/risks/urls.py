from django.urls import path

from riskward.core.records import resource_urls
from riskward.risks import quant_views, views
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
    path("risk/<int:pk>/quant/", quant_views.save_inputs, name="risk_quant"),
    path("risk/<int:pk>/quant/run/", quant_views.run_risk, name="risk_quant_run"),
    path("acceptance/<int:pk>/<str:decision>/", views.decide, name="acceptance_decide"),
    *resource_urls(ACTION),
    path("action/<int:pk>/complete/", views.complete_action, name="action_complete"),
    *resource_urls(MATRIX),
    path("quant/", quant_views.portfolio, name="quant_portfolio"),
    path("quant/run/", quant_views.run_portfolio, name="quant_run"),
    path("quant/import/", quant_views.import_estimates, name="quant_import"),
    path("quant/template.csv", quant_views.estimates_template, name="quant_template"),
    path("quant/estimates.csv", quant_views.export_estimates, name="quant_estimates_csv"),
    path("quant/results.csv", quant_views.export_results, name="quant_results_csv"),
]
