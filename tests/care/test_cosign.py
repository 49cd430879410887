"""An associate's notes: the supervisor's co-sign queue, returns with comments, approval."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tend.audit.models import AuditEvent
from tend.care.models import NoteReturn, ProgressNote
from tend.care.notes import note_cosign, note_return, note_save_draft, note_sign, note_start
from tend.care.selectors import cosign_queue
from tend.supervision.models import SupervisionRelationship
from tests.care.helpers import kept_session, make_client, wall
from tests.conftest import Cast

AFTER = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def _write(note: ProgressNote, actor: Any, data: str) -> ProgressNote:
    return note_save_draft(
        note=note,
        actor=actor,
        note_format="soap",
        modality="generic",
        content={"format": {"subjective": data, "plan": "Weekly"}},
        actual_start=note.appointment.starts_at,
        actual_end=note.appointment.starts_at + timedelta(minutes=50),
        risk_update="no_change",
    )


@pytest.fixture
def associate_note(cast: Cast) -> ProgressNote:
    SupervisionRelationship.objects.create(
        organization=cast.organization,
        supervisor=cast.supervisor,
        supervisee=cast.associate,
        started_on=date(2026, 1, 1),
    )
    with time_machine.travel(AFTER, tick=False):
        client = make_client(cast.organization, cast.associate)
        session = kept_session(cast.organization, cast.associate, client, wall(2026, 11, 24, 10, 0))
        return _write(
            note_start(appointment=session, actor=cast.associate), cast.associate, "First draft"
        )


@time_machine.travel(AFTER, tick=False)
def test_an_associates_signature_sends_the_note_to_the_supervisor_unlocked(
    cast: Cast, associate_note: ProgressNote
) -> None:
    signed = note_sign(note=associate_note, actor=cast.associate)
    assert (signed.status, signed.locked) == ("awaiting_cosign", False)
    assert [item.note.pk for item in cosign_queue(cast.organization, cast.supervisor).items] == [
        signed.pk
    ]
    assert cosign_queue(cast.organization, cast.clinician).items == []
    with pytest.raises(ValidationError):
        _write(signed, cast.associate, "Sneaky edit while waiting")


def test_the_return_and_approve_cycle_keeps_the_history(
    cast: Cast, associate_note: ProgressNote
) -> None:
    with time_machine.travel(AFTER, tick=False):
        note_sign(note=associate_note, actor=cast.associate)
    with time_machine.travel(AFTER + timedelta(hours=5), tick=False):
        returned = note_return(
            note=associate_note, actor=cast.supervisor, comments="Add the risk review."
        )
    note = ProgressNote.objects.get(pk=associate_note.pk)
    assert (note.status, note.signed_at, note.content_hash) == ("returned", None, "")
    with time_machine.travel(AFTER + timedelta(hours=6), tick=False):
        _write(note, cast.associate, "Second draft with the risk review")
        note_sign(note=note, actor=cast.associate)
    with time_machine.travel(AFTER + timedelta(hours=7), tick=False):
        final = note_cosign(note=note, actor=cast.supervisor)

    assert (final.status, final.locked, final.cosigned_by, final.cosigned_at) == (
        "final",
        True,
        cast.supervisor,
        AFTER + timedelta(hours=7),
    )
    assert list(NoteReturn.objects.values_list("pk", "comments")) == [
        (returned.pk, "Add the risk review.")
    ]
    assert list(
        AuditEvent.objects.filter(subject_id=str(note.public_id), action__startswith="notes.")
        .exclude(action="notes.draft_saved")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["notes.created", "notes.signed", "notes.returned", "notes.signed", "notes.cosigned"]
    assert cosign_queue(cast.organization, cast.supervisor).items == []


@time_machine.travel(AFTER, tick=False)
def test_only_the_authors_supervisor_cosigns_or_returns(
    cast: Cast, associate_note: ProgressNote
) -> None:
    note_sign(note=associate_note, actor=cast.associate)
    with pytest.raises(PermissionDenied):
        note_cosign(note=associate_note, actor=cast.clinician)
    with pytest.raises(PermissionDenied):
        note_return(note=associate_note, actor=cast.clinician, comments="No")
    assert ProgressNote.objects.get(pk=associate_note.pk).status == "awaiting_cosign"


@time_machine.travel(AFTER, tick=False)
def test_a_return_needs_comments(cast: Cast, associate_note: ProgressNote) -> None:
    note_sign(note=associate_note, actor=cast.associate)
    with pytest.raises(ValidationError) as error:
        note_return(note=associate_note, actor=cast.supervisor, comments="  ")
    assert error.value.message_dict == {"comments": ["Say what the associate should change."]}
    assert NoteReturn.objects.count() == 0


def test_the_queue_shows_age_and_flags_overdue_cosignatures(
    cast: Cast, associate_note: ProgressNote
) -> None:
    with time_machine.travel(AFTER, tick=False):
        note_sign(note=associate_note, actor=cast.associate)
    with time_machine.travel(AFTER + timedelta(hours=72), tick=False):
        (on_time,) = cosign_queue(cast.organization, cast.supervisor).items
    with time_machine.travel(AFTER + timedelta(hours=73), tick=False):
        (overdue,) = cosign_queue(cast.organization, cast.supervisor).items
    assert (on_time.waiting, on_time.overdue) == (timedelta(hours=72), False)
    assert (overdue.waiting, overdue.overdue) == (timedelta(hours=73), True)


@time_machine.travel(AFTER, tick=False)
def test_an_associate_without_a_supervisor_cannot_sign(cast: Cast) -> None:
    client = make_client(cast.organization, cast.associate)
    session = kept_session(cast.organization, cast.associate, client, wall(2026, 11, 24, 10, 0))
    note = _write(note_start(appointment=session, actor=cast.associate), cast.associate, "Draft")
    with pytest.raises(ValidationError) as error:
        note_sign(note=note, actor=cast.associate)
    assert error.value.messages == [
        "An associate's notes need a supervisor to co-sign; none is active."
    ]
    assert ProgressNote.objects.get(pk=note.pk).status == "draft"


def test_the_queue_pages_through_every_waiting_note_once_oldest_first(cast: Cast) -> None:
    SupervisionRelationship.objects.create(
        organization=cast.organization,
        supervisor=cast.supervisor,
        supervisee=cast.associate,
        started_on=date(2026, 1, 1),
    )
    signed = []
    # Signed in two batches: notes of a batch share their signing time, so the order
    # within it falls to the id.
    for batch, signed_at in enumerate((AFTER + timedelta(hours=1), AFTER)):
        with time_machine.travel(signed_at, tick=False):
            for hour in range(8, 12):
                client = make_client(cast.organization, cast.associate)
                session = kept_session(
                    cast.organization, cast.associate, client, wall(2026, 11, 20 + batch, hour, 0)
                )
                note = note_start(appointment=session, actor=cast.associate)
                signed.append(
                    note_sign(note=_write(note, cast.associate, "Text"), actor=cast.associate)
                )
    expected = [note.pk for note in sorted(signed, key=lambda note: (note.signed_at, note.pk))]
    seen: list[int] = []
    after = None
    with time_machine.travel(AFTER + timedelta(hours=2), tick=False):
        while True:
            page = cosign_queue(cast.organization, cast.supervisor, after=after, size=3)
            assert (page.total, page.overdue) == (8, 0)
            seen += [item.note.pk for item in page.items]
            if page.next_after is None:
                break
            after = page.next_after
    assert seen == expected
    assert len(expected) == 8
