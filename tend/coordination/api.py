"""The coordination API: the provider directory, a client's care team, consents,
referrals (read, and moved along through the same service as the pages) and the
accounting of disclosures. Every client record is reached through the client's door."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from ninja import Router

from tend.audit.services import audit_read_record
from tend.clients.access import ClientAccess, client_for_user
from tend.coordination import selectors, services
from tend.coordination.access import provider_for_user, referral_for_user
from tend.coordination.models import Consent, Disclosure, ExternalProvider, Referral
from tend.coordination.schemas import (
    CareTeamOut,
    ClinicianOut,
    ConsentOut,
    DisclosureOut,
    ExternalMemberOut,
    InternalMemberOut,
    ProviderOut,
    ReferralOut,
    ReferralUpdateIn,
)
from tend.core.api import requires
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest

router = Router(tags=["coordination"])


def _provider_out(provider: ExternalProvider) -> ProviderOut:
    return ProviderOut(
        id=provider.public_id,
        name=provider.name,
        role=provider.role,
        practice=provider.practice,
        npi=provider.npi,
        phone=provider.phone,
        fax=provider.fax,
        secure_email=provider.secure_email,
        address=provider.address,
    )


def _audited_client(
    request: MemberRequest, client_id: uuid.UUID, *, action: str, clinical: bool = True
) -> ClientAccess:
    access = client_for_user(request.tenancy, request.user, client_id, clinical=clinical)
    audit_read_record(
        request,
        action=action,
        subject=access.client,
        organization=access.client.organization,
        client_id=access.client.public_id,
    )
    return access


@router.get("/providers", response=list[ProviderOut])
@requires(Capability.RECORD_CONSENT_FORMS)
def list_providers(request: MemberRequest) -> list[ProviderOut]:
    """The organization's directory of external providers, by name."""
    return [_provider_out(p) for p in selectors.providers_of(request.organization)]


@router.get("/providers/{provider_id}", response=ProviderOut)
@requires(Capability.RECORD_CONSENT_FORMS)
def get_provider(request: MemberRequest, provider_id: uuid.UUID) -> ProviderOut:
    return _provider_out(provider_for_user(request.tenancy, provider_id))


@router.get("/clients/{client_id}/care-team", response=CareTeamOut)
@requires(Capability.VIEW_CLINICAL)
def care_team(request: MemberRequest, client_id: uuid.UUID) -> CareTeamOut:
    """Who is on the case today: primary clinician, colleagues, external providers."""
    access = _audited_client(request, client_id, action="coordination.viewed")
    team = selectors.care_team_of(
        access.client, selectors.organization_today(access.client.organization)
    )
    primary = team.primary_clinician
    return CareTeamOut(
        primary_clinician=ClinicianOut(id=primary.public_id, name=primary.display_name)
        if primary is not None
        else None,
        internal=[
            InternalMemberOut(
                clinician=ClinicianOut(id=member.user.public_id, name=member.user.display_name),
                role=member.role,
                started_on=member.started_on,
            )
            for member in team.internal
        ],
        external=[
            ExternalMemberOut(
                provider_id=member.provider.public_id,
                name=member.provider.name,
                provider_role=member.provider.role,
                role_on_case=member.role_on_case,
                started_on=member.started_on,
            )
            for member in team.external
        ],
    )


def _consent_out(consent: Consent, status: str) -> ConsentOut:
    revocation = consent.revocation_or_none()
    return ConsentOut(
        id=consent.public_id,
        status=status,
        signer=consent.signer,
        signer_name=consent.signer_name,
        recipient_kind=consent.recipient_kind,
        recipient=consent.recipient_label,
        provider_id=consent.provider.public_id if consent.provider is not None else None,
        direction=consent.direction,
        categories=consent.categories,
        purpose=consent.purpose,
        effective_on=consent.effective_on,
        expires_on=consent.expires_on,
        expiry_event=consent.expiry_event,
        signed_on=consent.signed_on,
        signature_method=consent.signature_method,
        revoked_on=revocation.revoked_on if revocation is not None else None,
    )


@router.get("/clients/{client_id}/consents", response=list[ConsentOut])
@requires(Capability.RECORD_CONSENT_FORMS)
def list_consents(request: MemberRequest, client_id: uuid.UUID) -> list[ConsentOut]:
    """The client's releases of information, newest first, with today's status. Front
    desk reads them too: it records the signed forms."""
    access = _audited_client(request, client_id, action="coordination.viewed", clinical=False)
    today = selectors.organization_today(access.client.organization)
    return [
        _consent_out(consent, consent.status_on(today))
        for consent in selectors.consents_of(access.client)
    ]


def _referral_out(referral: Referral, client_id: uuid.UUID) -> ReferralOut:
    return ReferralOut(
        id=referral.public_id,
        client_id=client_id,
        kind=referral.kind,
        resource_id=referral.resource.public_id if referral.resource is not None else None,
        provider_id=referral.provider.public_id if referral.provider is not None else None,
        referred_to=referral.target_name,
        reason=referral.reason,
        urgency=referral.urgency,
        consent_id=referral.consent.public_id if referral.consent is not None else None,
        status=referral.status,
        follow_up_on=referral.follow_up_on,
        outcome=referral.outcome,
        referred_by=referral.referred_by.display_name,
        created_at=referral.created_at,
        closed_on=referral.closed_on,
    )


@router.get("/clients/{client_id}/referrals", response=list[ReferralOut])
@requires(Capability.VIEW_CLINICAL)
def list_referrals(request: MemberRequest, client_id: uuid.UUID) -> list[ReferralOut]:
    """The client's referrals, newest first."""
    access = _audited_client(request, client_id, action="coordination.viewed")
    client = access.client
    return [
        _referral_out(referral, client.public_id) for referral in selectors.referrals_of(client)
    ]


@router.get("/referrals/{referral_id}", response=ReferralOut)
@requires(Capability.VIEW_CLINICAL)
def get_referral(request: MemberRequest, referral_id: uuid.UUID) -> ReferralOut:
    found, access = referral_for_user(request.tenancy, request.user, referral_id)
    audit_read_record(
        request,
        action="coordination.viewed",
        subject=found,
        organization=access.client.organization,
        client_id=access.client.public_id,
    )
    return _referral_out(found, access.client.public_id)


@router.patch("/referrals/{referral_id}", response=ReferralOut)
@requires(Capability.WRITE_CLINICAL)
def update_referral(
    request: MemberRequest, referral_id: uuid.UUID, payload: ReferralUpdateIn
) -> ReferralOut:
    """Move a referral along (status, follow-up date, outcome); closing it needs the
    outcome. Fields left out keep their value."""
    found, access = referral_for_user(request.tenancy, request.user, referral_id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    if not changes:
        raise ValidationError("Give the status, follow-up date or outcome to change.")
    updated = services.referral_update(
        referral=found,
        actor=request.user,
        status=changes.get("status") or found.status,
        follow_up_on=changes.get("follow_up_on") or found.follow_up_on,
        outcome=changes["outcome"] if changes.get("outcome") is not None else found.outcome,
    )
    return _referral_out(updated, access.client.public_id)


def _disclosure_out(disclosure: Disclosure) -> DisclosureOut:
    return DisclosureOut(
        id=disclosure.public_id,
        kind=disclosure.kind,
        recipient_kind=disclosure.recipient_kind,
        recipient_name=disclosure.recipient_name,
        provider_id=disclosure.provider.public_id if disclosure.provider is not None else None,
        consent_ids=[consent.public_id for consent in disclosure.consents.all()],
        categories=disclosure.categories,
        records_from=disclosure.records_from,
        records_to=disclosure.records_to,
        purpose=disclosure.purpose,
        delivery=disclosure.delivery,
        released_by=disclosure.released_by.display_name,
        released_at=disclosure.released_at,
        includes_part2=disclosure.includes_part2,
    )


@router.get("/clients/{client_id}/disclosures", response=list[DisclosureOut])
@requires(Capability.DISCLOSE_RECORDS)
def accounting(request: MemberRequest, client_id: uuid.UUID) -> list[DisclosureOut]:
    """The accounting of disclosures for the client, newest first (the read is audited)."""
    access = _audited_client(request, client_id, action="coordination.accounting_viewed")
    return [_disclosure_out(disclosure) for disclosure in selectors.disclosures_of(access.client)]
