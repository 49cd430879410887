"""Postings and licences for careers tests."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.careers.models import JobPosting
from tend.careers.services import PostingData, posting_create
from tend.licensure.models import License
from tend.licensure.services import license_create

BASE = PostingData(
    title="Outpatient therapist",
    description="Individual therapy with adults in an outpatient clinic.",
    setting="group_practice",
    employment_type="full_time",
    work_arrangement="on_site",
    city="Austin",
    location_state="TX",
    licensed_states=["TX"],
    license_families=["counselor"],
    sessions_per_week=25,
    pay_basis="salary",
    pay_min=Decimal("60000"),
    pay_max=Decimal("70000"),
    working_weeks_per_year=48,
)


def posting_data(**changes: Any) -> PostingData:
    return dataclasses.replace(BASE, **changes)


def make_posting(organization: Organization, actor: User, **changes: Any) -> JobPosting:
    return posting_create(organization=organization, actor=actor, data=posting_data(**changes))


def make_license(
    holder: User,
    *,
    state: str = "TX",
    family: str = "counselor",
    title: str = "LPC",
    status: str = "active",
    expires_on: date | None = None,
    issued_on: date = date(2020, 1, 1),
    number: str = "",
) -> License:
    return license_create(
        holder=holder,
        state=state,
        family=family,
        title=title,
        number=number or f"{state}-{family}-{title}",
        issued_on=issued_on,
        expires_on=expires_on or timezone.localdate() + timedelta(days=365),
        status=status,
    )
