"""Conflict detection for the clinician and the room, with an override."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tend.audit.models import AuditEvent
from tend.care.models import Appointment, Room
from tend.care.services import SchedulingConflict, appointment_book, appointment_status_set
from tests.care.helpers import book, make_client, wall
from tests.conftest import Cast

TEN = wall(2026, 12, 1, 10, 0)


def _book_in_room(cast: Cast, clinician_first: bool, room: Room, start: datetime) -> None:
    client = make_client(cast.organization, cast.clinician, "Ira", "Stone")
    appointment_book(
        organization=cast.organization,
        actor=cast.front_desk,
        clinician=cast.clinician if clinician_first else cast.supervisor,
        kind="individual",
        start_local=start,
        duration_minutes=50,
        clients=[client],
        room=room,
    )


def test_it_refuses_an_overlapping_booking_for_the_same_clinician(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    existing = book(cast.organization, cast.clinician, client, TEN)[0]

    with pytest.raises(SchedulingConflict) as error:
        book(cast.organization, cast.clinician, client, wall(2026, 12, 1, 10, 49))

    assert [a.pk for a in error.value.conflicts] == [existing.pk]
    assert error.value.message_dict["__all__"] == [
        "This overlaps 1 other appointment of the clinician or the room. "
        "Tick “Book anyway” to keep it."
    ]
    assert Appointment.objects.count() == 1


def test_back_to_back_appointments_do_not_conflict(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    book(cast.organization, cast.clinician, client, TEN)
    book(cast.organization, cast.clinician, client, wall(2026, 12, 1, 10, 50))
    assert Appointment.objects.count() == 2


def test_it_refuses_a_room_already_taken_by_another_clinician(cast: Cast) -> None:
    room = Room.objects.create(organization=cast.organization, name="Room 2")
    _book_in_room(cast, True, room, TEN)
    with pytest.raises(SchedulingConflict):
        _book_in_room(cast, False, room, wall(2026, 12, 1, 10, 30))
    assert Appointment.objects.count() == 1


def test_a_series_conflicting_in_one_week_is_refused_whole(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    book(cast.organization, cast.clinician, client, wall(2026, 12, 15, 10, 0))
    with pytest.raises(SchedulingConflict) as error:
        book(cast.organization, cast.clinician, client, TEN, rule="FREQ=WEEKLY;COUNT=4")
    assert [a.starts_at for a in error.value.conflicts] == [
        datetime(2026, 12, 15, 16, 0, tzinfo=UTC)
    ]
    assert Appointment.objects.count() == 1


def test_the_user_can_book_anyway_and_the_override_is_audited(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    book(cast.organization, cast.clinician, client, TEN)
    appointment_book(
        organization=cast.organization,
        actor=cast.front_desk,
        clinician=cast.clinician,
        kind="individual",
        start_local=TEN,
        duration_minutes=50,
        clients=[client],
        allow_conflicts=True,
    )
    assert Appointment.objects.count() == 2
    overrides = AuditEvent.objects.filter(action="care.appointment_booked").order_by("id")
    assert [event.extra["conflicts_overridden"] for event in overrides] == [False, True]


def test_a_cancelled_appointment_frees_the_time(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    first = book(cast.organization, cast.clinician, client, TEN)[0]
    appointment_status_set(
        appointment=first, actor=cast.front_desk, status="cancelled", reason="Client ill"
    )
    book(cast.organization, cast.clinician, client, TEN)
    assert Appointment.objects.filter(status="scheduled").count() == 1
