"""An associate's documented sessions, signed and co-signed through the care services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from tend.accounts.models import User
from tend.care.models import Appointment, ProgressNote
from tend.care.notes import note_cosign, note_save_draft, note_sign, note_start
from tend.care.services import appointment_book, appointment_status_set
from tests.care.helpers import make_client, make_couple, wall
from tests.conftest import Cast


def documented_session(
    cast: Cast,
    day: datetime,
    *,
    kind: str = Appointment.Kind.INDIVIDUAL,
    minutes: int = 50,
    sign: bool = True,
    cosign: bool = True,
    associate: User | None = None,
    supervisor: User | None = None,
) -> ProgressNote:
    """A kept session of the associate (the cast's, unless given) on `day` (local date,
    10:00) with its note written, then optionally signed and co-signed by the supervisor
    (the cast's, unless given; they must supervise the associate)."""
    associate = associate or cast.associate
    supervisor = supervisor or cast.supervisor
    who: dict[str, object]
    if kind in {Appointment.Kind.COUPLES, Appointment.Kind.FAMILY}:
        who = {"case_group": make_couple(cast.organization, associate)}
    else:
        who = {"clients": [make_client(cast.organization, associate)]}
    after = datetime(day.year, day.month, day.day, 20, 0, tzinfo=UTC)
    with time_machine.travel(after, tick=False):
        appointment = appointment_book(
            organization=cast.organization,
            actor=associate,
            clinician=associate,
            kind=kind,
            start_local=wall(day.year, day.month, day.day, 10, 0),
            duration_minutes=minutes,
            allow_conflicts=True,
            **who,  # type: ignore[arg-type]
        )[0]
        appointment_status_set(appointment=appointment, actor=associate, status="kept")
        note = note_save_draft(
            note=note_start(appointment=appointment, actor=associate),
            actor=associate,
            note_format="soap",
            modality="generic",
            content={"format": {"subjective": "Reports a calmer week.", "plan": "Weekly"}},
            actual_start=appointment.starts_at,
            actual_end=appointment.starts_at + timedelta(minutes=minutes),
            risk_update="no_change",
            cpt_code="90834" if minutes >= 38 else "90832",
            cpt_override_reason="Test session.",
        )
        if sign:
            note = note_sign(note=note, actor=associate)
        if sign and cosign:
            note = note_cosign(note=note, actor=supervisor)
    return note
