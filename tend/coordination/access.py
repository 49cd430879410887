"""The door to care-coordination objects: fetch for the acting user, or refuse.

Directory entries (providers, resources) belong to an organization. Client-linked
records (consents, disclosures, referrals) are reached through the client's own door,
`tend.clients.access.client_for_user`, so the caseload rules are never restated here.
Outside the user's organizations an object does not exist (404); inside, 403.
"""

from __future__ import annotations

import uuid

from django.http import Http404

from tend.accounts.models import User
from tend.clients.access import ClientAccess, client_for_user
from tend.coordination.models import (
    CommunityResource,
    Consent,
    Disclosure,
    ExternalProvider,
    Referral,
)
from tend.core.tenancy import Tenancy


def provider_for_user(tenancy: Tenancy, provider_id: uuid.UUID) -> ExternalProvider:
    provider = ExternalProvider.objects.filter(
        public_id=provider_id, organization=tenancy.current
    ).first()
    if provider is None:
        raise Http404
    return provider


def resource_for_user(tenancy: Tenancy, resource_id: uuid.UUID) -> CommunityResource:
    resource = (
        CommunityResource.objects.filter(public_id=resource_id, organization=tenancy.current)
        .prefetch_related("tags")
        .first()
    )
    if resource is None:
        raise Http404
    return resource


def consent_for_user(
    tenancy: Tenancy, user: User, consent_id: uuid.UUID
) -> tuple[Consent, ClientAccess]:
    """A consent and the user's access to its client (demographic-level access suffices:
    front desk records and revokes consent forms)."""
    consent = (
        Consent.objects.select_related("provider", "revocation", "recorded_by", "client")
        .filter(public_id=consent_id, client__organization__in=tenancy.organizations)
        .first()
    )
    if consent is None:
        raise Http404
    access = client_for_user(tenancy, user, consent.client.public_id)
    return consent, access


def disclosure_for_user(
    tenancy: Tenancy, user: User, disclosure_id: uuid.UUID
) -> tuple[Disclosure, ClientAccess]:
    """A disclosure, for someone with clinical access to the client."""
    disclosure = (
        Disclosure.objects.select_related("released_by", "provider", "client")
        .prefetch_related("consents")
        .filter(public_id=disclosure_id, client__organization__in=tenancy.organizations)
        .first()
    )
    if disclosure is None:
        raise Http404
    access = client_for_user(tenancy, user, disclosure.client.public_id, clinical=True)
    return disclosure, access


def referral_for_user(
    tenancy: Tenancy, user: User, referral_id: uuid.UUID, *, write: bool = False
) -> tuple[Referral, ClientAccess]:
    referral = (
        Referral.objects.select_related("resource", "provider", "consent", "client", "referred_by")
        .filter(public_id=referral_id, client__organization__in=tenancy.organizations)
        .first()
    )
    if referral is None:
        raise Http404
    access = client_for_user(tenancy, user, referral.client.public_id, clinical=True, write=write)
    return referral, access
