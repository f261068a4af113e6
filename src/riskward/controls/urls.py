from django.urls import path

from riskward.controls import views
from riskward.controls.resources import ASSESSMENT, CERTIFICATION, CONTROL, ENGAGEMENT, EVIDENCE
from riskward.core.records import resource_urls

app_name = "controls"

urlpatterns = [
    path("framework/", views.framework_list, name="framework_list"),
    path("framework/load/", views.framework_load, name="framework_load"),
    path("framework/<int:pk>/", views.framework_detail, name="framework_detail"),
    path(
        "framework/<int:pk>/import-text/",
        views.requirement_text_import,
        name="requirement_text_import",
    ),
    path("requirement/<int:pk>/", views.requirement_detail, name="requirement_detail"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("assessment/<int:pk>/result/<int:result_pk>/", views.result_edit, name="result_edit"),
    *resource_urls(CONTROL),
    *resource_urls(EVIDENCE),
    *resource_urls(ASSESSMENT),
    *resource_urls(CERTIFICATION),
    *resource_urls(ENGAGEMENT),
]
