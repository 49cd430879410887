"""`tend seed` on the small profile: sizes, distributions and the record's invariants."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from io import StringIO
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max

from tend.accounts.models import Membership
from tend.assessments.definition import answers_hash
from tend.assessments.models import Assessment
from tend.care.models import Appointment, CareSettings, ProgressNote
from tend.care.notes import note_content_hash
from tend.careers.models import JobPosting
from tend.clients.models import Client, Episode
from tend.core.permissions import Role
from tend.licensure.models import HoursEntry, HoursVerification
from tend.licensure.selectors import licensure_path_for
from tend.licensure.services import category_for_session_kind, hours_verification_build
from tend.measures.instruments import load_instruments
from tend.measures.models import MeasureResponse
from tend.plans.models import TreatmentPlan
from tend.scale.clients import INQUIRY_SHARE, WAITLIST_SHARE
from tend.scale.people import ORGANIZATION_NAME, ORGANIZATION_TIMEZONE
from tend.scale.profiles import PROFILES
from tend.supervision.models import SupervisionRelationship, SupervisionSession
from tend.supervision.services import session_content_hash

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytest_django import DjangoDbBlocker

SMALL = PROFILES["small"]
pytestmark = pytest.mark.django_db


# A fixed day (a Wednesday): the data, and so every check, is the same whatever day the
# tests run, including the months the hours verifications cover.
TODAY = date(2026, 3, 18)


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """The small organization, seeded once for the module's tests (which only read it)
    and rolled back after them; each test still runs in a transaction of its own."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("seed", profile="small", today=TODAY, stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def test_it_reports_rows_and_time_and_how_to_sign_in(seeded: str) -> None:
    assert "Rows written (small profile)" in seeded
    assert "Seeded in" in seeded
    assert "tend-seed-benchmark" in seeded


def test_it_refuses_to_seed_the_same_database_twice(seeded: str) -> None:
    with pytest.raises(Exception, match="already seeded"):
        call_command("seed", profile="small", stdout=StringIO())


def test_the_clinical_staff_is_seventy_twenty_ten(seeded: str) -> None:
    roles = Counter(
        Membership.objects.filter(organization__name=ORGANIZATION_NAME).values_list(
            "role", flat=True
        )
    )
    assert roles[Role.SUPERVISOR] == SMALL.clinicians // 10
    assert roles[Role.ASSOCIATE] == SMALL.clinicians // 5
    # Supervisors carry a caseload too.
    assert roles[Role.CLINICIAN] == SMALL.clinicians - SMALL.clinicians // 5
    associates = set(
        Membership.objects.filter(role=Role.ASSOCIATE).values_list("user_id", flat=True)
    )
    supervised = SupervisionRelationship.objects.filter(ended_on__isnull=True)
    assert sorted(supervised.values_list("supervisee_id", flat=True)) == sorted(associates)


def test_clients_have_the_profile_size_and_status_mix(seeded: str) -> None:
    statuses = Counter(Client.objects.values_list("status", flat=True))
    assert sum(statuses.values()) == SMALL.clients
    assert statuses[Client.Status.WAITLIST] == round(SMALL.clients * WAITLIST_SHARE)
    assert statuses[Client.Status.INQUIRY] == round(SMALL.clients * INQUIRY_SHARE)
    caseloads = Counter(
        Client.objects.filter(status=Client.Status.ACTIVE).values_list(
            "primary_clinician_id", flat=True
        )
    )
    assert len(caseloads) == SMALL.clinicians
    low, high = SMALL.caseload
    assert all(low <= size <= high for size in caseloads.values())
    open_episodes = Counter(
        Episode.objects.filter(discharge_date__isnull=True).values_list("client__status", flat=True)
    )
    assert open_episodes == {Client.Status.ACTIVE: statuses[Client.Status.ACTIVE]}


def test_no_clinician_is_ever_double_booked(seeded: str) -> None:
    busy: dict[int, list[tuple[object, object]]] = defaultdict(list)
    for clinician_id, starts, ends in Appointment.objects.filter(
        status__in=Appointment.BUSY_STATUSES
    ).values_list("clinician_id", "starts_at", "ends_at"):
        busy[clinician_id].append((starts, ends))
    for sessions in busy.values():
        sessions.sort()
        for (_, ends), (next_starts, _) in itertools.pairwise(sessions):
            assert ends <= next_starts


def test_the_record_reaches_up_to_noon_of_the_given_day(seeded: str) -> None:
    noon = datetime.combine(TODAY, time(12), tzinfo=ZoneInfo(ORGANIZATION_TIMEZONE))
    appointments = Appointment.objects.all()
    past = Counter(appointments.filter(ends_at__lt=noon).values_list("status", flat=True))
    assert set(past) == {
        Appointment.Status.KEPT,
        Appointment.Status.CANCELLED,
        Appointment.Status.LATE_CANCELLED,
        Appointment.Status.NO_SHOW,
    }
    ahead = set(appointments.filter(ends_at__gte=noon).values_list("status", flat=True))
    assert ahead == {Appointment.Status.SCHEDULED}
    latest_signature = ProgressNote.objects.aggregate(latest=Max("signed_at"))["latest"]
    assert noon - timedelta(days=1) < latest_signature <= noon


def test_final_notes_are_signed_locked_and_hash_valid(seeded: str) -> None:
    notes = ProgressNote.objects.select_related("appointment", "author")
    statuses = Counter(notes.values_list("status", flat=True))
    assert statuses[ProgressNote.Status.FINAL] > statuses[ProgressNote.Status.DRAFT]
    assert statuses[ProgressNote.Status.AWAITING_COSIGN] >= 1
    assert set(notes.values_list("note_format", flat=True)) == {"soap", "dap", "birp", "girp"}
    associates = set(
        Membership.objects.filter(role=Role.ASSOCIATE).values_list("user_id", flat=True)
    )
    supervisor_of = dict(
        SupervisionRelationship.objects.values_list("supervisee_id", "supervisor_id")
    )
    late_after = timedelta(hours=CareSettings.DEFAULT_LATE_ENTRY_HOURS)
    late: Counter[bool] = Counter()
    for note in notes.filter(status=ProgressNote.Status.FINAL):
        assert note.locked
        assert note.signed_at is not None
        assert note.content_hash == note_content_hash(note)
        assert note.late_entry == (note.signed_at - note.appointment.ends_at > late_after)
        late[note.late_entry] += 1
        if note.author_id in associates:
            assert note.cosigned_by_id == supervisor_of[note.author_id]
    assert late[True] >= 1 and late[False] > late[True]
    for note in notes.exclude(status=ProgressNote.Status.FINAL):
        assert not note.locked
    waiting = notes.filter(status=ProgressNote.Status.AWAITING_COSIGN)
    assert set(waiting.values_list("author_id", flat=True)) <= associates
    assert not notes.exclude(appointment__status=Appointment.Status.KEPT).exists()


def test_signed_assessments_and_scores_match_their_engines(seeded: str) -> None:
    for assessment in Assessment.objects.filter(status=Assessment.Status.SIGNED):
        assert assessment.content_hash == answers_hash(assessment.answers)
    instruments = load_instruments()
    responses = MeasureResponse.objects.all()
    assert set(responses.values_list("instrument_id", flat=True)) == {"phq9", "gad7"}
    for response in responses:
        answers = {int(n): value for n, value in response.answers.items()}
        assert instruments[response.instrument_id].score(answers).total == response.total


def test_active_clients_have_one_active_plan_and_postings_are_all_there(seeded: str) -> None:
    plans = Counter(
        TreatmentPlan.objects.filter(status=TreatmentPlan.Status.ACTIVE).values_list(
            "client__status", flat=True
        )
    )
    assert set(plans) == {Client.Status.ACTIVE}
    assert JobPosting.objects.count() == SMALL.job_postings


def test_ledgers_hold_the_associates_final_note_minutes_by_category(seeded: str) -> None:
    associates = set(
        Membership.objects.filter(role=Role.ASSOCIATE).values_list("user_id", flat=True)
    )
    expected: Counter[tuple[int, str]] = Counter()
    for note in ProgressNote.objects.filter(
        author_id__in=associates, status=ProgressNote.Status.FINAL
    ).select_related("appointment"):
        assert note.minutes is not None
        expected[(note.author_id, category_for_session_kind(note.appointment.kind))] += note.minutes
    ledger: Counter[tuple[int, str]] = Counter()
    for associate_id, category, minutes in HoursEntry.objects.filter(
        source=HoursEntry.Source.SESSION
    ).values_list("associate_id", "category", "minutes"):
        ledger[(associate_id, category)] += minutes
    assert ledger == expected
    assert {associate for associate, _ in ledger} == associates
    # Only associates accrue hours; each note at most once.
    references = HoursEntry.objects.filter(source=HoursEntry.Source.SESSION).values_list(
        "source_reference", flat=True
    )
    assert len(references) == len(set(references))
    for membership in Membership.objects.filter(role=Role.ASSOCIATE).select_related("user"):
        path = licensure_path_for(membership.user, today=TODAY)
        assert path is not None and path.state == "TX"


def test_supervision_is_weekly_signed_and_in_the_ledger(seeded: str) -> None:
    sessions = SupervisionSession.objects.select_related("relationship")
    per_relationship = Counter(sessions.values_list("relationship_id", flat=True))
    weeks = SMALL.history_weeks
    assert all(weeks <= count <= weeks + 1 for count in per_relationship.values())
    assert len(per_relationship) == SupervisionRelationship.objects.count()
    for session in sessions:
        assert session.content_hash == session_content_hash(session, [])
        assert session.locked == session.is_signed_by_both
    # The latest session of each relationship waits for the supervisee.
    assert sessions.filter(locked=False).count() == len(per_relationship)
    ledger = dict(
        HoursEntry.objects.filter(source=HoursEntry.Source.SUPERVISION).values_list(
            "source_reference", "minutes"
        )
    )
    assert ledger == dict(sessions.filter(locked=True).values_list("public_id", "minutes"))
    assert set(
        HoursEntry.objects.filter(source=HoursEntry.Source.SUPERVISION).values_list(
            "category", flat=True
        )
    ) == {"supervision_individual", "supervision_group"}


def test_every_month_but_the_last_two_is_verified_with_matching_totals(seeded: str) -> None:
    verifications = HoursVerification.objects.all()
    assert verifications.exists()
    for verification in verifications.select_related("organization", "associate", "supervisor"):
        entries = list(verification.items.all())
        items: Counter[str] = Counter()
        for entry in entries:
            items[entry.category] += entry.minutes
        assert verification.minutes_by_category() == {
            category: items[category] for category in verification.minutes_by_category()
        }
        assert verification.entries == len(entries)
        assert verification.period == HoursVerification.Period.MONTH
        assert verification.period_start.day == 1
        rebuilt = hours_verification_build(
            organization=verification.organization,
            supervisor=verification.supervisor,
            associate=verification.associate,
            period=verification.period,
            start=verification.period_start,
            end=verification.period_end,
            entries=entries,
            path_state=verification.path_state,
            path_family=verification.path_family,
            associate_license=verification.associate_license,
            supervisor_license=verification.supervisor_license,
            signed_at=verification.signed_at,
        )
        assert rebuilt.content_hash == verification.content_hash
    entries = HoursEntry.objects.all()
    unverified_from = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
    assert not entries.filter(worked_on__lt=unverified_from, verification__isnull=True).exists()
    assert not entries.filter(worked_on__gte=unverified_from, verification__isnull=False).exists()
    assert entries.filter(verification__isnull=True).exists()
