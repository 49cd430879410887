from __future__ import annotations

import uuid
from datetime import date, datetime

from ninja import Schema


class AssessmentOut(Schema):
    """An assessment's metadata; the answers are not part of the list."""

    id: uuid.UUID
    template: str
    template_version: int
    status: str
    author: str
    started_at: datetime
    signed_at: datetime | None
    content_hash: str


class DiagnosisOut(Schema):
    id: uuid.UUID
    code: str
    description: str
    code_set_version: str
    rank: str
    status: str
    onset_date: date | None
    resolution_date: date | None
    diagnosed_by: str
    recorded_at: datetime
    supersedes: uuid.UUID | None
