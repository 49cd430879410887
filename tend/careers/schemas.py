from __future__ import annotations

import uuid
from datetime import date, datetime

from ninja import Field, Schema


class PostingsQuery(Schema):
    """The job board's search; the same names and rules as the search page."""

    q: str = ""
    state: str = ""
    setting: str = ""
    family: str = ""
    employment_type: str = ""
    modality: str = ""
    population: str = ""
    pay_floor: int | None = None
    associate_friendly: bool = False
    supervision_provided: bool = False
    remote_or_hybrid: bool = False
    only_qualifying: bool = False
    sort: str = ""
    page: int = 1


class PayOut(Schema):
    basis: str
    stated_min: str
    stated_max: str
    annual_low: int
    annual_high: int
    assumptions: str
    bls_median: int
    bls_median_label: str


class EligibilityOut(Schema):
    outcome: str
    label: str
    reasons: list[str]


class PostingOut(Schema):
    id: uuid.UUID
    title: str
    employer: str
    setting: str
    employment_type: str
    work_arrangement: str
    city: str
    location_state: str
    licensed_states: list[str]
    license_families: list[str]
    accepts_associates: bool
    supervision_provided: bool
    modalities: list[str]
    populations: list[str]
    sessions_per_week: int
    pay: PayOut
    posted_on: date
    valid_through: date
    freshness: str
    url: str
    eligibility: EligibilityOut | None = Field(
        None, description="For a caller with licences on record; null otherwise."
    )


class PostingDetailOut(PostingOut):
    description: str
    benefits: str
    supervisor_credential: str
    supervision_hours_per_week: str | None
    education_requirements: str
    experience_requirements: str


class PostingsPageOut(Schema):
    page: int
    has_next: bool
    sort: str
    results: list[PostingOut]


class ApplyIn(Schema):
    share: list[str] = Field(default_factory=list, description="Profile parts to share.")
    cover_note: str = Field("", max_length=4000)


class MyApplicationOut(Schema):
    id: uuid.UUID
    posting: uuid.UUID
    title: str
    employer: str
    status: str
    applied_at: datetime


class ApplicantApplicationOut(Schema):
    """An application as the employer sees it: what the applicant chose to share."""

    id: uuid.UUID
    applicant_name: str
    applicant_email: str
    status: str
    cover_note: str
    shared_profile: dict[str, list[str]]
    applied_at: datetime


class StageIn(Schema):
    status: str = ""
    note: str = Field("", max_length=2000)


class ManagedPostingOut(Schema):
    id: uuid.UUID
    title: str
    posted_on: date
    valid_through: date
    reconfirmed_on: date | None
    is_open: bool
    applications: int


class SavedSearchIn(Schema):
    name: str = Field("", max_length=120)
    query: str = Field("", max_length=1000, description="The search's query string.")
    alerts_enabled: bool = True


class SavedSearchOut(Schema):
    id: uuid.UUID
    name: str
    query: str
    alerts_enabled: bool
    last_alert_on: date | None
