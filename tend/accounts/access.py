"""The door to account objects: fetch for a user, or refuse (404 outside, 403 inside)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tend.accounts.models import Invitation, PersonalAccessToken, User
from tend.accounts.selectors import Member, organization_member
from tend.core.permissions import Capability
from tend.core.tenancy import Tenancy


def invitation_for_user(tenancy: Tenancy, invitation_id: uuid.UUID) -> Invitation:
    """An invitation of an organization the user belongs to and may manage people in."""
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(public_id=invitation_id, organization__in=tenancy.organizations)
        .first()
    )
    if invitation is None:
        raise Http404
    if Capability.MANAGE_MEMBERS not in tenancy.capabilities_in(invitation.organization):
        raise PermissionDenied
    return invitation


def member_for_user(tenancy: Tenancy, user_id: uuid.UUID, *, write: bool = False) -> Member:
    """A member of the current organization, seen by a colleague."""
    if tenancy.current is None:
        raise Http404
    member = organization_member(tenancy.current, user_id)
    if member is None:
        raise Http404
    needed = Capability.MANAGE_MEMBERS if write else Capability.VIEW_MEMBERS
    if not tenancy.can(needed):
        raise PermissionDenied
    return member


def access_token_for_user(user: User, token_id: uuid.UUID) -> PersonalAccessToken:
    """One of the user's own tokens; anyone else's is not found."""
    token = (
        PersonalAccessToken.objects.select_related("organization")
        .filter(public_id=token_id, user=user)
        .first()
    )
    if token is None:
        raise Http404
    return token
