"""Break-the-glass: emergency access to a chart outside one's caseload."""

from __future__ import annotations

from datetime import datetime

import time_machine
from django.urls import reverse

from tend.audit.models import AuditEvent
from tend.clients.models import BreakGlassGrant
from tests.clients.factories import make_client
from tests.conftest import Cast, signed_in

NOON = "2026-11-27 12:00:00-06:00"


@time_machine.travel(NOON, tick=False)
def test_a_reason_is_required_and_nothing_is_granted_without_one(cast: Cast) -> None:
    client = make_client(cast, clinician=cast.associate)
    response = signed_in(cast.clinician).post(
        reverse("clients:break_glass", args=[client.public_id]), {"reason": "   "}
    )
    assert response.status_code == 400
    assert (
        '<p class="field-error" id="id_reason_error">This field is required.</p>'
        in response.content.decode()
    )
    assert BreakGlassGrant.objects.count() == 0
    assert AuditEvent.objects.filter(action="clients.break_glass_granted").count() == 0


def test_emergency_access_opens_the_chart_with_a_banner_and_flags_the_audit(cast: Cast) -> None:
    client = make_client(cast, clinician=cast.associate)
    chart = reverse("clients:chart", args=[client.public_id])
    with time_machine.travel(NOON, tick=False):
        browser = signed_in(cast.clinician)
        granted = browser.post(
            reverse("clients:break_glass", args=[client.public_id]),
            {"reason": "Client called the crisis line; primary clinician is on leave."},
        )
        assert granted.status_code == 302
        assert granted["Location"] == chart
        grant = BreakGlassGrant.objects.get()
        assert (grant.user, grant.client, grant.expires_at) == (
            cast.clinician,
            client,
            datetime.fromisoformat("2026-11-27 16:00:00-06:00"),
        )
        assert grant.reason == "Client called the crisis line; primary clinician is on leave."
        page = browser.get(chart)
        assert page.status_code == 200
        assert "Emergency access." in page.content.decode()
    event = AuditEvent.objects.get(action="clients.break_glass_granted")
    assert (event.actor_label, event.subject_id, event.client_id, event.extra) == (
        "clinician@harbor.test",
        str(grant.public_id),
        client.public_id,
        {"break_glass": True, "expires_at": "2026-11-27T22:00:00+00:00"},
    )
    viewed = AuditEvent.objects.get(action="clients.viewed")
    assert viewed.extra == {"via": "chart", "break_glass": True}


def test_emergency_access_expires_after_four_hours(cast: Cast) -> None:
    client = make_client(cast, clinician=cast.associate)
    chart = reverse("clients:chart", args=[client.public_id])
    with time_machine.travel(NOON, tick=False):
        signed_in(cast.clinician).post(
            reverse("clients:break_glass", args=[client.public_id]), {"reason": "Crisis call"}
        )
    # Sign in afresh each time: the idle timeout would otherwise end the session.
    with time_machine.travel("2026-11-27 15:59:00-06:00", tick=False):
        assert signed_in(cast.clinician).get(chart).status_code == 200
    with time_machine.travel("2026-11-27 16:00:01-06:00", tick=False):
        assert signed_in(cast.clinician).get(chart).status_code == 403


def test_someone_already_on_the_case_is_sent_straight_to_the_chart(cast: Cast) -> None:
    client = make_client(cast)
    response = signed_in(cast.clinician).get(
        reverse("clients:break_glass", args=[client.public_id])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:chart", args=[client.public_id])


def test_front_desk_cannot_break_the_glass(cast: Cast) -> None:
    client = make_client(cast)
    response = signed_in(cast.front_desk).post(
        reverse("clients:break_glass", args=[client.public_id]), {"reason": "Curious"}
    )
    assert response.status_code == 403
    assert BreakGlassGrant.objects.count() == 0
