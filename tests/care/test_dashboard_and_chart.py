"""The dashboard panels (notes to write, co-signatures due), the chart's Sessions section
and the caseload's next appointment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tend.care.notes import note_save_draft, note_sign, note_start
from tend.care.selectors import notes_due, sessions_section
from tend.care.services import appointment_book, appointment_status_set
from tend.clients.access import client_for_user
from tend.clients.chart import next_appointments
from tend.core.dashboard import panels_for
from tend.core.tenancy import load_tenancy
from tend.supervision.models import SupervisionRelationship
from tests.care.helpers import book, kept_session, make_client, make_couple, wall
from tests.conftest import Cast

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


def _request(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    request.tenancy = load_tenancy(user, None)
    request.organization = request.tenancy.current
    return request


def _panel(user: Any, key: str) -> dict[str, Any] | None:
    return next(
        (entry["context"] for entry in panels_for(_request(user)) if entry["panel"].key == key),
        None,
    )


@time_machine.travel(NOW, tick=False)
def test_the_notes_panel_lists_unwritten_and_unsigned_notes_with_their_age(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    unwritten = kept_session(cast.organization, cast.clinician, client, wall(2026, 11, 23, 9, 0))
    drafted = kept_session(cast.organization, cast.clinician, client, wall(2026, 11, 25, 9, 0))
    signed = kept_session(cast.organization, cast.clinician, client, wall(2026, 11, 26, 9, 0))
    note_start(appointment=drafted, actor=cast.clinician)
    note = note_start(appointment=signed, actor=cast.clinician)
    note_save_draft(
        note=note,
        actor=cast.clinician,
        note_format="soap",
        modality="generic",
        content={"format": {"subjective": "Text"}},
        actual_start=signed.starts_at,
        actual_end=signed.ends_at,
        risk_update="no_change",
    )
    note_sign(note=note, actor=cast.clinician)

    panel = _panel(cast.clinician, "care_notes_due")

    assert panel is not None
    assert panel["total"] == 2
    assert [(row.appointment.pk, row.note is None, row.age) for row in panel["rows"]] == [
        (unwritten.pk, True, NOW - unwritten.ends_at),
        (drafted.pk, False, NOW - drafted.ends_at),
    ]
    assert panel["rows"][0].age == timedelta(days=3, hours=23, minutes=10)
    assert _panel(cast.front_desk, "care_notes_due") is None
    assert notes_due(cast.organization, cast.associate) == ([], 0)
    assert _panel(cast.associate, "care_notes_due") is None  # nothing due: no panel


@time_machine.travel(NOW, tick=False)
def test_the_notes_panel_runs_the_same_queries_for_few_and_many_sessions(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    kept_session(cast.organization, cast.clinician, client, wall(2026, 11, 2, 8, 0))
    request = _request(cast.clinician)
    with CaptureQueriesContext(connection) as few:
        panels_for(request)
    for day in range(3, 26):
        kept_session(cast.organization, cast.clinician, client, wall(2026, 11, day, 8, 0))
    with CaptureQueriesContext(connection) as many:
        panels = panels_for(request)
    care = next(entry["context"] for entry in panels if entry["panel"].key == "care_notes_due")
    assert (care["total"], care["shown"]) == (24, 10)
    assert len(few.captured_queries) == len(many.captured_queries)


@time_machine.travel(NOW, tick=False)
def test_the_cosign_panel_shows_overdue_notes_to_the_supervisor(cast: Cast) -> None:
    SupervisionRelationship.objects.create(
        organization=cast.organization,
        supervisor=cast.supervisor,
        supervisee=cast.associate,
        started_on=date(2026, 1, 1),
    )
    client = make_client(cast.organization, cast.associate)
    for day, signed_at in ((20, NOW - timedelta(hours=100)), (26, NOW - timedelta(hours=2))):
        with time_machine.travel(signed_at, tick=False):
            appointment = kept_session(
                cast.organization, cast.associate, client, wall(2026, 11, day, 8, 0)
            )
            note = note_start(appointment=appointment, actor=cast.associate)
            note_save_draft(
                note=note,
                actor=cast.associate,
                note_format="soap",
                modality="generic",
                content={"format": {"subjective": "Text"}},
                actual_start=appointment.starts_at,
                actual_end=appointment.ends_at,
                risk_update="no_change",
            )
            note_sign(note=note, actor=cast.associate)
    panel = _panel(cast.supervisor, "care_cosign")
    assert panel is not None
    assert (panel["total"], panel["overdue"], [item.overdue for item in panel["items"]]) == (
        2,
        1,
        [True, False],
    )
    assert _panel(cast.clinician, "care_cosign") is None


@time_machine.travel(NOW, tick=False)
def test_the_sessions_section_of_a_partners_chart_shows_joint_sessions_only(cast: Cast) -> None:
    couple = make_couple(cast.organization, cast.clinician)
    jun, noor = [member.client for member in couple.members.order_by("client__legal_first_name")]
    joint = appointment_book(
        organization=cast.organization,
        actor=cast.clinician,
        clinician=cast.clinician,
        kind="couples",
        start_local=wall(2026, 11, 23, 10, 0),
        duration_minutes=60,
        case_group=couple,
    )[0]
    appointment_status_set(appointment=joint, actor=cast.clinician, status="kept")
    joint_note = note_start(appointment=joint, actor=cast.clinician)
    alone = kept_session(cast.organization, cast.clinician, jun, wall(2026, 11, 24, 10, 0))
    tenancy = load_tenancy(cast.clinician, None)

    def rows(client: Any) -> list[tuple[int, int | None]]:
        access = client_for_user(tenancy, cast.clinician, client.public_id)
        return [
            (row.appointment.pk, row.note.pk if row.note else None)
            for row in sessions_section(access, None)["recent"]
        ]

    assert rows(jun) == [(alone.pk, None), (joint.pk, joint_note.pk)]
    assert rows(noor) == [(joint.pk, joint_note.pk)]


@time_machine.travel(NOW, tick=False)
def test_front_desk_sees_sessions_on_the_chart_without_notes(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    appointment = kept_session(cast.organization, cast.clinician, client, wall(2026, 11, 24, 10, 0))
    note_start(appointment=appointment, actor=cast.clinician)
    access = client_for_user(load_tenancy(cast.front_desk, None), cast.front_desk, client.public_id)
    section = sessions_section(access, None)
    assert [(row.appointment.pk, row.note) for row in section["recent"]] == [(appointment.pk, None)]


@time_machine.travel(NOW, tick=False)
def test_the_caseload_gets_each_clients_next_appointment_in_one_query(cast: Cast) -> None:
    first = make_client(cast.organization, cast.clinician, "Ann", "One")
    second = make_client(cast.organization, cast.clinician, "Bo", "Two")
    none = make_client(cast.organization, cast.clinician, "Cy", "Three")
    book(
        cast.organization,
        cast.clinician,
        first,
        wall(2026, 12, 1, 9, 0),
        rule="FREQ=WEEKLY;COUNT=3",
    )
    book(cast.organization, cast.clinician, second, wall(2026, 11, 20, 9, 0))  # in the past
    book(cast.organization, cast.clinician, second, wall(2026, 12, 3, 14, 0))
    with CaptureQueriesContext(connection) as queries:
        upcoming = next_appointments([first, second, none])
    assert upcoming == {
        first.pk: datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
        second.pk: datetime(2026, 12, 3, 20, 0, tzinfo=UTC),
    }
    assert len(queries) == 1
