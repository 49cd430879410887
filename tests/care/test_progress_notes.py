"""Progress notes: drafts, CPT suggestion and override, signing, locking, addenda, late
entries and the golden thread to the treatment plan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from tend.audit.models import AuditEvent
from tend.care.models import NoteAddendum, NoteObjective, ProgressNote
from tend.care.notes import (
    ObjectiveEntry,
    note_addendum_add,
    note_content_hash,
    note_save_draft,
    note_sign,
    note_start,
)
from tend.care.services import care_settings_update
from tend.plans.models import ObjectiveProgressEntry
from tests.care.helpers import book, kept_session, make_client, make_plan, wall
from tests.conftest import Cast

SESSION = wall(2026, 11, 24, 10, 0)  # local (America/Chicago, UTC-6 in November)
SESSION_END_UTC = datetime(2026, 11, 24, 16, 50, tzinfo=UTC)
DAP = {
    "format": {
        "data": "Client described a week of poor sleep.",
        "assessment": "Mood low, engaged.",
        "plan": "Continue weekly.",
    },
    "modality": {
        "situation": "Missed a deadline",
        "automatic_thoughts": "I always fail",
        "distortions": ["all_or_nothing", "overgeneralization"],
        "alternative_thoughts": "I met most deadlines this month",
        "homework": "Thought record daily",
    },
}


def _draft(note: ProgressNote, actor: Any, minutes: int = 45, **extra: Any) -> ProgressNote:
    start = datetime(2026, 11, 24, 16, 2, tzinfo=UTC)
    fields: dict[str, Any] = {
        "note_format": "dap",
        "modality": "cbt",
        "content": DAP,
        "actual_start": start,
        "actual_end": start + timedelta(minutes=minutes),
        "interventions": "Cognitive restructuring",
        "risk_update": "no_change",
        "measures_given": "PHQ-9",
    }
    fields.update(extra)
    return note_save_draft(note=note, actor=actor, **fields)


@pytest.fixture
def session(cast: Cast) -> Any:
    with time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False):
        client = make_client(cast.organization, cast.clinician)
        return kept_session(cast.organization, cast.clinician, client, SESSION)


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_a_kept_appointment_yields_a_draft_for_its_clinician(cast: Cast, session: Any) -> None:
    note = note_start(appointment=session, actor=cast.clinician)
    assert (note.status, note.author, note.note_format, note.modality) == (
        "draft",
        cast.clinician,
        "dap",
        "generic",
    )
    assert note.actual_start == session.starts_at
    assert note_start(appointment=session, actor=cast.clinician).pk == note.pk
    assert AuditEvent.objects.filter(action="notes.created").count() == 1


@time_machine.travel(datetime(2026, 11, 20, 18, 0, tzinfo=UTC), tick=False)
def test_a_scheduled_appointment_has_no_note_to_write(cast: Cast) -> None:
    client = make_client(cast.organization, cast.clinician)
    appointment = book(cast.organization, cast.clinician, client, SESSION)[0]
    with pytest.raises(ValidationError):
        note_start(appointment=appointment, actor=cast.clinician)
    assert ProgressNote.objects.count() == 0


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_only_the_sessions_clinician_starts_its_note(cast: Cast, session: Any) -> None:
    with pytest.raises(PermissionDenied):
        note_start(appointment=session, actor=cast.supervisor)
    assert ProgressNote.objects.count() == 0


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(
    ("minutes", "code"),
    [
        (15, ""),
        (16, "90832"),
        (37, "90832"),
        (38, "90834"),
        (45, "90834"),
        (52, "90834"),
        (53, "90837"),
    ],
)
def test_the_note_suggests_the_cpt_code_from_the_recorded_minutes(
    cast: Cast, session: Any, minutes: int, code: str
) -> None:
    note = _draft(note_start(appointment=session, actor=cast.clinician), cast.clinician, minutes)
    assert note.cpt_suggested == code


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_overriding_the_suggested_code_needs_a_reason(cast: Cast, session: Any) -> None:
    note = _draft(
        note_start(appointment=session, actor=cast.clinician), cast.clinician, cpt_code="90837"
    )
    with pytest.raises(ValidationError) as error:
        note_sign(note=note, actor=cast.clinician)
    assert error.value.message_dict["cpt_override_reason"] == [
        "Give a reason for billing 90837 instead of the suggested 90834."
    ]
    note.refresh_from_db()
    assert (note.status, note.signed_at) == ("draft", None)

    _draft(
        note,
        cast.clinician,
        cpt_code="90837",
        cpt_override_reason="Payer counts the 8 minutes of interactive complexity",
    )
    signed = note_sign(note=note, actor=cast.clinician)
    assert (signed.cpt_code, signed.cpt_suggested) == ("90837", "90834")


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_signing_stores_the_content_hash_and_locks_the_note(cast: Cast, session: Any) -> None:
    note = _draft(note_start(appointment=session, actor=cast.clinician), cast.clinician)
    signed = note_sign(note=note, actor=cast.clinician)
    assert (signed.status, signed.locked, signed.cpt_code, signed.late_entry) == (
        "final",
        True,
        "90834",
        False,
    )
    assert len(signed.content_hash) == 64
    assert signed.content_hash == note_content_hash(ProgressNote.objects.get(pk=note.pk))
    event = AuditEvent.objects.get(action="notes.signed")
    assert event.extra == {
        "late_entry": False,
        "content_hash": signed.content_hash,
        "cosign_by": None,
    }


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_a_signed_note_cannot_be_edited_through_the_service(cast: Cast, session: Any) -> None:
    note = note_sign(
        note=_draft(note_start(appointment=session, actor=cast.clinician), cast.clinician),
        actor=cast.clinician,
    )
    with pytest.raises(ValidationError) as error:
        _draft(note, cast.clinician, content={"format": {"data": "rewritten"}})
    assert error.value.messages == ["This note is signed and can no longer be edited."]
    stored = ProgressNote.objects.get(pk=note.pk)
    assert stored.content["format"]["data"] == "Client described a week of poor sleep."
    with pytest.raises(ValidationError):
        note_sign(note=note, actor=cast.clinician)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lock trigger is PostgreSQL's")
@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_postgresql_refuses_to_update_or_delete_a_locked_note(cast: Cast, session: Any) -> None:
    note = note_sign(
        note=_draft(note_start(appointment=session, actor=cast.clinician), cast.clinician),
        actor=cast.clinician,
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        ProgressNote.objects.filter(pk=note.pk).update(interventions="changed behind the app")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM care_progressnote WHERE id = %s", [note.pk])
    assert ProgressNote.objects.get(pk=note.pk).interventions == "Cognitive restructuring"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lock trigger is PostgreSQL's")
@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_postgresql_still_lets_a_draft_be_updated(cast: Cast, session: Any) -> None:
    note = note_start(appointment=session, actor=cast.clinician)
    assert ProgressNote.objects.filter(pk=note.pk).update(interventions="draft edit") == 1


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_an_addendum_leaves_the_signed_note_intact(cast: Cast, session: Any) -> None:
    note = note_sign(
        note=_draft(note_start(appointment=session, actor=cast.clinician), cast.clinician),
        actor=cast.clinician,
    )
    before = ProgressNote.objects.values().get(pk=note.pk)

    addendum = note_addendum_add(
        note=note,
        actor=cast.clinician,
        reason="Late information",
        body="Client called to add that sleep improved on Sunday.",
    )

    assert ProgressNote.objects.values().get(pk=note.pk) == before
    assert note_content_hash(ProgressNote.objects.get(pk=note.pk)) == before["content_hash"]
    assert list(NoteAddendum.objects.values_list("author", "reason")) == [
        (cast.clinician.pk, "Late information")
    ]
    assert addendum.created_at == datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
    assert (
        AuditEvent.objects.filter(
            action="notes.addendum_added", subject_id=str(note.public_id)
        ).count()
        == 1
    )


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_an_addendum_needs_a_reason_and_a_signed_note(cast: Cast, session: Any) -> None:
    note = _draft(note_start(appointment=session, actor=cast.clinician), cast.clinician)
    with pytest.raises(ValidationError):
        note_addendum_add(note=note, actor=cast.clinician, reason="x", body="y")
    signed = note_sign(note=note, actor=cast.clinician)
    with pytest.raises(ValidationError) as error:
        note_addendum_add(note=signed, actor=cast.clinician, reason="", body="y")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        note_addendum_add(note=signed, actor=cast.supervisor, reason="x", body="y")
    assert NoteAddendum.objects.count() == 0


@pytest.mark.parametrize(
    ("signed_after", "late"),
    [(timedelta(hours=72), False), (timedelta(hours=72, seconds=1), True)],
)
def test_a_note_signed_after_the_limit_is_a_late_entry(
    cast: Cast, session: Any, signed_after: timedelta, late: bool
) -> None:
    with time_machine.travel(SESSION_END_UTC + signed_after, tick=False):
        note = note_sign(
            note=_draft(note_start(appointment=session, actor=cast.clinician), cast.clinician),
            actor=cast.clinician,
        )
    assert note.late_entry is late


def test_the_late_entry_limit_is_the_organizations_setting(cast: Cast, session: Any) -> None:
    care_settings_update(
        organization=cast.organization,
        actor=cast.owner,
        late_entry_hours=24,
        calendar_feed_initials=False,
    )
    with time_machine.travel(SESSION_END_UTC + timedelta(hours=25), tick=False):
        note = note_sign(
            note=_draft(note_start(appointment=session, actor=cast.clinician), cast.clinician),
            actor=cast.clinician,
        )
    assert note.late_entry is True


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_signing_an_unfinished_note_names_what_is_missing(cast: Cast, session: Any) -> None:
    note = note_start(appointment=session, actor=cast.clinician)
    with pytest.raises(ValidationError) as error:
        note_sign(note=note, actor=cast.clinician)
    assert error.value.message_dict == {
        "__all__": ["Write the note before signing it."],
        "risk_update": ["Say whether risk changed since the last session."],
    }


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_bad_content_is_refused_on_its_field(cast: Cast, session: Any) -> None:
    note = note_start(appointment=session, actor=cast.clinician)
    with pytest.raises(ValidationError) as error:
        _draft(note, cast.clinician, content={"modality": {"distortions": ["made_up"]}})
    assert error.value.message_dict == {"modality_distortions": ["Choose from the listed options."]}


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_objectives_come_from_the_plan_in_force_and_feed_the_plan_on_signing(
    cast: Cast, session: Any
) -> None:
    client = session.participants.get().client
    first, second = make_plan(client, cast.clinician)
    note = note_start(appointment=session, actor=cast.clinician)
    _draft(
        note,
        cast.clinician,
        objectives=[
            ObjectiveEntry(first, "progressing", Decimal(5)),
            ObjectiveEntry(second, "no_change"),
        ],
    )
    note_sign(note=note, actor=cast.clinician)

    assert list(
        NoteObjective.objects.order_by("objective__position").values_list("progress", "value")
    ) == [
        ("progressing", Decimal(5)),
        ("no_change", None),
    ]
    entry = ObjectiveProgressEntry.objects.get()
    assert (entry.objective_id, entry.value, entry.note_public_id, str(entry.recorded_on)) == (
        first.pk,
        Decimal(5),
        note.public_id,
        "2026-11-24",
    )


@time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False)
def test_an_objective_of_another_clients_plan_is_refused(cast: Cast, session: Any) -> None:
    other = make_client(cast.organization, cast.clinician, "Tam", "Oak")
    foreign, _ = make_plan(other, cast.clinician)
    note = note_start(appointment=session, actor=cast.clinician)
    with pytest.raises(ValidationError) as error:
        _draft(note, cast.clinician, objectives=[ObjectiveEntry(foreign, "progressing")])
    assert error.value.message_dict == {
        "objectives": ["Choose objectives of the plan in force on the session date."]
    }
    assert NoteObjective.objects.count() == 0
