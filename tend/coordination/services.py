"""Every change to care-coordination records goes through here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.audit.services import audit_event_record
from tend.clients.models import Client
from tend.coordination.models import (
    CollateralContact,
    CommunityResource,
    CommunityResourceTag,
    Consent,
    ConsentRevocation,
    Disclosure,
    ExternalProvider,
    ExternalTeamMember,
    InformationCategory,
    Referral,
)
from tend.coordination.packets import packet_assemble
from tend.coordination.selectors import consent_coverage, organization_today

PROVIDER_FIELDS = ("name", "role", "practice", "npi", "phone", "fax", "secure_email", "address")
RESOURCE_FIELDS = (
    "name",
    "services",
    "eligibility",
    "languages",
    "cost",
    "hours",
    "address",
    "city",
    "state",
    "offers_telehealth",
    "phone",
    "text_line",
    "website",
    "source",
)


def _same_organization(organization: Organization, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.organization_id != organization.pk:
            raise ValidationError("That entry belongs to another organization.")


@transaction.atomic
def provider_create(*, organization: Organization, actor: User, **fields: Any) -> ExternalProvider:
    """Add an external provider to the organization's directory (NPI check-digit checked)."""
    provider = ExternalProvider(
        organization=organization, **{name: fields.get(name, "") for name in PROVIDER_FIELDS}
    )
    provider.full_clean()
    provider.save()
    audit_event_record(
        action="coordination.provider_created",
        actor=actor,
        organization=organization,
        subject=provider,
        extra={"role": provider.role},
    )
    return provider


@transaction.atomic
def provider_update(*, provider: ExternalProvider, actor: User, **fields: Any) -> ExternalProvider:
    changed = [name for name in PROVIDER_FIELDS if getattr(provider, name) != fields.get(name, "")]
    for name in changed:
        setattr(provider, name, fields.get(name, ""))
    provider.full_clean()
    provider.save(update_fields=[*changed, "updated_at"])
    audit_event_record(
        action="coordination.provider_updated",
        actor=actor,
        organization=provider.organization,
        subject=provider,
        extra={"fields": changed},
    )
    return provider


@transaction.atomic
def external_team_member_add(
    *,
    client: Client,
    provider: ExternalProvider,
    actor: User,
    role_on_case: str = "",
    started_on: date,
) -> ExternalTeamMember:
    """Put an external provider on the client's care team."""
    _same_organization(client.organization, provider)
    already = ExternalTeamMember.objects.filter(
        client=client, provider=provider, ended_on__isnull=True
    ).exists()
    if already:
        raise ValidationError({"provider": f"{provider.name} is already on the care team."})
    member = ExternalTeamMember(
        client=client, provider=provider, role_on_case=role_on_case, started_on=started_on
    )
    member.full_clean()
    member.save()
    audit_event_record(
        action="coordination.team_member_added",
        actor=actor,
        organization=client.organization,
        subject=member,
        client_id=client.public_id,
        extra={"provider_id": str(provider.public_id)},
    )
    return member


@transaction.atomic
def external_team_member_end(
    *, member: ExternalTeamMember, actor: User, ended_on: date
) -> ExternalTeamMember:
    if ended_on < member.started_on:
        raise ValidationError({"ended_on": "The end date is before the start date."})
    member.ended_on = ended_on
    member.save(update_fields=["ended_on", "updated_at"])
    audit_event_record(
        action="coordination.team_member_ended",
        actor=actor,
        organization=member.client.organization,
        subject=member,
        client_id=member.client.public_id,
    )
    return member


@transaction.atomic
def consent_record(
    *,
    client: Client,
    actor: User,
    signer: str,
    signer_name: str,
    recipient_kind: str,
    provider: ExternalProvider | None,
    recipient_name: str,
    direction: str,
    categories: list[str],
    purpose: str,
    effective_on: date,
    expires_on: date | None,
    expiry_event: str,
    signature_method: str,
    typed_signature: str,
    signed_on: date,
    signature_scan: UploadedFile | None = None,
) -> Consent:
    """Record a signed release of information. It cannot be changed afterwards, only revoked.

    Psychotherapy notes need an authorization of their own that covers nothing else
    (45 CFR 164.508(b)(3)(ii)); a signature is a typed name or a scan of the signed form.
    """
    _same_organization(client.organization, provider)
    errors: dict[str, list[str]] = {}
    if InformationCategory.PSYCHOTHERAPY_NOTES in categories and len(categories) > 1:
        errors.setdefault("categories", []).append(
            "Psychotherapy notes need a separate consent that covers nothing else."
        )
    if expires_on is None and not expiry_event.strip():
        errors.setdefault("expires_on", []).append(
            "Give an expiry date or an expiry event (45 CFR 164.508(c)(1)(v))."
        )
    if signature_method == Consent.SignatureMethod.TYPED and not typed_signature.strip():
        errors.setdefault("typed_signature", []).append("Type the signer's name as signed.")
    if signature_method == Consent.SignatureMethod.SCAN and signature_scan is None:
        errors.setdefault("signature_scan", []).append("Upload the scan of the signed form.")
    if recipient_kind == Consent.RecipientKind.PROVIDER and provider is None:
        errors.setdefault("provider", []).append("Choose the provider.")
    if (
        recipient_kind in {Consent.RecipientKind.ORGANIZATION, Consent.RecipientKind.PERSON}
        and not recipient_name.strip()
    ):
        errors.setdefault("recipient_name", []).append("Name the recipient.")
    if signed_on > organization_today(client.organization):
        errors.setdefault("signed_on", []).append("The signature date is in the future.")
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        client=client,
        signer=signer,
        signer_name=signer_name.strip(),
        recipient_kind=recipient_kind,
        provider=provider if recipient_kind == Consent.RecipientKind.PROVIDER else None,
        recipient_name=recipient_name.strip()
        if recipient_kind in {Consent.RecipientKind.ORGANIZATION, Consent.RecipientKind.PERSON}
        else "",
        direction=direction,
        categories=[value for value in InformationCategory.values if value in categories],
        purpose=purpose.strip(),
        effective_on=effective_on,
        expires_on=expires_on,
        expiry_event=expiry_event.strip(),
        signature_method=signature_method,
        typed_signature=typed_signature.strip()
        if signature_method == Consent.SignatureMethod.TYPED
        else "",
        signed_on=signed_on,
        recorded_by=actor,
    )
    if signature_method == Consent.SignatureMethod.SCAN and signature_scan is not None:
        consent.signature_scan = signature_scan
    consent.full_clean()
    if signature_method == Consent.SignatureMethod.SCAN and signature_scan is not None:
        # Stored under a random name: the client's name never reaches the storage path.
        extension = (signature_scan.name or "scan.pdf").rsplit(".", 1)[-1].lower()
        consent.signature_scan.save(f"{consent.public_id}.{extension}", signature_scan, save=False)
    consent.save()
    audit_event_record(
        action="coordination.consent_recorded",
        actor=actor,
        organization=client.organization,
        subject=consent,
        client_id=client.public_id,
        extra={"consent_id": str(consent.public_id), "categories": consent.categories},
    )
    return consent


@transaction.atomic
def consent_revoke(
    *, consent: Consent, actor: User, revoked_on: date, received_by: str
) -> ConsentRevocation:
    """Record the client's revocation; the consent stops covering anything from that day."""
    organization = consent.client.organization
    if consent.revocation_or_none() is not None:
        raise ValidationError("This consent was already revoked.")
    if revoked_on > organization_today(organization):
        raise ValidationError({"revoked_on": "A revocation cannot be dated in the future."})
    revocation = ConsentRevocation(
        consent=consent, revoked_on=revoked_on, received_by=received_by, recorded_by=actor
    )
    revocation.full_clean()
    revocation.save()
    audit_event_record(
        action="coordination.consent_revoked",
        actor=actor,
        organization=organization,
        subject=consent,
        client_id=consent.client.public_id,
        extra={"consent_id": str(consent.public_id), "revoked_on": revoked_on.isoformat()},
    )
    return revocation


def _missing_message(category: InformationCategory, recipient: str, day: date) -> str:
    return f"No active consent covers '{category.label}' for {recipient} on {day:%Y-%m-%d}."


def _store_packet(disclosure: Disclosure, html: str, bundle_json: str) -> None:
    # Stored under the disclosure's random id: no client name in any storage path.
    name = str(disclosure.public_id)
    disclosure.packet_html.save(f"{name}.html", ContentFile(html.encode()), save=False)
    disclosure.fhir_bundle.save(f"{name}.json", ContentFile(bundle_json.encode()), save=False)


@transaction.atomic
def disclosure_release(
    *,
    client: Client,
    actor: User,
    recipient_kind: str,
    provider: ExternalProvider | None,
    recipient_name: str,
    categories: list[str],
    records_from: date | None,
    records_to: date | None,
    purpose: str,
    delivery: str,
) -> Disclosure:
    """Release a records packet, or refuse naming every category no consent covers.

    The packet is allowed only when, on today's date in the organization, active consents
    for this recipient cover every chosen category. The PDF and the FHIR Bundle are built
    and kept, the disclosure is recorded for the accounting, and the audit row carries
    the ids of the consents used.
    """
    _same_organization(client.organization, provider)
    if not categories:
        raise ValidationError({"categories": "Choose at least one category of information."})
    if records_from and records_to and records_from > records_to:
        raise ValidationError({"records_to": "The end of the range is before its start."})
    today = organization_today(client.organization)
    if recipient_kind == Consent.RecipientKind.PROVIDER and provider is not None:
        label = provider.name
    else:
        label = recipient_name
    coverage = consent_coverage(
        client,
        recipient_kind=recipient_kind,
        provider=provider,
        recipient_name=recipient_name,
        categories=categories,
        day=today,
    )
    if coverage.missing:
        raise ValidationError(
            {
                "categories": [
                    _missing_message(category, label, today) for category in coverage.missing
                ]
            }
        )
    released_at = timezone.now()
    packet = packet_assemble(
        client=client,
        title="Records released with the client's authorization",
        categories=categories,
        recipient=label,
        purpose=purpose,
        records_from=records_from,
        records_to=records_to,
        consents=coverage.consents,
        released_at=released_at,
        released_by=actor.display_name,
    )
    disclosure = Disclosure(
        client=client,
        kind=Disclosure.Kind.PACKET,
        recipient_kind=recipient_kind,
        provider=provider if recipient_kind == Consent.RecipientKind.PROVIDER else None,
        recipient_name=label,
        categories=[section.category.value for section in packet.sections],
        records_from=records_from,
        records_to=records_to,
        purpose=purpose.strip(),
        delivery=delivery,
        released_by=actor,
        released_at=released_at,
        includes_part2=packet.includes_part2,
    )
    _store_packet(disclosure, packet.html(), packet.bundle_json())
    disclosure.full_clean()
    disclosure.save()
    disclosure.consents.set(coverage.consents)
    audit_event_record(
        action="coordination.disclosed",
        actor=actor,
        organization=client.organization,
        subject=disclosure,
        client_id=client.public_id,
        extra={
            "consent_ids": [str(consent.public_id) for consent in coverage.consents],
            "categories": disclosure.categories,
            "delivery": delivery,
        },
    )
    return disclosure


@transaction.atomic
def client_copy_release(*, client: Client, actor: User, delivery: str) -> Disclosure:
    """The client's own copy of their designated record set (45 CFR 164.524).

    Everything Tend keeps about the client except psychotherapy notes, which the right of
    access excludes (45 CFR 164.524(a)(1)(i)). No consent is needed.
    """
    categories = [
        value
        for value in InformationCategory.values
        if value != InformationCategory.PSYCHOTHERAPY_NOTES
    ]
    released_at = timezone.now()
    packet = packet_assemble(
        client=client,
        title="Your records (designated record set)",
        categories=categories,
        recipient=client.legal_name,
        purpose="At the request of the individual",
        records_from=None,
        records_to=None,
        consents=[],
        released_at=released_at,
        released_by=actor.display_name,
    )
    disclosure = Disclosure(
        client=client,
        kind=Disclosure.Kind.CLIENT_COPY,
        recipient_kind=Consent.RecipientKind.CLIENT,
        recipient_name=client.legal_name,
        categories=categories,
        purpose="At the request of the individual",
        delivery=delivery,
        released_by=actor,
        released_at=released_at,
        includes_part2=packet.includes_part2,
    )
    _store_packet(disclosure, packet.html(), packet.bundle_json())
    disclosure.full_clean()
    disclosure.save()
    audit_event_record(
        action="coordination.client_copy_released",
        actor=actor,
        organization=client.organization,
        subject=disclosure,
        client_id=client.public_id,
        extra={"consent_ids": [], "categories": categories, "delivery": delivery},
    )
    return disclosure


def _set_tags(resource: CommunityResource, categories: list[str]) -> None:
    CommunityResourceTag.objects.filter(resource=resource).exclude(category__in=categories).delete()
    existing = set(
        CommunityResourceTag.objects.filter(resource=resource).values_list("category", flat=True)
    )
    CommunityResourceTag.objects.bulk_create(
        [
            CommunityResourceTag(resource=resource, category=category)
            for category in categories
            if category not in existing
        ]
    )


@transaction.atomic
def resource_create(
    *, organization: Organization, actor: User | None, categories: list[str], **fields: Any
) -> CommunityResource:
    """Add a community resource to the organization's directory."""
    if not categories:
        raise ValidationError({"categories": "Choose at least one category."})
    resource = CommunityResource(
        organization=organization,
        **{name: fields[name] for name in RESOURCE_FIELDS if name in fields},
    )
    resource.full_clean()
    resource.save()
    _set_tags(resource, categories)
    audit_event_record(
        action="coordination.resource_created",
        actor=actor,
        organization=organization,
        subject=resource,
        extra={"categories": sorted(categories)},
    )
    return resource


@transaction.atomic
def resource_update(
    *, resource: CommunityResource, actor: User, categories: list[str], **fields: Any
) -> CommunityResource:
    if not categories:
        raise ValidationError({"categories": "Choose at least one category."})
    changed = [
        name
        for name in RESOURCE_FIELDS
        if name in fields and getattr(resource, name) != fields[name]
    ]
    for name in changed:
        setattr(resource, name, fields[name])
    resource.full_clean()
    resource.save(update_fields=[*changed, "updated_at"])
    _set_tags(resource, categories)
    audit_event_record(
        action="coordination.resource_updated",
        actor=actor,
        organization=resource.organization,
        subject=resource,
        extra={"fields": changed, "categories": sorted(categories)},
    )
    return resource


@transaction.atomic
def referral_create(
    *,
    client: Client,
    actor: User,
    kind: str,
    resource: CommunityResource | None,
    provider: ExternalProvider | None,
    reason: str,
    urgency: str,
    consent: Consent | None,
    follow_up_on: date,
    status: str = Referral.Status.DRAFT,
) -> Referral:
    """Refer the client to a community resource or an external provider.

    A referral that leaves as anything but a draft sends client information, so it
    must cite a consent that is active today (45 CFR 164.508).
    """
    _same_organization(client.organization, resource, provider)
    if (resource is None) == (provider is None):
        raise ValidationError({"resource": "Refer to either a resource or a provider."})
    if consent is not None and consent.client_id != client.pk:
        raise ValidationError({"consent": "That consent belongs to another client."})
    today = organization_today(client.organization)
    if consent is not None and not consent.is_active_on(today):
        raise ValidationError({"consent": "That consent is not active today."})
    if status == Referral.Status.CLOSED:
        raise ValidationError({"status": "Close a referral after recording its outcome."})
    referral = Referral(
        client=client,
        kind=kind,
        resource=resource,
        provider=provider,
        reason=reason.strip(),
        urgency=urgency,
        consent=consent,
        follow_up_on=follow_up_on,
        status=status,
        referred_by=actor,
    )
    referral.full_clean()
    referral.save()
    audit_event_record(
        action="coordination.referral_created",
        actor=actor,
        organization=client.organization,
        subject=referral,
        client_id=client.public_id,
        extra={
            "status": status,
            "consent_id": str(consent.public_id) if consent is not None else None,
        },
    )
    return referral


@transaction.atomic
def referral_update(
    *,
    referral: Referral,
    actor: User,
    status: str,
    follow_up_on: date,
    outcome: str,
) -> Referral:
    """Move a referral along. Closing it needs the outcome (closing the loop)."""
    if referral.status == Referral.Status.CLOSED:
        raise ValidationError("This referral is closed.")
    outcome = outcome.strip()
    if status == Referral.Status.CLOSED and not outcome:
        raise ValidationError({"outcome": "Record the outcome before closing the referral."})
    previous = referral.status
    referral.status = status
    referral.follow_up_on = follow_up_on
    referral.outcome = outcome
    if status == Referral.Status.CLOSED:
        referral.closed_on = organization_today(referral.client.organization)
    referral.full_clean()
    referral.save(update_fields=["status", "follow_up_on", "outcome", "closed_on", "updated_at"])
    audit_event_record(
        action="coordination.referral_closed"
        if status == Referral.Status.CLOSED
        else "coordination.referral_updated",
        actor=actor,
        organization=referral.client.organization,
        subject=referral,
        client_id=referral.client.public_id,
        extra={"status": status, "previous_status": previous},
    )
    return referral


@transaction.atomic
def contact_record(
    *,
    client: Client,
    actor: User,
    provider: ExternalProvider | None,
    contact_name: str,
    method: str,
    occurred_on: date,
    minutes: int | None,
    summary: str,
) -> CollateralContact:
    """Note a collateral contact about the client on the chart."""
    _same_organization(client.organization, provider)
    if occurred_on > organization_today(client.organization):
        raise ValidationError({"occurred_on": "This date is in the future."})
    contact = CollateralContact(
        client=client,
        provider=provider,
        contact_name=contact_name.strip() or (provider.name if provider else ""),
        method=method,
        occurred_on=occurred_on,
        minutes=minutes,
        summary=summary.strip(),
        author=actor,
    )
    contact.full_clean()
    contact.save()
    audit_event_record(
        action="coordination.contact_recorded",
        actor=actor,
        organization=client.organization,
        subject=contact,
        client_id=client.public_id,
    )
    return contact
