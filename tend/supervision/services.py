"""Changes to supervision relationships (the full supervision feature comes later)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from tend.accounts.models import Membership, Organization, User
from tend.audit.services import audit_event_record
from tend.core.permissions import Role
from tend.supervision.models import SupervisionRelationship


@transaction.atomic
def supervision_relationship_start(
    *,
    organization: Organization,
    actor: User,
    supervisor: User,
    supervisee: User,
    started_on: date,
    format: str = SupervisionRelationship.Format.INDIVIDUAL,
) -> SupervisionRelationship:
    """Start supervising: the supervisor then sees what the supervisee sees.

    The supervisor must hold the supervisor role in the organization, the supervisee a
    clinical role there, and an active relationship between the two must not exist yet.
    """
    roles = dict.fromkeys(("supervisor", "supervisee"), False)
    memberships = Membership.objects.filter(
        organization=organization, user__in=[supervisor, supervisee]
    ).values_list("user_id", "role")
    for user_id, role in memberships:
        if user_id == supervisor.pk and role == Role.SUPERVISOR:
            roles["supervisor"] = True
        if user_id == supervisee.pk and role in {Role.CLINICIAN, Role.ASSOCIATE}:
            roles["supervisee"] = True
    errors = {}
    if not roles["supervisor"]:
        errors["supervisor"] = "Choose a clinical supervisor of this organization."
    if not roles["supervisee"]:
        errors["supervisee"] = "Choose a clinician or associate of this organization."
    if errors:
        raise ValidationError(errors)
    relationship = SupervisionRelationship(
        organization=organization,
        supervisor=supervisor,
        supervisee=supervisee,
        format=format,
        started_on=started_on,
    )
    relationship.full_clean()
    already = SupervisionRelationship.objects.filter(
        organization=organization,
        supervisor=supervisor,
        supervisee=supervisee,
        ended_on__isnull=True,
    )
    if already.exists():
        raise ValidationError({"supervisee": f"{supervisor} already supervises {supervisee}."})
    relationship.save()
    audit_event_record(
        action="supervision.relationship_started",
        actor=actor,
        organization=organization,
        subject=relationship,
        extra={
            "supervisor_id": str(supervisor.public_id),
            "supervisee_id": str(supervisee.public_id),
        },
    )
    return relationship
