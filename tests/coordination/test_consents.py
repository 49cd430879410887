from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tend.audit.models import AuditEvent
from tend.coordination import services
from tend.coordination.models import Consent, ConsentRevocation, Disclosure, InformationCategory
from tend.coordination.selectors import consent_coverage
from tests.conftest import Cast, signed_in
from tests.coordination.helpers import (
    assert_read_audited,
    make_client,
    make_consent,
    make_provider,
)

NOV_27 = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)


def _consent_post(provider_id: str, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "signer": "client",
        "signer_name": "Rowan Quill",
        "recipient_kind": "provider",
        "provider": provider_id,
        "recipient_name": "",
        "direction": "disclose",
        "categories": ["diagnoses", "treatment_plan"],
        "purpose": "Coordination of medication care",
        "effective_on": "2026-11-27",
        "expires_on": "2027-11-26",
        "expiry_event": "",
        "signature_method": "typed",
        "typed_signature": "Rowan Quill",
        "signed_on": "2026-11-27",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOV_27, tick=False)
def test_front_desk_records_a_signed_consent_form_with_its_audit_row(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    response = signed_in(cast.front_desk).post(
        reverse("coordination:consents", args=[client.public_id]),
        _consent_post(str(provider.public_id)),
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.provider, consent.categories) == (provider, ["diagnoses", "treatment_plan"])
    assert consent.recorded_by == cast.front_desk
    event = AuditEvent.objects.get(action="coordination.consent_recorded")
    assert event.extra == {
        "consent_id": str(consent.public_id),
        "categories": ["diagnoses", "treatment_plan"],
    }
    assert event.client_id == client.public_id


@time_machine.travel(NOV_27, tick=False)
def test_front_desk_cannot_build_a_packet_and_nothing_changes(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    make_consent(client, cast.clinician, provider, ["diagnoses"])
    desk = signed_in(cast.front_desk)
    events = AuditEvent.objects.count()
    response = desk.post(
        reverse("coordination:packet", args=[client.public_id]),
        {"recipient": f"provider:{provider.public_id}", "categories": ["diagnoses"]},
    )
    assert response.status_code == 403
    assert Disclosure.objects.count() == 0
    assert AuditEvent.objects.count() == events


@time_machine.travel(NOV_27, tick=False)
def test_opening_a_consent_is_recorded_in_the_audit_trail(cast: Cast) -> None:
    client = make_client(cast)
    consent = make_consent(
        client, cast.clinician, make_provider(cast.organization, cast.clinician), ["diagnoses"]
    )
    assert_read_audited(
        "coordination:consent", consent, client,
        reader=cast.front_desk, refused=cast.biller, outsider=cast.outsider,
    )  # fmt: skip


@time_machine.travel(NOV_27, tick=False)
def test_psychotherapy_notes_need_a_consent_that_covers_nothing_else(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    response = signed_in(cast.clinician).post(
        reverse("coordination:consents", args=[client.public_id]),
        _consent_post(str(provider.public_id), categories=["psychotherapy_notes", "diagnoses"]),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["categories"] == [
        "Psychotherapy notes need a separate consent that covers nothing else."
    ]
    assert Consent.objects.count() == 0


@time_machine.travel(NOV_27, tick=False)
def test_a_consent_needs_an_expiry_date_or_event(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    response = signed_in(cast.clinician).post(
        reverse("coordination:consents", args=[client.public_id]),
        _consent_post(str(provider.public_id), expires_on="", expiry_event=""),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["expires_on"] == [
        "Give an expiry date or an expiry event (45 CFR 164.508(c)(1)(v))."
    ]
    event_only = make_consent(
        client, cast.clinician, provider, ["diagnoses"], expires_on=None,
        expiry_event="End of treatment",
    )  # fmt: skip
    assert event_only.is_active_on(date(2030, 1, 1)) is True


@time_machine.travel(NOV_27, tick=False)
def test_a_scan_of_the_wrong_type_is_refused_next_to_the_field(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    data = _consent_post(str(provider.public_id), signature_method="scan", typed_signature="")
    data["signature_scan"] = SimpleUploadedFile("form.exe", b"MZ", "application/octet-stream")
    response = signed_in(cast.clinician).post(
        reverse("coordination:consents", args=[client.public_id]), data
    )
    assert response.status_code == 400
    assert response.context["form"].errors["signature_scan"] == ["Upload a PDF, PNG or JPEG file."]
    assert Consent.objects.count() == 0


@time_machine.travel(NOV_27, tick=False)
def test_an_uploaded_scan_is_stored_under_a_random_name_and_downloadable(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    data = _consent_post(str(provider.public_id), signature_method="scan", typed_signature="")
    data["signature_scan"] = SimpleUploadedFile(
        "Rowan Quill ROI.pdf", b"%PDF-1.4 x", "application/pdf"
    )
    response = signed_in(cast.front_desk).post(
        reverse("coordination:consents", args=[client.public_id]), data
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.signature_scan.name == f"consents/2026/11/{consent.public_id}.pdf"
    download = signed_in(cast.front_desk).get(
        reverse("coordination:consent_scan", args=[consent.public_id])
    )
    assert download.content == b"%PDF-1.4 x"
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="consent-2026-11-27.pdf"'


def test_expiry_takes_effect_after_the_last_day_in_the_organizations_time_zone(
    cast: Cast,
) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    with time_machine.travel(NOV_27, tick=False):
        consent = make_consent(
            client, cast.clinician, provider, ["diagnoses"], expires_on=date(2026, 11, 30)
        )
    # 23:59 on Nov 30 in Chicago is 05:59 UTC on Dec 1.
    with time_machine.travel(datetime(2026, 12, 1, 5, 59, tzinfo=UTC), tick=False):
        released = services.disclosure_release(
            client=client, actor=cast.clinician, recipient_kind="provider", provider=provider,
            recipient_name="", categories=["diagnoses"], records_from=None, records_to=None,
            purpose="Medication review", delivery="fax",
        )  # fmt: skip
        assert list(released.consents.all()) == [consent]
    with (
        time_machine.travel(datetime(2026, 12, 1, 6, 0, tzinfo=UTC), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        services.disclosure_release(
            client=client, actor=cast.clinician, recipient_kind="provider", provider=provider,
            recipient_name="", categories=["diagnoses"], records_from=None, records_to=None,
            purpose="Medication review", delivery="fax",
        )  # fmt: skip
    assert refused.value.message_dict == {
        "categories": ["No active consent covers 'diagnoses' for Dr. Imani Reyes on 2026-12-01."]
    }
    assert consent.status_on(date(2026, 12, 1)) == "expired"


def test_revocation_takes_effect_from_the_day_it_is_received(cast: Cast) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    with time_machine.travel(NOV_27, tick=False):
        consent = make_consent(client, cast.clinician, provider, ["diagnoses"])
    release: dict[str, Any] = {
        "client": client, "actor": cast.clinician, "recipient_kind": "provider",
        "provider": provider, "recipient_name": "", "categories": ["diagnoses"],
        "records_from": None, "records_to": None, "purpose": "Care", "delivery": "fax",
    }  # fmt: skip
    with time_machine.travel(datetime(2026, 12, 2, 15, tzinfo=UTC), tick=False):
        services.disclosure_release(**release)
        response = signed_in(cast.front_desk).post(
            reverse("coordination:consent_revoke", args=[consent.public_id]),
            {"revoked_on": "2026-12-02", "received_by": "in_writing"},
        )
        assert response.status_code == 302
        with pytest.raises(ValidationError):
            services.disclosure_release(**release)
    assert consent.status_on(date(2026, 12, 1)) == "active"
    assert consent.status_on(date(2026, 12, 2)) == "revoked"
    assert Disclosure.objects.count() == 1
    event = AuditEvent.objects.get(action="coordination.consent_revoked")
    assert event.extra == {"consent_id": str(consent.public_id), "revoked_on": "2026-12-02"}


@time_machine.travel(NOV_27, tick=False)
def test_a_revocation_cannot_be_dated_in_the_future_or_recorded_twice(cast: Cast) -> None:
    client = make_client(cast)
    consent = make_consent(
        client, cast.clinician, make_provider(cast.organization, cast.clinician), ["diagnoses"]
    )
    url = reverse("coordination:consent_revoke", args=[consent.public_id])
    future = signed_in(cast.clinician).post(
        url, {"revoked_on": "2026-11-28", "received_by": "mail"}
    )
    assert future.status_code == 400
    assert future.context["form"].errors["revoked_on"] == [
        "A revocation cannot be dated in the future."
    ]
    signed_in(cast.clinician).post(url, {"revoked_on": "2026-11-27", "received_by": "mail"})
    again = signed_in(cast.clinician).post(url, {"revoked_on": "2026-11-27", "received_by": "mail"})
    assert again.status_code == 400
    assert ConsentRevocation.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger on PostgreSQL")
@time_machine.travel(NOV_27, tick=False)
def test_the_database_refuses_to_change_or_delete_a_signed_consent(cast: Cast) -> None:
    client = make_client(cast)
    consent = make_consent(
        client, cast.clinician, make_provider(cast.organization, cast.clinician), ["diagnoses"]
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        Consent.objects.filter(pk=consent.pk).update(categories=["diagnoses", "progress_notes"])
    with pytest.raises(DatabaseError), transaction.atomic():
        Consent.objects.filter(pk=consent.pk).delete()
    consent.refresh_from_db()
    assert consent.categories == ["diagnoses"]


@time_machine.travel(NOV_27, tick=False)
def test_a_mixed_consent_never_releases_psychotherapy_notes_whatever_created_it(
    cast: Cast,
) -> None:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    # Written around the service (e.g. an import): the share-time check still holds.
    consent = Consent.objects.create(
        client=client,
        signer=Consent.Signer.CLIENT,
        signer_name=client.legal_name,
        recipient_kind=Consent.RecipientKind.PROVIDER,
        provider=provider,
        direction=Consent.Direction.DISCLOSE,
        categories=["diagnoses", "psychotherapy_notes"],
        purpose="Coordination",
        effective_on=date(2026, 11, 1),
        expires_on=date(2027, 10, 31),
        signature_method=Consent.SignatureMethod.TYPED,
        typed_signature=client.legal_name,
        signed_on=date(2026, 11, 1),
        recorded_by=cast.clinician,
    )
    coverage = consent_coverage(
        client,
        recipient_kind="provider",
        provider=provider,
        recipient_name="",
        categories=["diagnoses", "psychotherapy_notes"],
        day=date(2026, 11, 27),
    )
    assert coverage.missing == [InformationCategory.PSYCHOTHERAPY_NOTES]
    assert [c.pk for c in coverage.consents] == [consent.pk]
