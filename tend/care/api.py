"""The care API: the caller's schedule and progress-note metadata.

Psychotherapy (process) notes are never served here, released or not: a release is for a
specific recipient, handled outside the API.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone
from ninja import Query, Router
from ninja.errors import HttpError

from tend.care.access import note_for_user
from tend.care.models import ProgressNote
from tend.care.schemas import AppointmentOut, AppointmentsQuery, NoteOut
from tend.care.selectors import authored_notes, feed_appointments
from tend.core.api import requires
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest

router = Router(tags=["care"])

MAX_WINDOW = timedelta(days=92)
DEFAULT_WINDOW = timedelta(days=31)


@router.get("/appointments", response=list[AppointmentOut])
@requires(Capability.VIEW_SCHEDULE)
def appointments(request: MemberRequest, query: Query[AppointmentsQuery]) -> list[AppointmentOut]:
    """The caller's own appointments starting in [start, end) (at most 92 days; by
    default the next 31 days)."""
    start = query.start or timezone.now()
    end = query.end or start + DEFAULT_WINDOW
    if start.tzinfo is None or end.tzinfo is None:
        raise HttpError(400, "Give start and end with a UTC offset, e.g. 2026-12-01T00:00Z.")
    if end <= start or end - start > MAX_WINDOW:
        raise HttpError(400, "Give an end after the start, at most 92 days later.")
    rows = feed_appointments(request.organization, request.user, since=start, until=end)
    return [
        AppointmentOut(
            id=appointment.public_id,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            kind=appointment.kind,
            location=appointment.location,
            status=appointment.status,
            clients=[entry.client.public_id for entry in appointment.participants.all()],
        )
        for appointment in rows
    ]


def _note_out(note: ProgressNote) -> NoteOut:
    return NoteOut(
        id=note.public_id,
        appointment=note.appointment.public_id,
        author=note.author.public_id,
        status=note.status,
        note_format=note.note_format,
        modality=note.modality,
        signed_at=note.signed_at,
        cosigned_at=note.cosigned_at,
        late_entry=note.late_entry,
        locked=note.locked,
        cpt_code=note.cpt_code,
        content_hash=note.content_hash,
    )


@router.get("/notes", response=list[NoteOut])
@requires(Capability.VIEW_CLINICAL)
def notes(request: MemberRequest) -> list[NoteOut]:
    """Metadata of the caller's own progress notes, newest session first (at most 200)."""
    return [_note_out(note) for note in authored_notes(request.organization, request.user)]


@router.get("/notes/{note_id}", response=NoteOut)
@requires(Capability.VIEW_CLINICAL)
def note(request: MemberRequest, note_id: uuid.UUID) -> NoteOut:
    """Metadata of one progress note the caller may read."""
    return _note_out(note_for_user(request.tenancy, request.user, note_id).note)
