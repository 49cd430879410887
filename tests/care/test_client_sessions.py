"""The chart's Sessions section (what is coming up and the latest few) and the client's full,
paged list of sessions."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from tend.audit.models import AuditEvent
from tend.care.models import Appointment
from tend.care.notes import note_start
from tend.care.selectors import sessions_section
from tend.care.services import appointment_status_set
from tend.clients.access import client_for_user
from tend.clients.models import Client
from tend.core.tenancy import load_tenancy
from tests.care.helpers import book, make_client, wall
from tests.conftest import Cast, second_load, signed_in

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


def _weekly(cast: Cast, client: Client, count: int, hour: int = 9) -> list[Appointment]:
    return book(
        cast.organization,
        cast.clinician,
        client,
        wall(2026, 8, 3, hour, 0),
        rule=f"FREQ=WEEKLY;COUNT={count}",
    )


@time_machine.travel(NOW, tick=False)
def test_the_chart_shows_the_next_scheduled_sessions_and_the_latest_ones(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    sessions = _weekly(cast, client, 30)  # Mondays from 3 Aug 2026; 17 before NOW
    appointment_status_set(appointment=sessions[16], actor=cast.clinician, status="kept")
    note = note_start(appointment=sessions[16], actor=cast.clinician)
    appointment_status_set(
        appointment=sessions[18], actor=cast.front_desk, status="cancelled", reason="Travel"
    )
    access = client_for_user(load_tenancy(cast.clinician, None), cast.clinician, client.public_id)

    section = sessions_section(access, None)

    # 7 Dec was cancelled, so it is not coming up; the wall-clock time survives the DST change.
    assert [row.starts for row in section["upcoming"]] == [
        datetime(2026, 11, 30, 9, 0),  # noqa: DTZ001  (wall-clock time)
        datetime(2026, 12, 14, 9, 0),  # noqa: DTZ001
        datetime(2026, 12, 21, 9, 0),  # noqa: DTZ001
    ]
    assert [row.appointment.pk for row in section["recent"]] == [
        sessions[index].pk for index in (16, 15, 14, 13, 12)
    ]
    assert [row.note for row in section["recent"]] == [note, None, None, None, None]
    assert section["total"] == 30


@time_machine.travel(NOW, tick=False)
def test_the_total_counts_sessions_that_neither_list_shows(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    access = client_for_user(load_tenancy(cast.clinician, None), cast.clinician, client.public_id)
    assert sessions_section(access, None)["total"] == 0

    # Only upcoming sessions: the total rides on them.
    ahead = book(
        cast.organization,
        cast.clinician,
        client,
        wall(2026, 12, 7, 9, 0),
        rule="FREQ=WEEKLY;COUNT=2",
    )
    assert sessions_section(access, None)["total"] == 2

    # Both cancelled: nothing to show, yet the client has two sessions on record.
    for appointment in ahead:
        appointment_status_set(
            appointment=appointment, actor=cast.front_desk, status="cancelled", reason="Moved"
        )
    section = sessions_section(access, None)
    assert (section["upcoming"], section["recent"], section["total"]) == ([], [], 2)


def _chart_queries(cast: Cast, client: Client) -> int:
    return second_load(cast.clinician, reverse("clients:chart", args=[client.public_id]))[0]


@time_machine.travel(NOW, tick=False)
def test_the_chart_runs_the_same_queries_for_6_and_90_sessions(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    _weekly(cast, client, 6)
    few = _chart_queries(cast, client)
    for hour in (11, 13, 15):
        _weekly(cast, client, 28, hour)
    many = _chart_queries(cast, client)
    assert few == many
    page = signed_in(cast.clinician).get(reverse("clients:chart", args=[client.public_id]))
    assert "All 90 sessions" in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_full_list_pages_through_every_session_newest_first(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    sessions = _weekly(cast, client, 30) + _weekly(cast, client, 25, hour=14)
    appointment_status_set(appointment=sessions[0], actor=cast.clinician, status="kept")
    note = note_start(appointment=sessions[0], actor=cast.clinician)
    url = reverse("care:client_sessions", args=[client.public_id])
    clinician = signed_in(cast.clinician)

    first = clinician.get(url)
    last = clinician.get(url, {"page": "2"})
    beyond = clinician.get(url, {"page": "99"})
    nonsense = clinician.get(url, {"page": "soon"})

    newest_first = sorted(sessions, key=lambda each: each.starts_at, reverse=True)
    assert [row.appointment.pk for row in first.context["rows"]] == [
        each.pk for each in newest_first[:50]
    ]
    assert [row.appointment.pk for row in last.context["rows"]] == [
        each.pk for each in newest_first[50:]
    ]
    assert beyond.context["page"].number == 2
    assert nonsense.context["page"].number == 1
    assert last.context["rows"][-1].note == note
    assert reverse("care:note", args=[note.public_id]) in last.content.decode()
    assert (
        list(
            AuditEvent.objects.filter(action="care.client_sessions_viewed").values_list(
                "client_id", flat=True
            )
        )
        == [client.public_id] * 4
    )


@time_machine.travel(NOW, tick=False)
def test_front_desk_sees_the_sessions_without_notes(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    session = _weekly(cast, client, 2)[0]
    appointment_status_set(appointment=session, actor=cast.clinician, status="kept")
    note = note_start(appointment=session, actor=cast.clinician)

    response = signed_in(cast.front_desk).get(
        reverse("care:client_sessions", args=[client.public_id])
    )

    assert response.status_code == 200
    assert [row.note for row in response.context["rows"]] == [None, None]
    assert reverse("care:note", args=[note.public_id]) not in response.content.decode()


def test_a_clinician_off_the_case_cannot_list_the_sessions(cast: Cast) -> None:
    client = make_client(cast.organization, cast.supervisor)
    response = signed_in(cast.clinician).get(
        reverse("care:client_sessions", args=[client.public_id])
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="care.client_sessions_viewed").count() == 0


def _list_queries(cast: Cast, client: Client) -> int:
    url = reverse("care:client_sessions", args=[client.public_id])
    return second_load(cast.clinician, url)[0]


@time_machine.travel(NOW, tick=False)
def test_the_full_list_runs_the_same_queries_for_8_and_120_sessions(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    _weekly(cast, client, 8)
    few = _list_queries(cast, client)
    for hour in (11, 13, 15, 17):
        _weekly(cast, client, 28, hour)
    assert _list_queries(cast, client) == few
