from __future__ import annotations

import uuid
from datetime import datetime

from ninja import Schema


class AppointmentsQuery(Schema):
    start: datetime | None = None
    end: datetime | None = None


class AppointmentOut(Schema):
    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    kind: str
    location: str
    status: str
    clients: list[uuid.UUID]


class NoteOut(Schema):
    """Metadata of a progress note: never its narrative, never a psychotherapy note."""

    id: uuid.UUID
    appointment: uuid.UUID
    author: uuid.UUID
    status: str
    note_format: str
    modality: str
    signed_at: datetime | None
    cosigned_at: datetime | None
    late_entry: bool
    locked: bool
    cpt_code: str
    content_hash: str
