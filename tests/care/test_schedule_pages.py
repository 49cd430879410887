"""Booking, calendars and the front-desk view through the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.audit.models import AuditEvent
from tend.care.models import Appointment, AppointmentClient
from tend.supervision.models import SupervisionRelationship
from tests.care.helpers import book, make_client, wall
from tests.conftest import Cast, signed_in

# Writing the read-audit row takes PostgreSQL's advisory lock: one more query there.
AUDIT_LOCK = 1 if connection.vendor == "postgresql" else 0

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def _booking(clinician: Cast | object, client_id: str, **extra: str) -> dict[str, str]:
    data = {
        "clinician": str(clinician),
        "kind": "individual",
        "clients": client_id,
        "date": "2026-12-01",
        "start_time": "10:00",
        "duration_minutes": "50",
        "location": "office",
        "repeat": "FREQ=WEEKLY",
        "occurrences": "6",
    }
    data.update(extra)
    return data


@time_machine.travel(NOW, tick=False)
def test_front_desk_books_a_weekly_series_for_a_clinician(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    response = signed_in(cast.front_desk).post(
        reverse("care:appointment_new"),
        _booking(cast.clinician.public_id, str(client.public_id)),
    )
    first = Appointment.objects.order_by("starts_at").first()
    assert first is not None
    assert response.status_code == 302
    assert response["Location"] == reverse("care:appointment", args=[first.public_id])
    assert Appointment.objects.filter(clinician=cast.clinician).count() == 6
    assert AppointmentClient.objects.filter(client=client).count() == 6
    assert first.starts_at == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert (
        AuditEvent.objects.filter(
            action="care.appointment_booked", actor_id=cast.front_desk.public_id
        ).count()
        == 1
    )


@time_machine.travel(NOW, tick=False)
def test_a_clinician_cannot_book_for_a_colleague_and_nothing_is_booked(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    response = signed_in(cast.clinician).post(
        reverse("care:appointment_new"),
        _booking(cast.supervisor.public_id, str(client.public_id)),
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Appointment.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_a_clinician_cannot_book_a_client_off_their_caseload(cast: Cast) -> None:
    stranger = make_client(cast.organization, cast.supervisor, "Lark", "Ember")
    response = signed_in(cast.clinician).post(
        reverse("care:appointment_new"),
        _booking(cast.clinician.public_id, str(stranger.public_id)),
    )
    assert response.status_code == 400
    assert Appointment.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_a_conflict_is_shown_next_to_the_form_and_can_be_overridden(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    book(cast.organization, cast.clinician, client, wall(2026, 12, 8, 10, 30))
    desk = signed_in(cast.front_desk)
    data = _booking(cast.clinician.public_id, str(client.public_id))

    refused = desk.post(reverse("care:appointment_new"), data)
    assert refused.status_code == 400
    assert (
        "This overlaps 1 other appointment of the clinician or the room."
        in refused.content.decode()
    )
    assert Appointment.objects.count() == 1

    accepted = desk.post(reverse("care:appointment_new"), {**data, "allow_conflicts": "on"})
    assert accepted.status_code == 302
    assert Appointment.objects.count() == 7


@time_machine.travel(NOW, tick=False)
def test_bad_input_gets_a_message_next_to_the_field(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    response = signed_in(cast.front_desk).post(
        reverse("care:appointment_new"),
        _booking(
            cast.clinician.public_id, str(client.public_id), repeat="custom", rule="FREQ=YEARLY"
        ),
    )
    assert response.status_code == 400
    assert 'id="id_rule_error"' in response.content.decode()
    assert Appointment.objects.count() == 0


def _week_calendar(cast: Cast, viewer: object) -> tuple[int, str]:
    client = signed_in(viewer)  # type: ignore[arg-type]
    url = reverse("care:calendar", args=[cast.clinician.public_id]) + "?view=week&date=2026-11-30"
    client.get(url)  # warm the session and the tenancy
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_week_calendar_runs_the_same_queries_for_few_and_many_appointments(
    cast: Cast,
) -> None:
    client = make_client(cast.organization, cast.clinician)
    book(cast.organization, cast.clinician, client, wall(2026, 12, 1, 8, 0))
    few, _ = _week_calendar(cast, cast.clinician)
    for day in range(30, 35):
        others = [
            make_client(cast.organization, cast.clinician, f"P{day}{hour}", "Reed")
            for hour in range(9, 17)
        ]
        for hour, other in zip(range(9, 17), others, strict=True):
            book(
                cast.organization,
                cast.clinician,
                other,
                wall(2026, 11 if day == 30 else 12, 30 if day == 30 else day - 30, hour, 0),
            )
    many, page = _week_calendar(cast, cast.clinician)
    assert page.count('class="appointment ') == 41
    assert few == many == 12 + AUDIT_LOCK


@time_machine.travel(NOW, tick=False)
def test_colleagues_see_busy_time_but_not_who_it_is_with(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician, "Wren", "Alder")
    book(cast.organization, cast.clinician, client, wall(2026, 12, 1, 10, 0))
    _, own = _week_calendar(cast, cast.clinician)
    _, colleague = _week_calendar(cast, cast.associate)
    _, desk = _week_calendar(cast, cast.front_desk)
    assert "Wren Alder" in own
    assert "Wren Alder" in desk
    assert "Wren Alder" not in colleague
    assert "Busy" in colleague


@time_machine.travel(NOW, tick=False)
def test_a_supervisor_sees_who_a_supervisees_appointments_are_with(cast: Cast) -> None:
    SupervisionRelationship.objects.create(
        organization=cast.organization,
        supervisor=cast.supervisor,
        supervisee=cast.clinician,
        started_on=date(2026, 1, 1),
    )
    client = make_client(cast.organization, cast.clinician, "Wren", "Alder")
    book(cast.organization, cast.clinician, client, wall(2026, 12, 1, 10, 0))
    _, page = _week_calendar(cast, cast.supervisor)
    assert "Wren Alder" in page


@time_machine.travel(NOW, tick=False)
def test_htmx_navigation_returns_only_the_calendar_grid(cast: Cast) -> None:
    response = signed_in(cast.clinician).get(
        reverse("care:calendar", args=[cast.clinician.public_id]) + "?view=day&date=2026-12-02",
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Wednesday 2 December 2026" in body
    assert "date=2026-12-01" in body and "date=2026-12-03" in body


@time_machine.travel(NOW, tick=False)
def test_the_front_desk_view_lists_every_clinician_with_flat_queries(cast: Cast) -> None:
    desk = signed_in(cast.front_desk)
    url = reverse("care:front_desk") + "?date=2026-12-01"
    first = make_client(cast.organization, cast.clinician, "Solo", "Birch")
    book(cast.organization, cast.clinician, first, wall(2026, 12, 1, 8, 0))
    desk.get(url)
    with CaptureQueriesContext(connection) as small:
        desk.get(url)
    for index, clinician in enumerate([cast.clinician, cast.associate, cast.supervisor]):
        for hour in range(9, 15):
            client = make_client(cast.organization, clinician, f"N{index}{hour}", "Birch")
            book(cast.organization, clinician, client, wall(2026, 12, 1, hour, 0))
    with CaptureQueriesContext(connection) as full:
        response = desk.get(url)
    page = response.content.decode()
    assert page.count('class="appointment ') == 19
    assert len(small) == len(full) == 10 + AUDIT_LOCK
    assert AuditEvent.objects.filter(action="care.schedule_viewed").count() == 3


@time_machine.travel(NOW, tick=False)
def test_marking_a_past_session_kept_and_cancelling_with_a_reason(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    past, future = book(
        cast.organization,
        cast.clinician,
        client,
        wall(2026, 11, 24, 9, 0),
        rule="FREQ=WEEKLY;COUNT=2",
    )
    clinician = signed_in(cast.clinician)
    kept = clinician.post(
        reverse("care:appointment_status", args=[past.public_id]), {"status": "kept"}
    )
    early = clinician.post(
        reverse("care:appointment_status", args=[future.public_id]), {"status": "kept"}
    )
    reasonless = clinician.post(
        reverse("care:appointment_status", args=[future.public_id]), {"status": "cancelled"}
    )
    cancelled = clinician.post(
        reverse("care:appointment_status", args=[future.public_id]),
        {"status": "late_cancelled", "reason": "Car trouble"},
    )
    assert [kept.status_code, early.status_code, reasonless.status_code, cancelled.status_code] == [
        302,
        400,
        400,
        302,
    ]
    assert "Say why the appointment was cancelled." in reasonless.content.decode()
    past.refresh_from_db()
    future.refresh_from_db()
    assert (past.status, future.status, future.cancellation_reason) == (
        "kept",
        "late_cancelled",
        "Car trouble",
    )
    assert list(
        AuditEvent.objects.filter(action="care.appointment_status_changed").values_list(
            "extra", flat=True
        )
    ) == [{"from": "scheduled", "to": "kept"}, {"from": "scheduled", "to": "late_cancelled"}]


@time_machine.travel(NOW, tick=False)
def test_an_associate_cannot_change_a_colleagues_appointment(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    appointment = book(cast.organization, cast.clinician, client, wall(2026, 11, 24, 9, 0))[0]
    response = signed_in(cast.associate).post(
        reverse("care:appointment_status", args=[appointment.public_id]), {"status": "no_show"}
    )
    appointment.refresh_from_db()
    assert response.status_code == 403
    assert appointment.status == "scheduled"


@time_machine.travel(NOW, tick=False)
def test_rescheduling_this_and_following_through_the_page(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    appointments = book(
        cast.organization,
        cast.clinician,
        client,
        wall(2026, 12, 1, 9, 0),
        rule="FREQ=WEEKLY;COUNT=3",
    )
    response = signed_in(cast.front_desk).post(
        reverse("care:appointment_reschedule", args=[appointments[1].public_id]),
        {
            "scope": "following",
            "date": "2026-12-09",
            "start_time": "11:00",
            "duration_minutes": "50",
            "location": "office",
        },
    )
    assert response.status_code == 302
    assert list(Appointment.objects.order_by("starts_at").values_list("starts_at", flat=True)) == [
        datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
        datetime(2026, 12, 9, 17, 0, tzinfo=UTC),
        datetime(2026, 12, 16, 17, 0, tzinfo=UTC),
    ]
