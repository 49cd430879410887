"""The licence-renewal and licensure-progress panels on the dashboard."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tend.core.typing import MemberRequest
from tend.licensure.selectors import expiry_alerts, progress_for


def renewal_panel(request: MemberRequest) -> dict[str, Any] | None:
    alerts = expiry_alerts(request.user, today=timezone.localdate())
    return {"alerts": alerts} if alerts else None


def progress_panel(request: MemberRequest) -> dict[str, Any] | None:
    """The associate's progress on their path (a fixed number of queries)."""
    from tend.supervision.selectors import next_supervision_of

    report = progress_for(request.user, today=timezone.localdate())
    next_supervision = next_supervision_of(request.user, request.organization, now=timezone.now())
    time_zone = request.organization.timezone
    if report is None:
        return {"report": None, "next_supervision": next_supervision, "time_zone": time_zone}
    return {
        "report": report,
        "progress": report.progress,
        "next_supervision": next_supervision,
        "time_zone": time_zone,
    }
