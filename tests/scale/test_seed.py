"""`tend seed` on the small profile: sizes, distributions and the record's invariants."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from tend.accounts.models import Membership
from tend.assessments.definition import answers_hash
from tend.assessments.models import Assessment
from tend.care.models import Appointment, ProgressNote
from tend.care.notes import note_content_hash
from tend.careers.models import JobPosting
from tend.clients.models import Client, Episode
from tend.core.permissions import Role
from tend.measures.instruments import load_instruments
from tend.measures.models import MeasureResponse
from tend.plans.models import TreatmentPlan
from tend.scale.clients import INQUIRY_SHARE, WAITLIST_SHARE
from tend.scale.people import ORGANIZATION_NAME
from tend.scale.profiles import PROFILES
from tend.supervision.models import SupervisionRelationship

SMALL = PROFILES["small"]


@pytest.fixture
def seeded(db: None) -> str:
    output = StringIO()
    call_command("seed", profile="small", stdout=output)
    return output.getvalue()


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
    for note in notes.filter(status=ProgressNote.Status.FINAL):
        assert note.locked
        assert note.signed_at is not None
        assert note.content_hash == note_content_hash(note)
        if note.author_id in associates:
            assert note.cosigned_by_id == supervisor_of[note.author_id]
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
