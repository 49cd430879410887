"""Demo supervision and hours ledgers (synthetic).

Every associate's relationship names their licence path. Jordan Pike (Texas LPC
Associate) has weekly individual supervision and, with earlier hours from a previous
site, about 60% of the Texas hours; Carlos Mendoza (California AMFT) is early in the path
with supervision every other week. Their ledgers are filled from their signed demo
sessions; the supervisor has verified every month but the last two. Their next four
sessions at the same rhythm are planned (Thursdays at 10:00, the organization's time).
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from tend.accounts.models import Membership, Organization, User
from tend.clients.models import Client
from tend.core.permissions import Role
from tend.licensure import requirements
from tend.licensure.models import HoursCategory, HoursEntry
from tend.licensure.services import (
    hours_entry_add,
    hours_sync_from_records,
    hours_verify_period,
)
from tend.supervision.models import SupervisionRelationship, SupervisionSession
from tend.supervision.services import (
    supervision_relationship_path_set,
    supervision_session_plan,
    supervision_session_record,
    supervision_session_sign,
)

# email -> (state, licence family)
_PATHS = {
    "jordan.pike@riverbend.example": ("TX", "counselor"),
    "priya.raman@riverbend.example": ("TX", "counselor"),
    "carlos.mendoza@cedarvalley.example": ("CA", "mft"),
    "grace.liu@cedarvalley.example": ("CA", "social_work"),
}
# email -> (weeks between supervision sessions, share of the state's experience hours the
# ledger should reach, including hours from an earlier site, and whether the associate
# also works evenings at a second site now, as many associates do to build hours)
_STORY = {
    "jordan.pike@riverbend.example": (1, 0.6, True),
    "carlos.mendoza@cedarvalley.example": (2, 0.0, False),
}
HISTORY_WEEKS = 26
_PLANNED_AHEAD = 4
TOPICS = (
    "Case conceptualization of a client with panic disorder; exposure hierarchy.",
    "Risk assessment and safety planning; documentation of risk changes.",
    "Countertransference with a client in a custody dispute.",
    "Treatment-plan review: measurable objectives and PHQ-9 trends.",
    "Ethics: dual relationships in a small community.",
    "Couples work: de-escalation and structuring the first sessions.",
    "Termination planning and referrals to community resources.",
)
FEEDBACK = (
    "Good use of the measures in session; tighten the assessment sections of notes.",
    "Clear risk reasoning. Next: practise the structured suicide-risk interview.",
    "Strong rapport; slow the pace of interventions with new clients.",
)
_PREVIOUS_SITE = "Hill Country Family Services (previous employer)"
_SECOND_SITE = "Blanco River Community Clinic (evening clinic)"


def _sessions(
    relationship: SupervisionRelationship, rng: random.Random, every: int, today: date
) -> None:
    supervisor = relationship.supervisor
    if supervisor is None:
        return
    first = max(relationship.started_on, today - timedelta(weeks=HISTORY_WEEKS))
    held_on = first + timedelta(days=(3 - first.weekday()) % 7)  # Thursdays
    clients = list(
        Client.objects.filter(
            organization=relationship.organization, primary_clinician=relationship.supervisee
        ).order_by("id")[:6]
    )
    while held_on <= today:
        session = supervision_session_record(
            relationship=relationship,
            actor=supervisor,
            held_on=held_on,
            minutes=rng.choice((60, 60, 60, 90)),
            format=SupervisionSession.Format.INDIVIDUAL,
            member_count=1,
            delivery=rng.choice(list(SupervisionSession.Delivery.values)[:2]),
            topics=rng.choice(TOPICS),
            goals="Build independent case formulation; prepare for the licensing exam.",
            feedback=rng.choice(FEEDBACK),
            cases=rng.sample(clients, k=min(2, len(clients))),
        )
        # The most recent session still waits for the supervisee's signature.
        supervision_session_sign(session=session, actor=supervisor)
        if held_on + timedelta(weeks=every) <= today:
            supervision_session_sign(session=session, actor=relationship.supervisee)
        held_on += timedelta(weeks=every)
    for _ in range(_PLANNED_AHEAD):
        supervision_session_plan(
            relationship=relationship,
            actor=supervisor,
            held_on=held_on,
            start_time=time(10, 0),
            minutes=60,
            format=SupervisionSession.Format.INDIVIDUAL,
            delivery=rng.choice(list(SupervisionSession.Delivery.values)[:2]),
        )
        held_on += timedelta(weeks=every)


def _earlier_site(
    organization: Organization, associate: User, share: float, path: tuple[str, str], today: date
) -> None:
    """Weekly entries from a previous site, before the demo's sessions, up to `share` of
    the state's experience hours (read from the requirement data)."""
    total_required = requirements.requirement_for(*path).total_hours
    if not share or total_required is None:
        return
    logged = sum(
        HoursEntry.objects.filter(associate=associate)
        .exclude(category__startswith="supervision")
        .values_list("minutes", flat=True)
    )
    missing = share * total_required * 60 - logged
    # 20 h direct individual, 3 h group and 5 h indirect a week, with an hour of
    # supervision, until the target is reached.
    week = (
        (HoursCategory.DIRECT_INDIVIDUAL, 20 * 60),
        (HoursCategory.DIRECT_GROUP, 3 * 60),
        (HoursCategory.INDIRECT, 5 * 60),
    )
    per_week = sum(minutes for _, minutes in week)
    weeks = max(0, round(missing / per_week))
    end = today - timedelta(weeks=HISTORY_WEEKS + 2)
    for index in range(weeks):
        worked_on = end - timedelta(weeks=weeks - index)
        for category, minutes in week:
            hours_entry_add(
                organization=organization,
                associate=associate,
                category=category,
                worked_on=worked_on,
                minutes=minutes,
                site=_PREVIOUS_SITE,
                description="Weekly total from the previous site's log",
            )
        hours_entry_add(
            organization=organization,
            associate=associate,
            category=HoursCategory.SUPERVISION_INDIVIDUAL,
            worked_on=worked_on,
            minutes=60,
            site=_PREVIOUS_SITE,
            description="Weekly individual supervision at the previous site",
        )


def _second_site(organization: Organization, associate: User, today: date) -> None:
    """Two evenings a week at a community clinic over the demo's months: 8 h of individual
    sessions, a 2 h group and 2 h of indirect work a week."""
    week = (
        (HoursCategory.DIRECT_INDIVIDUAL, 8 * 60, "Evening individual sessions"),
        (HoursCategory.DIRECT_GROUP, 2 * 60, "Evening skills group"),
        (HoursCategory.INDIRECT, 2 * 60, "Notes and case coordination"),
    )
    for weeks_ago in range(HISTORY_WEEKS, 0, -1):
        worked_on = today - timedelta(weeks=weeks_ago)
        for category, minutes, description in week:
            hours_entry_add(
                organization=organization,
                associate=associate,
                category=category,
                worked_on=worked_on,
                minutes=minutes,
                site=_SECOND_SITE,
                description=description,
            )


def _verify_months(
    organization: Organization, relationship: SupervisionRelationship, today: date
) -> None:
    """The supervisor has verified every month of their supervision but the last two."""
    supervisor = relationship.supervisor
    if supervisor is None:
        return
    month = max(relationship.started_on, today - timedelta(weeks=HISTORY_WEEKS)).replace(day=1)
    last_verified = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    while month < last_verified:
        if HoursEntry.objects.filter(
            organization=organization,
            associate=relationship.supervisee,
            verification__isnull=True,
            worked_on__year=month.year,
            worked_on__month=month.month,
        ).exists():
            hours_verify_period(
                organization=organization,
                supervisor=supervisor,
                associate=relationship.supervisee,
                period="month",
                containing=month,
            )
        month = (month + timedelta(days=32)).replace(day=1)


@transaction.atomic
def _load_organization(organization: Organization, seed: str) -> None:
    rng = random.Random(seed)  # noqa: S311  (synthetic demo data, not security)
    today = timezone.localdate()
    relationships = SupervisionRelationship.objects.filter(
        organization=organization, ended_on__isnull=True, supervisor__isnull=False
    ).select_related("supervisor", "supervisee")
    owner = (
        Membership.objects.filter(organization=organization, role=Role.OWNER)
        .select_related("user")
        .first()
    )
    for relationship in relationships:
        email = relationship.supervisee.email
        path = _PATHS.get(email)
        if path is None:
            continue
        supervision_relationship_path_set(
            relationship=relationship,
            actor=owner.user if owner else relationship.supervisee,
            path_state=path[0],
            path_family=path[1],
        )
        hours_sync_from_records(organization=organization, associate=relationship.supervisee)
        story = _STORY.get(email)
        if story is None:
            continue
        every, share, second_site = story
        _sessions(relationship, rng, every, today)
        if second_site:
            _second_site(organization, relationship.supervisee, today)
        _earlier_site(organization, relationship.supervisee, share, path, today)
        _verify_months(organization, relationship, today)


def load(organizations: dict[str, Organization]) -> None:
    for name, organization in organizations.items():
        _load_organization(organization, f"tend-supervision-{name}")
