from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from tend.audit.selectors import PAGE_SIZE, organization_events
from tend.audit.services import audit_read_record
from tend.core.decorators import member_required
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest


@member_required(Capability.VIEW_AUDIT_TRAIL)
def events(request: MemberRequest) -> HttpResponse:
    before = request.GET.get("before", "")
    before_id = int(before) if before.isdigit() else None
    page = organization_events(
        request.organization,
        before_id=before_id,
    )
    # Reading the trail is itself sensitive (it names who saw which record).
    audit_read_record(
        request,
        action="audit.viewed",
        subject=request.organization,
        organization=request.organization,
    )
    has_more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return render(
        request,
        "audit/events.html",
        {"events": page, "next_before": page[-1].pk if has_more and page else None},
    )
