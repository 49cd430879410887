"""Writing, autosaving, signing and correcting a note through the pages; process notes."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.audit.models import AuditEvent
from tend.care.models import Appointment, NoteAddendum, ProgressNote, PsychotherapyNote
from tend.care.notes import note_addendum_add, note_save_draft, note_sign, note_start
from tend.care.selectors import COSIGN_PAGE_SIZE
from tend.supervision.models import SupervisionRelationship
from tests.care.helpers import kept_session, make_client, make_plan, wall
from tests.conftest import Cast, signed_in

# Writing the read-audit row takes PostgreSQL's advisory lock: one more query there.
AUDIT_LOCK = 1 if connection.vendor == "postgresql" else 0

AFTER = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


@pytest.fixture
def session(cast: Cast) -> Appointment:
    with time_machine.travel(AFTER, tick=False):
        client = make_client(cast.organization, cast.clinician, "Rowan", "Quill")
        return kept_session(cast.organization, cast.clinician, client, wall(2026, 11, 24, 10, 0))


def _form(**extra: str) -> dict[str, Any]:
    data = {
        "note_format": "dap",
        "modality": "cbt",
        "actual_start_time": "10:00",
        "actual_end_time": "10:45",
        "interventions": "Cognitive restructuring",
        "risk_update": "no_change",
        "measures_given": "PHQ-9",
        "format_data": "Reported poor sleep.",
        "format_assessment": "Engaged.",
        "format_plan": "Weekly.",
        "modality_situation": "Deadline",
        "modality_automatic_thoughts": "I always fail",
        "modality_distortions": ["all_or_nothing"],
        "modality_homework": "Thought record",
    }
    data.update(extra)
    return data


@time_machine.travel(AFTER, tick=False)
def test_the_clinician_writes_signs_and_cannot_then_edit_a_dap_note(
    cast: Cast, session: Appointment
) -> None:
    clinician = signed_in(cast.clinician)
    started = clinician.post(reverse("care:note_start", args=[session.public_id]))
    note = ProgressNote.objects.get()
    assert started["Location"] == reverse("care:note", args=[note.public_id])

    page = clinician.get(started["Location"]).content.decode()
    assert 'name="format_data"' in page and 'name="modality_automatic_thoughts"' not in page

    relayout = clinician.post(reverse("care:note_draft", args=[note.public_id]), _form())
    assert relayout.status_code == 302
    page = clinician.get(started["Location"]).content.decode()
    assert 'name="modality_automatic_thoughts"' in page
    assert "Suggested: <strong>90834</strong>" in page

    signed = clinician.post(reverse("care:note_sign", args=[note.public_id]), _form())
    assert signed.status_code == 302
    note.refresh_from_db()
    assert (note.status, note.locked, note.cpt_code, note.content["modality"]["distortions"]) == (
        "final",
        True,
        "90834",
        ["all_or_nothing"],
    )
    assert note.actual_start == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)

    refused = clinician.post(
        reverse("care:note_draft", args=[note.public_id]), _form(format_data="Rewritten")
    )
    assert refused.status_code == 403
    note.refresh_from_db()
    assert note.content["format"]["data"] == "Reported poor sleep."
    read = clinician.get(reverse("care:note", args=[note.public_id])).content.decode()
    assert 'name="format_data"' not in read
    assert note.content_hash in read


@time_machine.travel(AFTER, tick=False)
def test_autosave_saves_the_draft_and_answers_with_a_status_line(
    cast: Cast, session: Appointment
) -> None:
    note = note_start(appointment=session, actor=cast.clinician)
    response = signed_in(cast.clinician).post(
        reverse("care:note_draft", args=[note.public_id]), _form(), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == "Draft saved at 12:00:00."
    note.refresh_from_db()
    assert note.content["format"]["data"] == "Reported poor sleep."


@time_machine.travel(AFTER, tick=False)
def test_signing_with_bad_input_answers_400_and_keeps_what_was_typed(
    cast: Cast, session: Appointment
) -> None:
    note = note_start(appointment=session, actor=cast.clinician)
    response = signed_in(cast.clinician).post(
        reverse("care:note_sign", args=[note.public_id]),
        _form(risk_update="changed", format_data="Kept text"),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Say what changed (and update the risk screening)." in body
    assert "Kept text" in body
    note.refresh_from_db()
    assert note.status == "draft"


@time_machine.travel(AFTER, tick=False)
def test_the_note_offers_the_objectives_of_the_plan_in_force(
    cast: Cast, session: Appointment
) -> None:
    first, second = make_plan(session.participants.get().client, cast.clinician)
    note = note_start(appointment=session, actor=cast.clinician)
    clinician = signed_in(cast.clinician)
    assert (
        "Rate mood 7 or more on most days"
        in clinician.get(reverse("care:note", args=[note.public_id])).content.decode()
    )
    clinician.post(
        reverse("care:note_sign", args=[note.public_id]),
        _form(
            **{
                f"objective_{first.public_id}": "progressing",
                f"objective_{first.public_id}_value": "6",
                f"objective_{second.public_id}": "no_change",
            }
        ),
    )
    assert list(
        note.objectives.order_by("objective__position").values_list(
            "objective__description", "progress"
        )
    ) == [
        ("Rate mood 7 or more on most days", "progressing"),
        ("Use a coping skill when distressed", "no_change"),
    ]


@time_machine.travel(AFTER, tick=False)
def test_an_addendum_is_added_through_the_page(cast: Cast, session: Appointment) -> None:
    note = note_start(appointment=session, actor=cast.clinician)
    clinician = signed_in(cast.clinician)
    clinician.post(reverse("care:note_sign", args=[note.public_id]), _form())
    missing = clinician.post(
        reverse("care:note_addendum", args=[note.public_id]), {"reason": "", "body": "Text"}
    )
    added = clinician.post(
        reverse("care:note_addendum", args=[note.public_id]),
        {"reason": "Clarification", "body": "Sleep improved Sunday."},
    )
    assert [missing.status_code, added.status_code] == [400, 302]
    assert list(NoteAddendum.objects.values_list("reason", "body")) == [
        ("Clarification", "Sleep improved Sunday.")
    ]


@time_machine.travel(AFTER, tick=False)
def test_the_note_page_runs_the_same_queries_with_one_or_many_addenda(
    cast: Cast, session: Appointment
) -> None:
    note = note_start(appointment=session, actor=cast.clinician)
    note_save_draft(
        note=note,
        actor=cast.clinician,
        note_format="soap",
        modality="generic",
        content={"format": {"subjective": "Text"}},
        actual_start=session.starts_at,
        actual_end=session.ends_at,
        risk_update="no_change",
    )
    note = note_sign(note=note, actor=cast.clinician)
    note_addendum_add(note=note, actor=cast.clinician, reason="One", body="First")
    clinician = signed_in(cast.clinician)
    url = reverse("care:note", args=[note.public_id])
    clinician.get(url)
    with CaptureQueriesContext(connection) as one:
        clinician.get(url)
    for index in range(25):
        note_addendum_add(note=note, actor=cast.clinician, reason=f"More {index}", body="Text")
    with CaptureQueriesContext(connection) as many:
        page = clinician.get(url).content.decode()
    assert page.count('class="addendum"') == 26
    assert len(one) == len(many) == 16 + AUDIT_LOCK


def _signed_associate_note(cast: Cast, day: int, hour: int) -> ProgressNote:
    client = make_client(cast.organization, cast.associate, f"C{day}x{hour}", "Lane")
    appointment = kept_session(
        cast.organization, cast.associate, client, wall(2026, 11, day, hour, 0)
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
    return note_sign(note=note, actor=cast.associate)


@time_machine.travel(AFTER, tick=False)
def test_the_cosign_queue_page_runs_the_same_queries_for_one_or_many_notes(cast: Cast) -> None:
    SupervisionRelationship.objects.create(
        organization=cast.organization,
        supervisor=cast.supervisor,
        supervisee=cast.associate,
        started_on=date(2026, 1, 1),
    )
    _signed_associate_note(cast, 23, 8)
    supervisor = signed_in(cast.supervisor)
    url = reverse("care:cosign_queue")
    supervisor.get(url)
    with CaptureQueriesContext(connection) as one:
        supervisor.get(url)
    for day, hour in itertools.product(range(17, 23), range(8, 17)):
        _signed_associate_note(cast, day, hour)
    with CaptureQueriesContext(connection) as many:
        page = supervisor.get(url).content.decode()
    assert page.count("Lane") == 0  # the queue names sessions, never clients
    assert page.count("/care/notes/") == COSIGN_PAGE_SIZE
    assert "55 notes waiting" in page
    assert len(one) == len(many) == 8
    # The rest follows the last note shown; finding that note is the one extra query.
    after = re.search(r'href="\?after=([0-9a-f-]+)"', page)
    assert after is not None
    with CaptureQueriesContext(connection) as rest:
        following = supervisor.get(f"{url}?after={after[1]}").content.decode()
    assert following.count("/care/notes/") == 55 - COSIGN_PAGE_SIZE
    assert "?after=" not in following
    assert len(rest) == len(many) + 1
    mangled = supervisor.get(f"{url}?after=not-a-note")
    assert mangled.status_code == 200
    assert mangled.content.decode().count("/care/notes/") == COSIGN_PAGE_SIZE


@time_machine.travel(AFTER, tick=False)
def test_a_supervisor_returns_and_then_cosigns_through_the_pages(cast: Cast) -> None:
    SupervisionRelationship.objects.create(
        organization=cast.organization,
        supervisor=cast.supervisor,
        supervisee=cast.associate,
        started_on=date(2026, 1, 1),
    )
    client = make_client(cast.organization, cast.associate)
    appointment = kept_session(cast.organization, cast.associate, client, wall(2026, 11, 24, 10, 0))
    associate = signed_in(cast.associate)
    associate.post(reverse("care:note_start", args=[appointment.public_id]))
    note = ProgressNote.objects.get()
    associate.post(reverse("care:note_sign", args=[note.public_id]), _form())
    supervisor = signed_in(cast.supervisor)
    clinician_try = signed_in(cast.clinician).post(
        reverse("care:note_cosign", args=[note.public_id])
    )
    returned = supervisor.post(
        reverse("care:note_return", args=[note.public_id]), {"comments": "Name the homework."}
    )
    page = associate.get(reverse("care:note", args=[note.public_id])).content.decode()
    resigned = associate.post(
        reverse("care:note_sign", args=[note.public_id]),
        _form(modality_homework="Daily thought record"),
    )
    cosigned = supervisor.post(reverse("care:note_cosign", args=[note.public_id]))
    note.refresh_from_db()
    assert [
        clinician_try.status_code,
        returned.status_code,
        resigned.status_code,
        cosigned.status_code,
    ] == [403, 302, 302, 302]
    assert "Name the homework." in page
    assert (note.status, note.locked, note.cosigned_by) == ("final", True, cast.supervisor)


# --------------------------------------------------------------------------- process notes

SECRET = "Countertransference: I felt protective and tired."


@time_machine.travel(AFTER, tick=False)
def test_a_process_note_is_readable_by_its_author_only(cast: Cast, session: Appointment) -> None:
    author = signed_in(cast.clinician)
    saved = author.post(reverse("care:process_note", args=[session.public_id]), {"body": SECRET})
    assert saved.status_code == 302
    assert (
        SECRET
        in author.get(reverse("care:process_note", args=[session.public_id])).content.decode()
    )
    SupervisionRelationship.objects.create(
        organization=cast.organization,
        supervisor=cast.supervisor,
        supervisee=cast.clinician,
        started_on=date(2026, 1, 1),
    )
    for role, user in cast.by_role().items():
        if user == cast.clinician:
            continue
        client = signed_in(user)
        for url in (
            reverse("care:process_note", args=[session.public_id]),
            reverse("care:appointment", args=[session.public_id]),
            reverse("care:calendar", args=[cast.clinician.public_id]) + "?date=2026-11-24",
        ):
            response = client.get(url)
            assert SECRET not in response.content.decode(), (role, url)
    outsider = signed_in(cast.outsider).get(reverse("care:process_note", args=[session.public_id]))
    assert outsider.status_code == 404
    assert PsychotherapyNote.objects.count() == 1


@time_machine.travel(AFTER, tick=False)
def test_the_supervisor_reading_the_session_sees_their_own_empty_process_note(
    cast: Cast, session: Appointment
) -> None:
    signed_in(cast.clinician).post(
        reverse("care:process_note", args=[session.public_id]), {"body": SECRET}
    )
    SupervisionRelationship.objects.create(
        organization=cast.organization,
        supervisor=cast.supervisor,
        supervisee=cast.clinician,
        started_on=date(2026, 1, 1),
    )
    response = signed_in(cast.supervisor).get(
        reverse("care:process_note", args=[session.public_id])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Psychotherapy (process) notes are private to you." in body
    assert SECRET not in body


@time_machine.travel(AFTER, tick=False)
def test_the_author_releases_a_process_note_with_a_recorded_reason(
    cast: Cast, session: Appointment
) -> None:
    author = signed_in(cast.clinician)
    author.post(reverse("care:process_note", args=[session.public_id]), {"body": SECRET})
    missing = author.post(
        reverse("care:process_note_release", args=[session.public_id]), {"reason": ""}
    )
    released = author.post(
        reverse("care:process_note_release", args=[session.public_id]),
        {"reason": "Client's signed authorization of 24 Nov"},
    )
    note = PsychotherapyNote.objects.get()
    assert [missing.status_code, released.status_code] == [400, 302]
    assert (note.released_at, note.release_reason) == (
        AFTER,
        "Client's signed authorization of 24 Nov",
    )
    assert (
        AuditEvent.objects.filter(
            action="notes.psychotherapy_note_released", subject_id=str(note.public_id)
        ).count()
        == 1
    )
    frozen = author.post(
        reverse("care:process_note", args=[session.public_id]), {"body": "Changed"}
    )
    assert frozen.status_code == 400
    assert PsychotherapyNote.objects.get().body == SECRET


@time_machine.travel(AFTER, tick=False)
def test_a_late_entry_is_flagged_on_the_note_page(cast: Cast, session: Appointment) -> None:
    note = note_start(appointment=session, actor=cast.clinician)
    with time_machine.travel(session.ends_at + timedelta(hours=80), tick=False):
        signed_in(cast.clinician).post(reverse("care:note_sign", args=[note.public_id]), _form())
        page = (
            signed_in(cast.clinician)
            .get(reverse("care:note", args=[note.public_id]))
            .content.decode()
        )
    assert "Late entry" in page
