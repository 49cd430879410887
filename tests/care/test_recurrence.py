"""Recurring series: wall-clock times across daylight saving, and the two kinds of edit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from tend.audit.models import AuditEvent
from tend.care.models import Appointment, AppointmentSeries
from tend.care.scheduling import to_local
from tend.care.services import appointment_book, appointment_reschedule
from tests.care.helpers import book, make_client, wall
from tests.conftest import Cast

# America/Chicago leaves daylight saving time on Sunday 1 November 2026 at 02:00.
BEFORE_DST_END = wall(2026, 10, 20, 10, 0)  # a Tuesday, 10:00 CDT (UTC-5)


def _series(cast: Cast, count: int = 4) -> list[Appointment]:
    client = make_client(cast.organization, cast.clinician)
    return book(
        cast.organization,
        cast.clinician,
        client,
        BEFORE_DST_END,
        rule=f"FREQ=WEEKLY;COUNT={count}",
    )


def test_a_weekly_series_keeps_its_wall_clock_time_across_the_end_of_daylight_saving(
    cast: Cast,
) -> None:
    appointments = _series(cast)

    assert [a.starts_at for a in appointments] == [
        datetime(2026, 10, 20, 15, 0, tzinfo=UTC),
        datetime(2026, 10, 27, 15, 0, tzinfo=UTC),
        datetime(2026, 11, 3, 16, 0, tzinfo=UTC),
        datetime(2026, 11, 10, 16, 0, tzinfo=UTC),
    ]
    assert {to_local(a.starts_at, "America/Chicago").time().hour for a in appointments} == {10}
    series = AppointmentSeries.objects.get()
    assert (series.rule, series.first_date.isoformat(), series.duration_minutes) == (
        "FREQ=WEEKLY;COUNT=4",
        "2026-10-20",
        50,
    )
    event = AuditEvent.objects.get(action="care.appointment_booked")
    assert event.subject_id == str(series.public_id)
    assert event.extra["appointments"] == 4


def test_moving_this_one_changes_only_that_occurrence(cast: Cast) -> None:
    appointments = _series(cast)

    moved = appointment_reschedule(
        appointment=appointments[1],
        actor=cast.front_desk,
        start_local=wall(2026, 10, 28, 14, 30),
        duration_minutes=50,
        location="office",
        video_link="",
        room=None,
    )

    assert [a.pk for a in moved] == [appointments[1].pk]
    starts = list(Appointment.objects.order_by("pk").values_list("starts_at", flat=True))
    assert starts == [
        datetime(2026, 10, 20, 15, 0, tzinfo=UTC),
        datetime(2026, 10, 28, 19, 30, tzinfo=UTC),
        datetime(2026, 11, 3, 16, 0, tzinfo=UTC),
        datetime(2026, 11, 10, 16, 0, tzinfo=UTC),
    ]
    assert AppointmentSeries.objects.count() == 1


def test_moving_this_and_following_splits_the_series_and_keeps_local_time_after_dst(
    cast: Cast,
) -> None:
    appointments = _series(cast)
    original = AppointmentSeries.objects.get()

    moved = appointment_reschedule(
        appointment=appointments[1],
        actor=cast.clinician,
        start_local=wall(2026, 10, 29, 9, 0),  # Tuesday -> Thursday, 10:00 -> 09:00
        duration_minutes=45,
        location="telehealth",
        video_link="https://video.example/room",
        room=None,
        following=True,
    )

    assert len(moved) == 3
    rows = list(Appointment.objects.order_by("starts_at").select_related("series"))
    assert [(r.starts_at, r.ends_at) for r in rows] == [
        (datetime(2026, 10, 20, 15, 0, tzinfo=UTC), datetime(2026, 10, 20, 15, 50, tzinfo=UTC)),
        (datetime(2026, 10, 29, 14, 0, tzinfo=UTC), datetime(2026, 10, 29, 14, 45, tzinfo=UTC)),
        (datetime(2026, 11, 5, 15, 0, tzinfo=UTC), datetime(2026, 11, 5, 15, 45, tzinfo=UTC)),
        (datetime(2026, 11, 12, 15, 0, tzinfo=UTC), datetime(2026, 11, 12, 15, 45, tzinfo=UTC)),
    ]
    assert rows[0].series_id == original.pk
    new_series = AppointmentSeries.objects.exclude(pk=original.pk).get()
    assert {r.series_id for r in rows[1:]} == {new_series.pk}
    assert new_series.split_from_id == original.pk
    assert new_series.start_time.isoformat() == "09:00:00"
    original.refresh_from_db()
    assert original.ends_before is not None
    assert original.ends_before.isoformat() == "2026-10-27"
    assert {r.location for r in rows[1:]} == {"telehealth"}


def test_this_and_following_leaves_kept_sessions_where_they_were(cast: Cast) -> None:
    appointments = _series(cast)
    Appointment.objects.filter(pk=appointments[2].pk).update(status=Appointment.Status.KEPT)

    moved = appointment_reschedule(
        appointment=appointments[1],
        actor=cast.clinician,
        start_local=wall(2026, 10, 27, 11, 0),
        duration_minutes=50,
        location="office",
        video_link="",
        room=None,
        following=True,
    )

    assert [a.pk for a in moved] == [appointments[1].pk, appointments[3].pk]
    kept = Appointment.objects.get(pk=appointments[2].pk)
    assert kept.starts_at == datetime(2026, 11, 3, 16, 0, tzinfo=UTC)


def test_an_open_ended_rule_is_booked_a_year_ahead(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    booked = book(cast.organization, cast.clinician, client, BEFORE_DST_END, rule="FREQ=MONTHLY")
    assert len(booked) == 13  # 20 Oct 2026 .. 20 Oct 2027, both ends included


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=HOURLY;COUNT=3", "Write a rule such as FREQ=WEEKLY;COUNT=12"),
        ("FREQ=WEEKLY;BYDAY=XX", "This repeat rule is not valid"),
        ("FREQ=DAILY;COUNT=201", "A series may have at most 200 appointments."),
    ],
)
def test_a_bad_rule_is_refused_on_the_rule_field_and_books_nothing(
    cast: Cast, rule: str, message: str
) -> None:
    client = make_client(cast.organization, cast.clinician)
    with pytest.raises(ValidationError) as error:
        appointment_book(
            organization=cast.organization,
            actor=cast.clinician,
            clinician=cast.clinician,
            kind="individual",
            start_local=BEFORE_DST_END,
            duration_minutes=50,
            clients=[client],
            rule=rule,
        )
    assert error.value.message_dict["rule"][0].startswith(message)
    assert Appointment.objects.count() == 0
    assert AppointmentSeries.objects.count() == 0
