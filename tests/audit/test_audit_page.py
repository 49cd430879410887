from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.audit.models import AuditEvent
from tend.audit.services import audit_event_record
from tests.conftest import Cast, signed_in


def test_the_auditor_reads_the_trail_and_the_reading_is_recorded(cast: Cast) -> None:
    response = signed_in(cast.auditor).get(reverse("audit:events"))
    assert response.status_code == 200
    assert "accounts.organization_created" in response.content.decode()
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_id, event.subject_type, event.subject_id) == (
        "audit.viewed",
        cast.auditor.public_id,
        "accounts.organization",
        str(cast.organization.public_id),
    )


def test_the_trail_shows_only_this_organization(cast: Cast) -> None:
    html = signed_in(cast.auditor).get(reverse("audit:events")).content.decode()
    assert "outsider@elsewhere.test" not in html


def test_the_trail_pages_by_fifty_with_a_fixed_number_of_queries(cast: Cast) -> None:
    client = signed_in(cast.auditor)
    client.get(reverse("audit:events"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audit:events"))
    for _ in range(120):
        audit_event_record(
            action="accounts.profile_updated",
            actor=cast.clinician,
            organization=cast.organization,
            subject=cast.clinician,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("audit:events"))
    assert len(few) == len(many)
    assert response.context["next_before"] is not None
    assert len(response.context["events"]) == 50
