from __future__ import annotations

import itertools

import pgtrigger
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import ProgrammingError, connection, transaction

from tend.audit.models import GENESIS_HASH, AuditEvent
from tend.audit.services import audit_chain_verify, audit_event_record
from tests.conftest import Cast

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def _three_events(cast: Cast) -> list[AuditEvent]:
    return [
        audit_event_record(
            action="accounts.profile_updated",
            actor=cast.clinician,
            organization=cast.organization,
            subject=cast.clinician,
            extra={"fields": [str(n)]},
        )
        for n in range(3)
    ]


def test_each_row_links_to_the_previous_row(cast: Cast) -> None:
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == GENESIS_HASH
    for earlier, later in itertools.pairwise(events):
        assert later.prev_hash == earlier.hash
    assert all(event.hash == event.compute_hash() for event in events)


def test_it_records_actor_subject_and_extra_exactly(cast: Cast) -> None:
    event = audit_event_record(
        action="accounts.profile_updated",
        actor=cast.clinician,
        organization=cast.organization,
        subject=cast.clinician,
        extra={"fields": ["npi"]},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (
        stored.action,
        stored.actor_id,
        stored.actor_label,
        stored.organization_id,
        stored.subject_type,
        stored.subject_id,
        stored.extra,
    ) == (
        "accounts.profile_updated",
        cast.clinician.public_id,
        "clinician@harbor.test",
        cast.organization.public_id,
        "accounts.user",
        str(cast.clinician.public_id),
        {"fields": ["npi"]},
    )


def test_unknown_actions_are_refused(cast: Cast) -> None:
    with pytest.raises(ValueError, match=r"Unknown audit action 'clients\.teleported'"):
        audit_event_record(action="clients.teleported", actor=cast.clinician)


def test_the_chain_verifies_intact(cast: Cast) -> None:
    _three_events(cast)
    report = audit_chain_verify()
    assert report.intact
    assert report.checked == AuditEvent.objects.count()


def test_tampering_with_a_row_is_detected_at_that_row(cast: Cast) -> None:
    events = _three_events(cast)
    target = events[1]
    with pgtrigger.ignore("audit.AuditEvent:audit_event_append_only"):
        AuditEvent.objects.filter(pk=target.pk).update(extra={"fields": ["forged"]})
    report = audit_chain_verify()
    assert report.broken_at == target.pk
    assert report.reason == f"row {target.pk} was altered after it was written"
    with pytest.raises(CommandError, match=f"BROKEN at event {target.pk}"):
        call_command("audit", "verify")


def test_deleting_a_row_is_detected_at_the_next_row(cast: Cast) -> None:
    events = _three_events(cast)
    with pgtrigger.ignore("audit.AuditEvent:audit_event_append_only"):
        AuditEvent.objects.filter(pk=events[1].pk).delete()
    report = audit_chain_verify()
    assert report.broken_at == events[2].pk
    assert "does not link" in report.reason


def test_the_actor_survives_user_deletion(cast: Cast) -> None:
    event = audit_event_record(
        action="accounts.profile_updated", actor=cast.biller, subject=cast.biller
    )
    cast.biller.delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_label == "biller@harbor.test"
    assert audit_chain_verify().intact


def test_verify_command_reports_an_intact_chain(
    cast: Cast, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("audit", "verify")
    assert f"Audit chain intact: {AuditEvent.objects.count()} events." in capsys.readouterr().out


@postgresql_only
def test_postgresql_refuses_update_of_an_audit_row(cast: Cast) -> None:
    event = _three_events(cast)[0]
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete rows"),
        transaction.atomic(),
    ):
        AuditEvent.objects.filter(pk=event.pk).update(action="accounts.login")
    assert AuditEvent.objects.get(pk=event.pk).action == "accounts.profile_updated"


@postgresql_only
def test_postgresql_refuses_delete_of_an_audit_row(cast: Cast) -> None:
    event = _three_events(cast)[0]
    with (
        pytest.raises(ProgrammingError, match="Cannot update or delete rows"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
