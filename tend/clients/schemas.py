from __future__ import annotations

import uuid
from datetime import date

from ninja import Schema


class ClientListIn(Schema):
    status: str = ""
    after: uuid.UUID | None = None


class ClientSummaryOut(Schema):
    id: uuid.UUID
    display_name: str
    status: str
    primary_clinician: str | None


class ClientListOut(Schema):
    items: list[ClientSummaryOut]
    next_after: uuid.UUID | None


class ClientOut(Schema):
    """Demographics and status: what front desk may see too; never clinical narrative."""

    id: uuid.UUID
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    date_of_birth: date
    pronouns: str
    gender_identity: str
    phone: str
    email: str
    preferred_language: str
    interpreter_needed: bool
    status: str
    primary_clinician: str | None
