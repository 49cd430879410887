"""Reads of people and organizations, always scoped to what the caller may see."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from tend.accounts.models import Invitation, Membership, Organization, PersonalAccessToken, User
from tend.core.permissions import Role


@dataclass(frozen=True)
class Member:
    user: User
    roles: list[str]

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles]


def organization_members(organization: Organization) -> list[Member]:
    """Everyone in the organization with their roles, in one query."""
    roles: dict[int, list[str]] = defaultdict(list)
    users: dict[int, User] = {}
    memberships = (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__display_name", "role")
    )
    for membership in memberships:
        users[membership.user_id] = membership.user
        roles[membership.user_id].append(membership.role)
    return [Member(user=users[pk], roles=roles[pk]) for pk in users]


def organization_member(organization: Organization, user_public_id: uuid.UUID) -> Member | None:
    memberships = list(
        Membership.objects.filter(
            organization=organization, user__public_id=user_public_id
        ).select_related("user")
    )
    if not memberships:
        return None
    return Member(user=memberships[0].user, roles=sorted(m.role for m in memberships))


def open_invitations(organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def access_tokens_for(user: User, organization: Organization) -> QuerySet[PersonalAccessToken]:
    return PersonalAccessToken.objects.filter(user=user, organization=organization)
