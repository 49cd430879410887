"""Step 9: the associates' hours ledgers.

Each associate's supervision relationship names their licence path (step 1). Their final,
co-signed notes accrue to the ledger exactly as the ledger's own accrual builds entries;
they meet their supervisor weekly (every fourth week in a group with the supervisor's
other associates), every session signed by both but the latest; and the supervisor has
verified every month but the last two, each month a signed snapshot as the service makes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from tend.care.selectors import final_notes_by
from tend.licensure.models import HoursEntry, HoursVerification
from tend.licensure.selectors import license_line_for
from tend.licensure.services import (
    hours_verification_build,
    period_bounds,
    session_hours_entry,
    supervision_hours_entry,
)
from tend.scale.run import SeedRun
from tend.supervision.demo import FEEDBACK, TOPICS
from tend.supervision.models import SupervisionRelationship, SupervisionSession
from tend.supervision.selectors import supervisor_warnings
from tend.supervision.services import session_content_hash

SUPERVISION_WEEKDAY = 3  # Thursdays
GROUP_EVERY_WEEKS = 4
UNVERIFIED_MONTHS = 2  # the current month and the one before wait for verification


def seed_hours(run: SeedRun) -> None:
    relationships = list(
        SupervisionRelationship.objects.filter(organization=run.organization)
        .select_related("supervisor", "supervisee")
        .order_by("pk")
    )
    # About one entry per kept, documented session plus one per week of supervision.
    run.start_step("hours ledgers", len(relationships) * run.profile.history_weeks * 45)
    group_sizes = Counter(relationship.supervisor_id for relationship in relationships)
    for relationship in relationships:
        _seed_ledger(run, relationship, group_sizes[relationship.supervisor_id])
    run.finish_step()


def _seed_ledger(run: SeedRun, relationship: SupervisionRelationship, group_size: int) -> None:
    sessions = run.save(SupervisionSession, _sessions(run, relationship, group_size))
    associate = relationship.supervisee
    notes = (
        final_notes_by(run.organization, associate)
        .select_related(None)
        .select_related("appointment")
        .only(
            "public_id",
            "author_id",
            "locked",
            "actual_start",
            "actual_end",
            "appointment__kind",
            "appointment__starts_at",
        )
        .iterator(chunk_size=2_000)
    )
    entries = [entry for note in notes if (entry := session_hours_entry(note, run.organization))]
    entries += [supervision_hours_entry(session) for session in sessions if session.locked]
    run.save(HoursVerification, _verifications(run, relationship, entries))
    run.save(HoursEntry, entries)


def _signed_at(run: SeedRun, day: date, hour: int) -> datetime:
    return min(datetime.combine(day, time(hour), tzinfo=run.zone), run.now)


def _sessions(
    run: SeedRun, relationship: SupervisionRelationship, group_size: int
) -> list[SupervisionSession]:
    """Weekly sessions from the start of the schedule (or of the relationship) to today;
    the latest still waits for the supervisee's signature."""
    rng = run.rng
    first = max(relationship.started_on, run.first_monday)
    held_on = first + timedelta(days=(SUPERVISION_WEEKDAY - first.weekday()) % 7)
    sessions = []
    week = 0
    while held_on <= run.today:
        group = week % GROUP_EVERY_WEEKS == GROUP_EVERY_WEEKS - 1 and group_size > 1
        session = SupervisionSession(
            organization=run.organization,
            relationship=relationship,
            held_on=held_on,
            minutes=120 if group else rng.choice((60, 60, 60, 90)),
            format=SupervisionSession.Format.GROUP
            if group
            else SupervisionSession.Format.INDIVIDUAL,
            member_count=group_size if group else 1,
            delivery=rng.choice(
                (SupervisionSession.Delivery.IN_PERSON, SupervisionSession.Delivery.VIDEO)
            ),
            topics=rng.choice(TOPICS),
            goals="Build independent case formulation; prepare for the licensing exam.",
            feedback=rng.choice(FEEDBACK),
            supervisor_warning=" ".join(supervisor_warnings(relationship, on=held_on))[:500],
            supervisor_signed_at=_signed_at(run, held_on, 17),
        )
        session.content_hash = session_content_hash(session, [])
        sessions.append(session)
        held_on += timedelta(weeks=1)
        week += 1
    for session in sessions[:-1]:
        session.supervisee_signed_at = _signed_at(run, session.held_on + timedelta(days=1), 10)
        session.locked = True
    return sessions


def _verifications(
    run: SeedRun, relationship: SupervisionRelationship, entries: list[HoursEntry]
) -> list[HoursVerification]:
    """A monthly verification of every month but the last UNVERIFIED_MONTHS, linked to
    its entries (saved before them)."""
    supervisor = relationship.supervisor
    if supervisor is None:
        return []
    unverified_from = run.today.replace(day=1)
    for _ in range(UNVERIFIED_MONTHS - 1):
        unverified_from = (unverified_from - timedelta(days=1)).replace(day=1)
    by_month: dict[date, list[HoursEntry]] = defaultdict(list)
    for entry in entries:
        if entry.worked_on < unverified_from:
            by_month[entry.worked_on.replace(day=1)].append(entry)
    associate = relationship.supervisee
    state = relationship.path_state
    verifications = []
    for month in sorted(by_month):
        start, end = period_bounds(HoursVerification.Period.MONTH, month)
        month_entries = by_month[month]
        verification = hours_verification_build(
            organization=run.organization,
            supervisor=supervisor,
            associate=associate,
            period=HoursVerification.Period.MONTH,
            start=start,
            end=end,
            entries=month_entries,
            path_state=state,
            path_family=relationship.path_family,
            associate_license=license_line_for(associate, on=end, state=state),
            supervisor_license=license_line_for(supervisor, on=end, state=state),
            signed_at=_signed_at(run, end + timedelta(days=run.rng.randint(2, 9)), 16),
        )
        for entry in month_entries:
            entry.verification = verification
        verifications.append(verification)
    return verifications
