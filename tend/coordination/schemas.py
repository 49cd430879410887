"""Input and output shapes of the coordination API. Records are named by public ids."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from ninja import Field, Schema

from tend.coordination.models import Referral


class ProviderOut(Schema):
    id: uuid.UUID
    name: str
    role: str
    practice: str
    npi: str
    phone: str
    fax: str
    secure_email: str
    address: str


class ClinicianOut(Schema):
    id: uuid.UUID
    name: str


class InternalMemberOut(Schema):
    clinician: ClinicianOut
    role: str
    started_on: date


class ExternalMemberOut(Schema):
    provider_id: uuid.UUID
    name: str
    provider_role: str
    role_on_case: str
    started_on: date


class CareTeamOut(Schema):
    """Who is on the case today."""

    primary_clinician: ClinicianOut | None
    internal: list[InternalMemberOut]
    external: list[ExternalMemberOut]


class ConsentOut(Schema):
    id: uuid.UUID
    status: str  # active, expired, revoked or not yet effective, as of today
    signer: str
    signer_name: str
    recipient_kind: str
    recipient: str
    provider_id: uuid.UUID | None
    direction: str
    categories: list[str]
    purpose: str
    effective_on: date
    expires_on: date | None
    expiry_event: str
    signed_on: date
    signature_method: str
    revoked_on: date | None


class ReferralOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    kind: str
    resource_id: uuid.UUID | None
    provider_id: uuid.UUID | None
    referred_to: str
    reason: str
    urgency: str
    consent_id: uuid.UUID | None
    status: str
    follow_up_on: date
    outcome: str
    referred_by: str
    created_at: datetime
    closed_on: date | None


class ReferralUpdateIn(Schema):
    """Fields to change; those left out keep their value. Closing needs an outcome."""

    status: Referral.Status | None = None
    follow_up_on: date | None = None
    outcome: str | None = Field(default=None, max_length=2000)


class DisclosureOut(Schema):
    """One entry of the accounting of disclosures (45 CFR 164.528)."""

    id: uuid.UUID
    kind: str
    recipient_kind: str
    recipient_name: str
    provider_id: uuid.UUID | None
    consent_ids: list[uuid.UUID]
    categories: list[str]
    records_from: date | None
    records_to: date | None
    purpose: str
    delivery: str
    released_by: str
    released_at: datetime
    includes_part2: bool
