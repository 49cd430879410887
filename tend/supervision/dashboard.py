"""The supervisor's dashboard panel: supervisees, co-sign queue age, hours waiting for
verification, the last supervision session and the next planned ones (a fixed number of
queries)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from tend.core.typing import MemberRequest
from tend.licensure.selectors import pending_verification_minutes
from tend.supervision.models import SupervisionRelationship, SupervisionSession
from tend.supervision.selectors import upcoming_for_supervisor

UPCOMING_SHOWN = 6


def supervisor_panel(request: MemberRequest) -> dict[str, Any] | None:
    from tend.care.selectors import NO_BACKLOG, cosign_backlog_by_supervisee

    organization, supervisor = request.organization, request.user
    now = timezone.now()
    today = timezone.localdate()
    relationships = list(
        SupervisionRelationship.objects.filter(organization=organization, supervisor=supervisor)
        .filter(started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("supervisee")
        .annotate(
            last_session_on=Max(
                "sessions__held_on", filter=Q(sessions__status=SupervisionSession.Status.HELD)
            ),
            unsigned_sessions=Count(
                "sessions",
                filter=Q(
                    sessions__supervisor_signed_at=None,
                    sessions__status=SupervisionSession.Status.HELD,
                ),
            ),
        )
        .order_by("supervisee__display_name")
    )
    if not relationships:
        return None
    supervisee_ids = [relationship.supervisee_id for relationship in relationships]
    pending = pending_verification_minutes(organization, supervisee_ids)
    backlog = cosign_backlog_by_supervisee(organization, supervisor)
    rows = [
        {
            "relationship": relationship,
            "pending_hours": (pending.get(relationship.supervisee_id) or 0) / 60,
            "cosign": backlog.get(relationship.supervisee_id, NO_BACKLOG),
            "days_since_session": (
                (today - relationship.last_session_on).days
                if relationship.last_session_on
                else None
            ),
        }
        for relationship in relationships
    ]
    return {
        "rows": rows,
        "queue_total": sum(waiting.notes for waiting in backlog.values()),
        "upcoming": upcoming_for_supervisor(
            supervisor, organization, now=now, limit=UPCOMING_SHOWN
        ),
        "now": now,
        "time_zone": organization.timezone,
    }
