"""The door to supervision relationships and sessions: the two people in them, and the
organization's people managers for starting and ending relationships."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tend.accounts.models import User
from tend.core.permissions import Capability
from tend.core.tenancy import Tenancy
from tend.supervision.models import SupervisionRelationship, SupervisionSession


def relationship_for_supervisor(
    tenancy: Tenancy, user: User, relationship_id: uuid.UUID
) -> SupervisionRelationship:
    """The relationship if `user` is its in-house supervisor; 404 otherwise."""
    relationship = (
        SupervisionRelationship.objects.select_related("supervisor", "supervisee", "organization")
        .filter(public_id=relationship_id, organization=tenancy.current, supervisor=user)
        .first()
    )
    if relationship is None:
        raise Http404("No such supervision relationship.")
    return relationship


def relationship_for_manager(
    tenancy: Tenancy, user: User, relationship_id: uuid.UUID
) -> SupervisionRelationship:
    """A relationship of the current organization, for its supervisor or a people manager
    (404 outside the organization, 403 for anyone else in it)."""
    relationship = (
        SupervisionRelationship.objects.select_related("supervisor", "supervisee")
        .filter(public_id=relationship_id, organization=tenancy.current)
        .first()
    )
    if relationship is None:
        raise Http404("No such supervision relationship.")
    if relationship.supervisor_id != user.pk and not tenancy.can(Capability.MANAGE_MEMBERS):
        raise PermissionDenied
    return relationship


def session_for_party(tenancy: Tenancy, user: User, session_id: uuid.UUID) -> SupervisionSession:
    """A session of the current organization for its supervisor or supervisee; 404 else."""
    session = (
        SupervisionSession.objects.select_related("relationship")
        .filter(public_id=session_id, organization=tenancy.current)
        .first()
    )
    if session is None or user.pk not in {
        session.relationship.supervisor_id,
        session.relationship.supervisee_id,
    }:
        raise Http404("No such supervision session.")
    return session
