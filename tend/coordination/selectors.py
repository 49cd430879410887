"""Reads for care coordination, always scoped to one organization or one client."""

from __future__ import annotations

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.clients.models import CareTeamMember, Client
from tend.coordination.models import (
    CollateralContact,
    CommunityResource,
    CommunityResourceTag,
    Consent,
    Disclosure,
    ExternalProvider,
    ExternalTeamMember,
    InformationCategory,
    Referral,
    recipient_key,
)


def organization_today(organization: Organization) -> date:
    """Today's date where the organization works (consents run by calendar days)."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(organization.timezone))


def providers_of(organization: Organization) -> QuerySet[ExternalProvider]:
    return ExternalProvider.objects.filter(organization=organization)


def _resources_matching(organization: Organization, text: str) -> QuerySet[CommunityResource]:
    resources = CommunityResource.objects.filter(organization=organization)
    if text:
        resources = resources.filter(
            Q(name__icontains=text)
            | Q(services__icontains=text)
            | Q(eligibility__icontains=text)
            | Q(languages__icontains=text)
            | Q(city__icontains=text)
        )
    return resources


def resources_search(
    organization: Organization, *, text: str = "", category: str = "", telehealth: bool = False
) -> QuerySet[CommunityResource]:
    """The directory, filtered; tags are prefetched so a page costs two queries."""
    resources = _resources_matching(organization, text)
    if category:
        resources = resources.filter(
            id__in=CommunityResourceTag.objects.filter(category=category).values("resource_id")
        )
    if telehealth:
        resources = resources.filter(offers_telehealth=True)
    return resources.prefetch_related("tags")


def resource_choices(
    organization: Organization, text: str, *, limit: int
) -> list[CommunityResource]:
    """The first `limit` resources by name matching `text` (any, when it is empty), with
    their names only, for a picker: one query however large the directory."""
    return list(_resources_matching(organization, text).only("public_id", "name")[:limit])


def directory_resource(organization: Organization, resource_id: str) -> CommunityResource | None:
    """The organization's resource with this public id, or None for anything else, a
    malformed id included (one query at most)."""
    try:
        public_id = uuid.UUID(resource_id)
    except ValueError:
        return None
    return CommunityResource.objects.filter(organization=organization, public_id=public_id).first()


@dataclass(frozen=True)
class CareTeam:
    internal: list[CareTeamMember]
    primary_clinician: User | None
    external: list[ExternalTeamMember]


def external_team_of(client: Client, today: date) -> list[ExternalTeamMember]:
    """The external providers on the case today, by name (one query)."""
    return list(
        ExternalTeamMember.objects.filter(client=client, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("provider")
    )


def care_team_of(client: Client, today: date) -> CareTeam:
    """Who is on the case today: the primary clinician, colleagues, external providers."""
    internal = list(
        CareTeamMember.objects.filter(CareTeamMember.on_team_on(today), client=client)
        .select_related("user")
        .order_by("user__display_name")
    )
    return CareTeam(
        internal=internal,
        primary_clinician=client.primary_clinician,
        external=external_team_of(client, today),
    )


def consents_of(client: Client) -> QuerySet[Consent]:
    """Newest first (the newest recorded first among those taking effect the same day)."""
    return (
        Consent.objects.filter(client=client)
        .select_related("provider", "revocation", "recorded_by")
        .order_by("-effective_on", "-created_at", "-pk")
    )


@dataclass(frozen=True)
class Coverage:
    consents: list[Consent]
    missing: list[InformationCategory]


def consent_coverage(
    client: Client,
    *,
    recipient_kind: str,
    provider: ExternalProvider | None,
    recipient_name: str,
    categories: list[str],
    day: date,
) -> Coverage:
    """Which of `categories` active consents let us disclose to the recipient on `day`.

    Returns the consents that cover at least one chosen category and the categories no
    active consent covers. Only consents that allow disclosing (not only obtaining) count.
    """
    wanted = recipient_key(recipient_kind, provider.pk if provider else None, recipient_name)
    active = [
        consent
        for consent in consents_of(client)
        if consent.recipient_key == wanted
        and consent.direction != Consent.Direction.OBTAIN
        and consent.is_active_on(day)
    ]
    used: list[Consent] = []
    missing: list[InformationCategory] = []
    for value in InformationCategory.values:
        if value not in categories:
            continue
        covering = [consent for consent in active if _covers(consent, value)]
        if not covering:
            missing.append(InformationCategory(value))
        for consent in covering:
            if consent not in used:
                used.append(consent)
    return Coverage(consents=used, missing=missing)


def _covers(consent: Consent, category: str) -> bool:
    """Psychotherapy notes count only under an authorization that covers nothing else
    (45 CFR 164.508(b)(3)(ii)), checked here at share time whatever created the consent."""
    if category == InformationCategory.PSYCHOTHERAPY_NOTES:
        return consent.categories == [category]
    return category in consent.categories


def disclosures_of(client: Client) -> QuerySet[Disclosure]:
    return (
        Disclosure.objects.filter(client=client)
        .select_related("released_by", "provider")
        .prefetch_related(Prefetch("consents", queryset=Consent.objects.only("public_id")))
    )


def referrals_of(client: Client) -> QuerySet[Referral]:
    """Newest first."""
    return (
        Referral.objects.filter(client=client)
        .select_related("resource", "provider", "referred_by", "consent")
        .order_by("-created_at", "-pk")
    )


def overdue_referrals_for(user: User, organization: Organization, today: date) -> list[Referral]:
    """Open referrals the user made whose follow-up date has passed (oldest first)."""
    return list(
        Referral.objects.filter(
            referred_by=user,
            client__organization=organization,
            follow_up_on__lt=today,
        )
        .exclude(status=Referral.Status.CLOSED)
        .select_related("client", "resource", "provider")
        .order_by("follow_up_on")[:20]
    )


def contacts_of(client: Client) -> QuerySet[CollateralContact]:
    """Newest first (the newest recorded first among those of the same day)."""
    return (
        CollateralContact.objects.filter(client=client)
        .select_related("author", "provider")
        .order_by("-occurred_on", "-created_at", "-pk")
    )
