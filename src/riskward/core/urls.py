from django.urls import path

from riskward.core import transfer_views, views
from riskward.core.records import resource_urls
from riskward.core.resources import DEPARTMENT, ERM_CATEGORY, PERSON

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("account/", views.account, name="account"),
    path("account/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("account/two-factor/", views.totp_setup, name="totp_setup"),
    path("organization/", views.organization, name="organization"),
    path("transfer/<slug:key>/import/", transfer_views.import_page, name="transfer_import"),
    path(
        "transfer/<slug:key>/export.<slug:fmt>", transfer_views.export_table, name="transfer_export"
    ),
    *resource_urls(PERSON),
    *resource_urls(DEPARTMENT),
    *resource_urls(ERM_CATEGORY),
]
