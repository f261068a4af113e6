"""The audit trail for auditors: a filtered list and a CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from riskward.audit.models import AuditEvent
from riskward.core import rbac
from riskward.core.listing import Column, Filter, ListSpec, run_list
from riskward.core.middleware import OrgRequest
from riskward.core.records import org_view

LISTING = ListSpec(
    columns=[
        Column("created_at", "When", sort="created_at"),
        Column("actor_label", "Who"),
        Column("action", "Action"),
        Column("object_type", "Record type"),
        Column("object_repr", "Record"),
    ],
    filters=[
        Filter(
            "action",
            "Action",
            "action",
            choices=lambda org: [(v, label) for v, label in AuditEvent.Action.choices],
        ),
        Filter(
            "object_type",
            "Record type",
            "object_type",
            choices=lambda org: [
                (t, t)
                for t in AuditEvent.objects.filter(organization=org)
                .values_list("object_type", flat=True)
                .distinct()[:100]
            ],
        ),
    ],
    search=["object_repr", "actor_label"],
    default_sort="-created_at",
)


@org_view(rbac.Cap.VIEW_AUDIT)
def event_list(request: OrgRequest) -> HttpResponse:
    rows = AuditEvent.objects.for_org(request.org)
    listed = run_list(rows, LISTING, request.GET, request.org)
    template = "audit/_events.html" if request.htmx else "audit/list.html"
    return render(request, template, {"listed": listed, "listing": LISTING})


class _Echo:
    def write(self, value: str) -> str:
        return value


@org_view(rbac.Cap.VIEW_AUDIT)
def event_export(request: OrgRequest) -> HttpResponseBase:
    rows = AuditEvent.objects.for_org(request.org).order_by("id").iterator(chunk_size=2000)
    writer = csv.writer(_Echo())
    header = [
        "id",
        "created_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object",
        "before",
        "after",
        "previous_hash",
        "hash",
    ]

    def lines() -> Iterator[str]:
        yield writer.writerow(header)
        for e in rows:
            yield writer.writerow(
                [
                    e.id,
                    e.created_at.isoformat(),
                    e.actor_label,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    e.before,
                    e.after,
                    e.previous_hash,
                    e.hash,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
