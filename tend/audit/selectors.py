from __future__ import annotations

from django.db.models import QuerySet

from tend.accounts.models import Organization
from tend.audit.models import AuditEvent

PAGE_SIZE = 50


def organization_events(
    organization: Organization, *, before_id: int | None = None
) -> list[AuditEvent]:
    """One page of an organization's trail, newest first (keyset pagination on id)."""
    events: QuerySet[AuditEvent] = AuditEvent.objects.filter(
        organization_id=organization.public_id
    ).order_by("-id")
    if before_id is not None:
        events = events.filter(id__lt=before_id)
    return list(events[: PAGE_SIZE + 1])
