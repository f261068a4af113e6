"""Governance pages beyond the generic registers: adding a member from a committee's page,
approving a policy."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from riskward.core import rbac
from riskward.core.middleware import OrgRequest
from riskward.core.records import org_view, submit_form
from riskward.governance import services
from riskward.governance.forms import MemberAddForm, PolicyApprovalForm
from riskward.governance.resources import COMMITTEE, POLICY
from riskward.lib.errors import InvalidInput


@org_view(rbac.Cap.VIEW_RECORDS)
def committee_add_member(request: OrgRequest, pk: int) -> HttpResponse:
    committee = COMMITTEE.get(request, pk)
    rbac.require_edit(request.user)
    return submit_form(
        request,
        MemberAddForm(request.POST or None, org=request.org),
        lambda data: services.add_member(request.org, request.user, committee, data),
        lambda membership: f"Added {membership.person} to {committee}.",
        "governance/member_add.html",
        {"committee": committee},
        next_url=lambda membership: committee.get_absolute_url(),
    )


@org_view(rbac.Cap.VIEW_RECORDS)
@require_POST
def policy_approve(request: OrgRequest, pk: int) -> HttpResponse:
    policy = POLICY.get(request, pk)
    rbac.require(request.user, rbac.Cap.EDIT_RECORDS)  # approval is not an owner's edit
    form = PolicyApprovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Approved on: give the date of approval.")
        return redirect(policy.get_absolute_url())
    try:
        services.approve_policy(
            request.org,
            request.user,
            policy,
            form.cleaned_data["approved_on"],
            version=form.cleaned_data["version"] or None,
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Approved “{policy}”; next review {policy.next_review_on}.")
    return redirect(policy.get_absolute_url())
