from django.urls import path

from riskward.core.records import resource_urls
from riskward.governance import views
from riskward.governance.resources import (
    COMMITTEE,
    MEETING,
    MEMBERSHIP,
    POLICY,
    REPORT,
    RESPONSIBILITY,
)

app_name = "governance"

urlpatterns = [
    # Before the generic pages: the committee list adds the reporting-status summary.
    path(
        "committee/<int:pk>/members/new/",
        views.committee_add_member,
        name="committee_add_member",
    ),
    *resource_urls(COMMITTEE),
    *resource_urls(MEMBERSHIP),
    *resource_urls(MEETING),
    *resource_urls(REPORT),
    path("policy/<int:pk>/approve/", views.policy_approve, name="policy_approve"),
    *resource_urls(POLICY),
    *resource_urls(RESPONSIBILITY),
]
