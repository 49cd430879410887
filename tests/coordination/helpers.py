"""Builders for care-coordination tests: clients on the cast's caseload, providers,
consents and resources, written through the coordination services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from tend.accounts.models import Organization, User
from tend.audit.models import AuditEvent
from tend.clients.models import CareTeamMember, Client
from tend.coordination import services
from tend.coordination.models import CommunityResource, Consent, Disclosure, ExternalProvider
from tend.core.models import PublicModel
from tests.conftest import Cast, signed_in

# Synthetic NPIs that pass the CMS check digit (validated again by the model).
PSYCHIATRIST_NPI = "1234567893"
PCP_NPI = "1245319599"


def make_client(cast: Cast, first: str = "Rowan", last: str = "Quill") -> Client:
    """A client of Harbor on the caseload of the clinician, the associate and the supervisor.

    The clients app owns client creation; the rows are what its services write.
    """
    client = Client.objects.create(
        organization=cast.organization,
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=date(1991, 3, 14),
        phone="555-0142",
        city="Galveston",
        state="TX",
        status=Client.Status.ACTIVE,
        primary_clinician=cast.clinician,
    )
    for user in (cast.associate, cast.supervisor):
        CareTeamMember.objects.create(
            client=client, user=user, role=CareTeamMember.Role.CO_THERAPIST,
            started_on=date(2020, 1, 1),
        )  # fmt: skip
    return client


def make_provider(
    organization: Organization,
    actor: User,
    name: str = "Dr. Imani Reyes",
    role: str = ExternalProvider.Role.PSYCHIATRIST,
    npi: str = PSYCHIATRIST_NPI,
) -> ExternalProvider:
    return services.provider_create(
        organization=organization,
        actor=actor,
        name=name,
        role=role,
        practice="Bayside Psychiatry (demo)",
        npi=npi,
        phone="555-0100",
        fax="555-0101",
        secure_email="reyes@bayside.example",
        address="1 Harbor Way, Galveston TX",
    )


def make_consent(
    client: Client,
    actor: User,
    provider: ExternalProvider | None,
    categories: list[str],
    **overrides: Any,
) -> Consent:
    fields: dict[str, Any] = {
        "signer": Consent.Signer.CLIENT,
        "signer_name": client.legal_name,
        "recipient_kind": Consent.RecipientKind.PROVIDER,
        "provider": provider,
        "recipient_name": "",
        "direction": Consent.Direction.DISCLOSE,
        "categories": categories,
        "purpose": "Coordination of medication care",
        "effective_on": date(2026, 11, 1),
        "expires_on": date(2027, 10, 31),
        "expiry_event": "",
        "signature_method": Consent.SignatureMethod.TYPED,
        "typed_signature": client.legal_name,
        "signed_on": date(2026, 11, 1),
    }
    fields.update(overrides)
    return services.consent_record(client=client, actor=actor, **fields)


def make_resource(
    organization: Organization, name: str = "Harborview Housing Help (demo)", *categories: str
) -> CommunityResource:
    return services.resource_create(
        organization=organization,
        actor=None,
        categories=list(categories) or ["housing"],
        name=name,
        services="Rental assistance and housing search.",
        eligibility="Adults in Galveston County",
        languages="English, Spanish",
        cost="Free",
        hours="Mon-Fri 9-5",
        city="Galveston",
        state="TX",
        phone="555-0199",
    )


def release(
    client: Client, cast: Cast, provider: ExternalProvider, categories: list[str]
) -> Disclosure:
    """The clinician releases `categories` of 2026's records to `provider`."""
    return services.disclosure_release(
        client=client, actor=cast.clinician, recipient_kind="provider", provider=provider,
        recipient_name="", categories=categories, records_from=date(2026, 1, 1),
        records_to=date(2026, 11, 27), purpose="Medication management", delivery="secure_email",
    )  # fmt: skip


def stored_bundle(disclosure: Disclosure) -> Any:
    """The stored bundle, validated by parsing (typed loosely: tests walk optional fields)."""
    with disclosure.fhir_bundle.open("rb") as handle:
        return Bundle.model_validate_json(handle.read())


def assert_read_audited(
    url_name: str,
    record: PublicModel,
    client: Client,
    *,
    reader: User,
    refused: User,
    outsider: User,
) -> None:
    """The record's page refuses the outsider (404) and `refused` (403) without an audit
    row; `reader` opens it (200) and exactly one coordination.viewed row names the record."""
    url = reverse(url_name, args=[record.public_id])
    assert signed_in(outsider).get(url).status_code == 404
    assert signed_in(refused).get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="coordination.viewed").exists()

    assert signed_in(reader).get(url).status_code == 200

    viewed = AuditEvent.objects.get(action="coordination.viewed")
    assert (viewed.actor_id, viewed.subject_id, viewed.client_id, viewed.extra) == (
        reader.public_id, str(record.public_id), client.public_id, {},
    )  # fmt: skip
    assert viewed.subject_type == f"coordination.{type(record).__name__.lower()}"
