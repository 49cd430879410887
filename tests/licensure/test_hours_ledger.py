"""The hours ledger: accrual from signed work only, categories, manual entries, and the
supervisor's verification that locks a period."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError
from django.urls import reverse

from tend.accounts.models import Membership
from tend.accounts.services import membership_roles_set
from tend.audit.models import AuditEvent
from tend.care.models import ProgressNote
from tend.care.notes import note_return
from tend.licensure.models import HoursEntry, HoursVerification
from tend.licensure.services import (
    hours_entry_add,
    hours_entry_remove,
    hours_sync_from_records,
    hours_verify_period,
    license_create,
)
from tend.supervision.models import SupervisionRelationship
from tend.supervision.services import supervision_session_cancel, supervision_session_sign
from tests.conftest import Cast, signed_in
from tests.licensure.hours_helpers import documented_session
from tests.supervision.factories import make_planned, make_relationship, make_session

TODAY = date(2026, 11, 24)
MARCH_2 = datetime(2026, 3, 2)  # noqa: DTZ001  (a local calendar day)


@pytest.fixture
def supervised(cast: Cast) -> SupervisionRelationship:
    return make_relationship(cast)


def _manual(cast: Cast, worked_on: date = date(2026, 3, 3), minutes: int = 90) -> HoursEntry:
    return hours_entry_add(
        organization=cast.organization,
        associate=cast.associate,
        category="indirect",
        worked_on=worked_on,
        minutes=minutes,
        site="Hillside school",
        description="Treatment team meeting",
    )


def test_only_final_notes_accrue_drafts_waiting_and_returned_notes_do_not(
    cast: Cast, supervised: SupervisionRelationship
) -> None:
    documented_session(cast, MARCH_2, sign=False)
    waiting = documented_session(cast, MARCH_2, cosign=False)
    returned = documented_session(cast, MARCH_2, cosign=False)
    note_return(note=returned, actor=cast.supervisor, comments="Add the plan.")
    assert HoursEntry.objects.count() == 0
    final = documented_session(cast, MARCH_2, minutes=53)
    entry = HoursEntry.objects.get()
    assert (entry.category, entry.minutes, entry.worked_on) == (
        "direct_individual",
        53,
        date(2026, 3, 2),
    )
    assert (entry.source, entry.source_reference) == ("session", final.public_id)
    assert ProgressNote.objects.get(pk=waiting.pk).status == "awaiting_cosign"


def test_ledger_rows_hold_no_client_data(cast: Cast, supervised: SupervisionRelationship) -> None:
    documented_session(cast, MARCH_2)
    row = HoursEntry.objects.values().get()
    client_fields = {name for name in row if "client" in name or "appointment" in name}
    assert client_fields == set()
    assert (row["site"], row["description"]) == ("", "")


def test_a_licensed_clinicians_notes_do_not_accrue(cast: Cast) -> None:
    # The clinician here holds no associate role: their notes finalize on signature.
    Membership.objects.filter(user=cast.associate, role="associate").update(role="clinician")
    note = documented_session(cast, MARCH_2, cosign=False)
    assert note.status == "final"
    assert HoursEntry.objects.count() == 0


def test_couples_sessions_count_as_couples_and_family_contact(
    cast: Cast, supervised: SupervisionRelationship
) -> None:
    documented_session(cast, MARCH_2, kind="couples", minutes=60)
    assert list(HoursEntry.objects.values_list("category", "minutes")) == [
        ("direct_couples_family", 60)
    ]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("format", "members", "category"),
    [
        ("individual", 1, "supervision_individual"),
        ("triadic", 2, "supervision_individual"),
        ("group", 5, "supervision_group"),
    ],
)
def test_supervision_accrues_once_both_have_signed(
    cast: Cast, supervised: SupervisionRelationship, format: str, members: int, category: str
) -> None:
    session = make_session(supervised, format=format, member_count=members, minutes=90)
    supervision_session_sign(session=session, actor=cast.supervisor)
    assert HoursEntry.objects.count() == 0
    supervision_session_sign(session=session, actor=cast.associate)
    assert list(HoursEntry.objects.values_list("category", "minutes", "source_reference")) == [
        (category, 90, session.public_id)
    ]


@time_machine.travel(TODAY, tick=False)
def test_planned_cancelled_and_half_signed_supervision_never_reaches_the_ledger(
    cast: Cast, supervised: SupervisionRelationship
) -> None:
    make_planned(supervised)
    supervision_session_cancel(
        session=make_planned(supervised, held_on=date(2026, 12, 10)),
        actor=cast.associate,
        reason="Holiday closure.",
    )
    half_signed = make_session(supervised)
    supervision_session_sign(session=half_signed, actor=cast.supervisor)
    assert hours_sync_from_records(organization=cast.organization, associate=cast.associate) == 0
    assert not HoursEntry.objects.exists()


def test_syncing_from_records_is_idempotent(
    cast: Cast, supervised: SupervisionRelationship
) -> None:
    documented_session(cast, MARCH_2)
    HoursEntry.objects.all().delete()
    assert hours_sync_from_records(organization=cast.organization, associate=cast.associate) == 1
    assert hours_sync_from_records(organization=cast.organization, associate=cast.associate) == 0
    assert HoursEntry.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_manual_entries_take_an_attachment_and_refuse_the_future(cast: Cast) -> None:
    entry = hours_entry_add(
        organization=cast.organization,
        associate=cast.associate,
        category="direct_group",
        worked_on=date(2026, 11, 20),
        minutes=90,
        site="Hillside school",
        description="Social skills group",
        attachment=SimpleUploadedFile("log.pdf", b"%PDF-1.4 log", "application/pdf"),
    )
    response = signed_in(cast.associate).get(
        reverse("licensure:hours_entry_attachment", args=[entry.public_id])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hours-2026-11-20.pdf"'
    with pytest.raises(ValidationError) as raised:
        _manual(cast, worked_on=date(2026, 11, 25))
    assert "worked_on" in raised.value.message_dict


@time_machine.travel(TODAY, tick=False)
def test_verifying_a_month_snapshots_totals_and_locks_its_entries(
    cast: Cast, supervised: SupervisionRelationship
) -> None:
    license_create(holder=cast.supervisor, state="TX", family="counselor", title="LPC-S",
                   number="TX-555", issued_on=date(2015, 1, 1), expires_on=date(2027, 6, 30),
                   status="active")  # fmt: skip
    documented_session(cast, MARCH_2, minutes=50)
    march = _manual(cast)
    april = _manual(cast, worked_on=date(2026, 4, 1))
    verification = hours_verify_period(
        organization=cast.organization,
        supervisor=cast.supervisor,
        associate=cast.associate,
        period="month",
        containing=date(2026, 3, 17),
    )
    assert (verification.period_start, verification.period_end) == (
        date(2026, 3, 1),
        date(2026, 3, 31),
    )
    assert verification.minutes_by_category() == {
        "direct_individual": 50,
        "direct_couples_family": 0,
        "direct_group": 0,
        "indirect": 90,
        "supervision_individual": 0,
        "supervision_group": 0,
    }
    assert (verification.supervisor_name, verification.supervisor_license) == (
        "Sage Supervisor",
        "LPC-S (TX) #TX-555",
    )
    assert verification.entries == 2
    assert set(HoursEntry.objects.filter(verification=verification)) == {
        march,
        HoursEntry.objects.get(source="session"),
    }
    assert HoursEntry.objects.get(pk=april.pk).verification is None
    with pytest.raises(ValidationError):
        hours_entry_remove(entry=march, actor=cast.associate)
    event = AuditEvent.objects.get(action="licensure.hours_verified")
    assert event.extra["entries"] == 2
    # A second verification of the same month finds nothing left to verify.
    with pytest.raises(ValidationError):
        hours_verify_period(organization=cast.organization, supervisor=cast.supervisor,
                            associate=cast.associate, period="month",
                            containing=date(2026, 3, 1))  # fmt: skip


@time_machine.travel(TODAY, tick=False)
def test_only_a_supervisor_of_the_associate_verifies(cast: Cast) -> None:
    _manual(cast)
    with pytest.raises(PermissionDenied):
        hours_verify_period(organization=cast.organization, supervisor=cast.supervisor,
                            associate=cast.associate, period="week",
                            containing=date(2026, 3, 3))  # fmt: skip
    assert HoursVerification.objects.count() == 0


@time_machine.travel(TODAY, tick=False)
def test_the_verification_survives_the_supervisor_leaving(
    cast: Cast, supervised: SupervisionRelationship
) -> None:
    _manual(cast)
    hours_verify_period(organization=cast.organization, supervisor=cast.supervisor,
                        associate=cast.associate, period="week",
                        containing=date(2026, 3, 3))  # fmt: skip
    Membership.objects.filter(user=cast.supervisor).delete()
    page = signed_in(cast.associate).get(reverse("licensure:my_hours")).content.decode()
    assert "verified by Sage Supervisor" in page
    pdf = signed_in(cast.associate).get(reverse("licensure:my_verification_pdf"))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF")


def test_a_manual_entry_is_removed_while_unverified_and_only_by_its_associate(
    cast: Cast,
) -> None:
    with time_machine.travel(TODAY, tick=False):
        entry = _manual(cast)
    with pytest.raises(PermissionDenied):
        hours_entry_remove(entry=entry, actor=cast.supervisor)
    hours_entry_remove(entry=entry, actor=cast.associate)
    assert HoursEntry.objects.count() == 0
    assert AuditEvent.objects.filter(action="licensure.hours_entry_removed").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger on PostgreSQL only")
@time_machine.travel(TODAY, tick=False)
def test_postgresql_refuses_to_change_verified_entries_and_verifications(
    cast: Cast, supervised: SupervisionRelationship
) -> None:
    entry = _manual(cast)
    verification = hours_verify_period(organization=cast.organization, supervisor=cast.supervisor,
                                       associate=cast.associate, period="week",
                                       containing=date(2026, 3, 3))  # fmt: skip
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        HoursEntry.objects.filter(pk=entry.pk).update(minutes=600)
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        HoursVerification.objects.filter(pk=verification.pk).update(entries=9)


@time_machine.travel(TODAY, tick=False)
def test_the_supervisor_verifies_from_the_page_and_owners_see_totals_only(
    cast: Cast, supervised: SupervisionRelationship
) -> None:
    _manual(cast)
    url = reverse("licensure:supervisee_verify", args=[cast.associate.public_id])
    bad = signed_in(cast.supervisor).post(url, {"period": "month", "containing": "2026-12-01"})
    assert bad.status_code == 400
    good = signed_in(cast.supervisor).post(url, {"period": "month", "containing": "2026-03-09"})
    assert good.status_code == 302
    assert HoursVerification.objects.count() == 1
    page = signed_in(cast.owner).get(reverse("licensure:organization_hours")).content.decode()
    assert "Asa Associate" in page
    assert "Treatment team meeting" not in page
    owner_reads = AuditEvent.objects.filter(
        action="licensure.ledger_viewed", actor_label=cast.owner.email
    )
    assert [event.extra for event in owner_reads] == [{"totals_only": True}]


def _entries(cast: Cast, count: int) -> None:
    HoursEntry.objects.bulk_create(
        HoursEntry(organization=cast.organization, associate=cast.associate,
                   category=("direct_individual", "indirect", "supervision_group")[n % 3],
                   worked_on=date(2026, 1, 5 + n % 20), minutes=50, source="manual",
                   description="Work")
        for n in range(count)
    )  # fmt: skip


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("url_name", "reader"),
    [
        ("licensure:my_hours", "associate"),
        ("licensure:my_progress", "associate"),
        ("licensure:supervisee_hours", "supervisor"),
        ("licensure:organization_hours", "owner"),
    ],
)
def test_ledger_pages_run_the_same_queries_for_10_or_200_entries(
    cast: Cast, supervised: SupervisionRelationship, url_name: str, reader: str
) -> None:
    from django.test.utils import CaptureQueriesContext

    client = signed_in(getattr(cast, reader))
    args = [cast.associate.public_id] if url_name == "licensure:supervisee_hours" else []
    counts = []
    for size in (10, 190):
        _entries(cast, size)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name, args=args)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@time_machine.travel(TODAY, tick=False)
def test_a_former_supervisor_cannot_verify_a_period_after_the_relationship(
    cast: Cast, supervised: SupervisionRelationship
) -> None:
    from tend.supervision.services import supervision_relationship_end

    supervision_relationship_end(
        relationship=supervised, actor=cast.owner, ended_on=date(2026, 3, 31)
    )
    _manual(cast, worked_on=date(2026, 4, 8))
    with pytest.raises(PermissionDenied):
        hours_verify_period(organization=cast.organization, supervisor=cast.supervisor,
                            associate=cast.associate, period="month",
                            containing=date(2026, 4, 8))  # fmt: skip
    _manual(cast, worked_on=date(2026, 3, 30))
    verification = hours_verify_period(organization=cast.organization, supervisor=cast.supervisor,
                                       associate=cast.associate, period="week",
                                       containing=date(2026, 3, 30))  # fmt: skip
    assert verification.entries == 1


@time_machine.travel(TODAY, tick=False)
def test_a_supervisor_sees_only_their_organizations_verifications_the_associate_all(
    cast: Cast, supervised: SupervisionRelationship
) -> None:
    # The associate also works at Elsewhere Therapy, supervised there by its owner.
    elsewhere = cast.other_organization
    membership_roles_set(
        organization=elsewhere, user=cast.associate, roles=["associate"], actor=cast.outsider
    )
    membership_roles_set(
        organization=elsewhere, user=cast.outsider, roles=["owner", "supervisor"], actor=None
    )
    make_relationship(
        cast, organization=elsewhere, actor=cast.outsider, supervisor=cast.outsider,
        path_state="CA",
    )  # fmt: skip
    hours_entry_add(
        organization=elsewhere, associate=cast.associate, category="indirect",
        worked_on=date(2026, 3, 3), minutes=60, site="", description="Team meeting",
    )  # fmt: skip
    there = hours_verify_period(organization=elsewhere, supervisor=cast.outsider,
                                associate=cast.associate, period="month",
                                containing=date(2026, 3, 1))  # fmt: skip
    _manual(cast)
    here = hours_verify_period(organization=cast.organization, supervisor=cast.supervisor,
                               associate=cast.associate, period="month",
                               containing=date(2026, 3, 1))  # fmt: skip

    supervisor_page = signed_in(cast.supervisor).get(
        reverse("licensure:supervisee_hours", args=[cast.associate.public_id])
    )
    own_page = signed_in(cast.associate).get(reverse("licensure:my_hours"))

    assert [v.pk for v in supervisor_page.context["verifications"]] == [here.pk]
    assert "Oscar Outsider" not in supervisor_page.content.decode()
    assert {v.pk for v in own_page.context["verifications"]} == {here.pk, there.pk}
    # Each verification carries the path of its own organization's relationship.
    assert (here.path_state, there.path_state) == ("TX", "CA")
