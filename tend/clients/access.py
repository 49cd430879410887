"""The one door to client records.

A client is visible to:
- people holding VIEW_DEMOGRAPHICS in its organization (front desk, billing, owners,
  admins): demographics and scheduling fields only, never clinical narrative;
- clinical roles (VIEW_CLINICAL) for clients on their caseload: primary clinician, an
  active care-team member, the active supervisor of either, or a live break-the-glass
  grant. Clinical access includes the demographics.

Outside the organization a client does not exist (404); inside it, a person without the
right gets 403.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.clients.models import BreakGlassGrant, CareTeamMember, CaseGroup, Client, Episode
from tend.core.permissions import Capability
from tend.core.tenancy import Tenancy
from tend.supervision.selectors import active_supervisee_ids


@dataclass(frozen=True)
class ClientAccess:
    """A client together with what the acting user may do with it."""

    client: Client
    can_view_clinical: bool
    can_write_clinical: bool
    can_edit_demographics: bool
    via_break_glass: bool


def _caseload_parts(user: User, organization: Organization) -> tuple[list[int], QuerySet[Any]]:
    """The clinicians whose caseload the user sees (self and active supervisees) and the
    ids of the clients they are on the care team of today."""
    today = timezone.localdate()
    clinicians = [user.pk, *active_supervisee_ids(user, organization, today)]
    on_team = CareTeamMember.objects.filter(
        CareTeamMember.on_team_on(today), user_id__in=clinicians
    ).values("client_id")
    return clinicians, on_team


def caseload_filter(user: User, organization: Organization) -> Q:
    """Clients on the user's caseload or on an active supervisee's (a Q on Client)."""
    clinicians, on_team = _caseload_parts(user, organization)
    return Q(primary_clinician_id__in=clinicians) | Q(id__in=on_team)


def _caseload_ids(user: User, organization: Organization) -> QuerySet[Any]:
    """The ids of `caseload_filter`'s clients as a UNION of two index lookups, so a list
    starts from the caseload instead of scanning every client of the organization."""
    clinicians, on_team = _caseload_parts(user, organization)
    primary = Client.objects.filter(
        organization=organization, primary_clinician_id__in=clinicians
    ).values("id")
    return primary.union(on_team)


def visible_clients(tenancy: Tenancy, user: User) -> QuerySet[Client]:
    """Every client the user may see in the current organization (for lists and search)."""
    organization = tenancy.current
    if organization is None:
        return Client.objects.none()
    clients = Client.objects.filter(organization=organization)
    capabilities = tenancy.capabilities_in(organization)
    if Capability.VIEW_DEMOGRAPHICS in capabilities:
        return clients
    if Capability.VIEW_CLINICAL in capabilities:
        return clients.filter(id__in=_caseload_ids(user, organization))
    return Client.objects.none()


def _has_live_grant(user: User, client: Client) -> bool:
    return BreakGlassGrant.objects.filter(
        user=user, client=client, expires_at__gt=timezone.now()
    ).exists()


def client_for_user(
    tenancy: Tenancy,
    user: User,
    client_id: uuid.UUID,
    *,
    clinical: bool = False,
    write: bool = False,
) -> ClientAccess:
    """Fetch a client for the acting user, or refuse.

    `clinical=True` asks for the clinical record (narrative, diagnoses, notes);
    `write=True` asks to change it (clinical) or the demographics (otherwise).
    Raises Http404 outside the user's organizations, PermissionDenied inside.
    """
    client = (
        Client.objects.select_related("organization", "primary_clinician")
        .filter(public_id=client_id, organization__in=tenancy.organizations)
        .first()
    )
    if client is None:
        raise Http404
    capabilities = tenancy.capabilities_in(client.organization)
    on_case = False
    via_break_glass = False
    if Capability.VIEW_CLINICAL in capabilities:
        # The primary clinician is on the case by definition: their own clients, the
        # common case, need no caseload query.
        on_case = client.primary_clinician_id == user.pk or (
            Client.objects.filter(pk=client.pk)
            .filter(caseload_filter(user, client.organization))
            .exists()
        )
        if not on_case and _has_live_grant(user, client):
            on_case = via_break_glass = True
    access = ClientAccess(
        client=client,
        can_view_clinical=on_case,
        can_write_clinical=on_case and Capability.WRITE_CLINICAL in capabilities,
        can_edit_demographics=Capability.EDIT_DEMOGRAPHICS in capabilities
        or (on_case and Capability.WRITE_CLINICAL in capabilities),
        via_break_glass=via_break_glass,
    )
    can_see = on_case or Capability.VIEW_DEMOGRAPHICS in capabilities
    if not can_see:
        raise PermissionDenied
    if clinical and not access.can_view_clinical:
        raise PermissionDenied
    if write and not (access.can_write_clinical if clinical else access.can_edit_demographics):
        raise PermissionDenied
    return access


def can_create_clients(tenancy: Tenancy) -> bool:
    """Front desk and admins register clients; clinicians take in their own."""
    return tenancy.can(Capability.EDIT_DEMOGRAPHICS) or tenancy.can(Capability.WRITE_CLINICAL)


def episode_for_user(
    tenancy: Tenancy, user: User, episode_id: uuid.UUID, *, write: bool = False
) -> tuple[Episode, ClientAccess]:
    """An episode of care with the access to its client; episodes are clinical records."""
    episode = (
        Episode.objects.filter(public_id=episode_id, client__organization__in=tenancy.organizations)
        .select_related("client")
        .first()
    )
    if episode is None:
        raise Http404
    access = client_for_user(tenancy, user, episode.client.public_id, clinical=True, write=write)
    return episode, access


def care_team_member_for_user(
    tenancy: Tenancy, user: User, member_id: uuid.UUID
) -> tuple[CareTeamMember, ClientAccess]:
    """A care-team membership, for someone who may change the client's case assignment."""
    member = (
        CareTeamMember.objects.filter(
            public_id=member_id, client__organization__in=tenancy.organizations
        )
        .select_related("client", "user")
        .first()
    )
    if member is None:
        raise Http404
    access = client_for_user(tenancy, user, member.client.public_id, write=True)
    return member, access


def case_group_for_user(tenancy: Tenancy, group_id: uuid.UUID) -> CaseGroup:
    """A couple or family group of one of the user's organizations (membership changes are
    authorized on the client being added or removed)."""
    group = CaseGroup.objects.filter(
        public_id=group_id, organization__in=tenancy.organizations
    ).first()
    if group is None:
        raise Http404
    return group


def client_for_break_glass(
    tenancy: Tenancy, user: User, client_id: uuid.UUID
) -> tuple[Client, bool]:
    """A client a clinician may request emergency access to, and whether they already have
    clinical access (then there is nothing to request).

    Only people holding clinical capabilities in the client's organization may break the
    glass; others get 403, outsiders 404.
    """
    client = (
        Client.objects.select_related("organization")
        .filter(public_id=client_id, organization__in=tenancy.organizations)
        .first()
    )
    if client is None:
        raise Http404
    if Capability.VIEW_CLINICAL not in tenancy.capabilities_in(client.organization):
        raise PermissionDenied
    on_case = (
        Client.objects.filter(pk=client.pk)
        .filter(caseload_filter(user, client.organization))
        .exists()
    ) or _has_live_grant(user, client)
    return client, on_case
