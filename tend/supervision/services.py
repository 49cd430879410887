"""Every change to supervision relationships and supervision sessions goes through here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tend.accounts.models import Membership, Organization, User
from tend.audit.services import audit_event_record
from tend.clients.models import Client
from tend.core.permissions import Role
from tend.licensure import requirements
from tend.supervision.models import SupervisionRelationship, SupervisionSession
from tend.supervision.selectors import supervisor_warnings
from tend.supervision.signals import supervision_session_signed


def _check_path(path_state: str, path_family: str) -> None:
    if bool(path_state) != bool(path_family):
        raise ValidationError({"path_family": "Choose both the state and the licence family."})
    if path_state:
        try:
            requirements.requirement_for(path_state, path_family)
        except requirements.RequirementNotFound:
            raise ValidationError(
                {"path_state": "The requirement data has no row for this state and licence."}
            ) from None


@transaction.atomic
def supervision_relationship_start(
    *,
    organization: Organization,
    actor: User,
    supervisee: User,
    started_on: date,
    supervisor: User | None = None,
    external_supervisor_name: str = "",
    external_supervisor_license: str = "",
    format: str = SupervisionRelationship.Format.INDIVIDUAL,
    path_state: str = "",
    path_family: str = "",
) -> SupervisionRelationship:
    """Start supervising: an in-house supervisor then sees what the supervisee sees.

    Either `supervisor` (holding the supervisor role here) or an external supervisor's
    name is given. The supervisee holds a clinical role here; the same in-house pair may
    not have two active relationships. An associate may have several supervisors.
    """
    external_supervisor_name = external_supervisor_name.strip()
    if (supervisor is None) == (not external_supervisor_name):
        raise ValidationError(
            {"supervisor": "Choose a supervisor here, or name an external supervisor — not both."}
        )
    roles = dict.fromkeys(("supervisor", "supervisee"), False)
    people = [supervisee] if supervisor is None else [supervisor, supervisee]
    memberships = Membership.objects.filter(organization=organization, user__in=people).values_list(
        "user_id", "role"
    )
    for user_id, role in memberships:
        if supervisor is not None and user_id == supervisor.pk and role == Role.SUPERVISOR:
            roles["supervisor"] = True
        if user_id == supervisee.pk and role in {Role.CLINICIAN, Role.ASSOCIATE}:
            roles["supervisee"] = True
    errors = {}
    if supervisor is not None and not roles["supervisor"]:
        errors["supervisor"] = "Choose a clinical supervisor of this organization."
    if not roles["supervisee"]:
        errors["supervisee"] = "Choose a clinician or associate of this organization."
    if errors:
        raise ValidationError(errors)
    _check_path(path_state, path_family)
    relationship = SupervisionRelationship(
        organization=organization,
        supervisor=supervisor,
        external_supervisor_name=external_supervisor_name,
        external_supervisor_license=external_supervisor_license.strip(),
        supervisee=supervisee,
        format=format,
        path_state=path_state,
        path_family=path_family,
        started_on=started_on,
    )
    relationship.full_clean()
    if supervisor is not None:
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
            "supervisor_id": str(supervisor.public_id) if supervisor else None,
            "external": supervisor is None,
            "supervisee_id": str(supervisee.public_id),
            "path": f"{path_state} {path_family}".strip(),
        },
    )
    return relationship


@transaction.atomic
def supervision_relationship_path_set(
    *, relationship: SupervisionRelationship, actor: User, path_state: str, path_family: str
) -> SupervisionRelationship:
    """Name (or change) the licence path the relationship's hours count toward."""
    _check_path(path_state, path_family)
    relationship.path_state = path_state
    relationship.path_family = path_family
    relationship.full_clean()
    relationship.save(update_fields=["path_state", "path_family", "updated_at"])
    audit_event_record(
        action="supervision.relationship_path_set",
        actor=actor,
        organization=relationship.organization,
        subject=relationship,
        extra={"path": f"{path_state} {path_family}".strip()},
    )
    return relationship


@transaction.atomic
def supervision_relationship_end(
    *, relationship: SupervisionRelationship, actor: User, ended_on: date
) -> SupervisionRelationship:
    """End the relationship on `ended_on`; its sessions and verifications stay."""
    if relationship.ended_on is not None:
        raise ValidationError({"ended_on": "This relationship has already ended."})
    if ended_on < relationship.started_on:
        raise ValidationError({"ended_on": "The end date is before the start date."})
    relationship.ended_on = ended_on
    relationship.full_clean()
    relationship.save(update_fields=["ended_on", "updated_at"])
    audit_event_record(
        action="supervision.relationship_ended",
        actor=actor,
        organization=relationship.organization,
        subject=relationship,
        extra={"ended_on": ended_on.isoformat()},
    )
    return relationship


@transaction.atomic
def supervision_contract_attach(
    *, relationship: SupervisionRelationship, actor: User, contract: UploadedFile
) -> SupervisionRelationship:
    """Store the signed supervision contract (PDF or image), replacing an earlier upload."""
    relationship.contract = contract
    relationship.full_clean()
    relationship.save(update_fields=["contract", "updated_at"])
    audit_event_record(
        action="supervision.contract_attached",
        actor=actor,
        organization=relationship.organization,
        subject=relationship,
    )
    return relationship


_MEMBERS_BY_FORMAT = {
    SupervisionSession.Format.INDIVIDUAL: (1, 1),
    SupervisionSession.Format.TRIADIC: (2, 2),
    SupervisionSession.Format.GROUP: (2, 60),
}


@transaction.atomic
def supervision_session_record(
    *,
    relationship: SupervisionRelationship,
    actor: User,
    held_on: date,
    minutes: int,
    format: str,
    member_count: int,
    delivery: str,
    topics: str,
    goals: str = "",
    feedback: str = "",
    cases: Sequence[Client] = (),
) -> SupervisionSession:
    """The in-house supervisor logs a session held within the relationship's dates.

    Cases discussed must be clients of the organization on the supervisor's view (the
    caller passes only those). A warning about the supervisor's licence on that date is
    kept with the session. Nobody has signed it yet.
    """
    if relationship.supervisor_id != actor.pk:
        raise PermissionDenied("Only the supervisor logs this relationship's sessions.")
    ended = relationship.ended_on
    if held_on < relationship.started_on or (ended is not None and held_on > ended):
        raise ValidationError({"held_on": "The date is outside the supervision relationship."})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Log a session once it has taken place."})
    bounds = _MEMBERS_BY_FORMAT.get(format)  # type: ignore[call-overload]
    if bounds is None:
        raise ValidationError({"format": "Choose the format."})
    if not bounds[0] <= member_count <= bounds[1]:
        raise ValidationError(
            {"member_count": f"A {format} session has {bounds[0]} to {bounds[1]} supervisees."}
        )
    if any(case.organization_id != relationship.organization_id for case in cases):
        raise ValidationError({"cases": "Choose clients of this organization."})
    session = SupervisionSession(
        organization=relationship.organization,
        relationship=relationship,
        held_on=held_on,
        minutes=minutes,
        format=format,
        member_count=member_count,
        delivery=delivery,
        topics=topics.strip(),
        goals=goals.strip(),
        feedback=feedback.strip(),
        supervisor_warning=" ".join(supervisor_warnings(relationship, on=held_on))[:500],
    )
    session.full_clean()
    session.save()
    session.cases.set(cases)
    audit_event_record(
        action="supervision.session_recorded",
        actor=actor,
        organization=relationship.organization,
        subject=session,
        extra={"cases": len(cases), "minutes": minutes, "format": format},
    )
    return session


def session_content_hash(session: SupervisionSession, case_ids: Sequence[str]) -> str:
    """SHA-256 over what both parties sign (client ids only, never names)."""
    payload = {
        "session": str(session.public_id),
        "relationship": str(session.relationship.public_id),
        "held_on": session.held_on.isoformat(),
        "minutes": session.minutes,
        "format": session.format,
        "member_count": session.member_count,
        "delivery": session.delivery,
        "topics": session.topics,
        "goals": session.goals,
        "feedback": session.feedback,
        "cases": sorted(case_ids),
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def supervision_session_sign(*, session: SupervisionSession, actor: User) -> SupervisionSession:
    """The supervisor or the supervisee signs. The second signature locks the session and
    announces it (`supervision_session_signed`), so its hours reach the ledger."""
    session = (
        SupervisionSession.objects.select_for_update()
        .select_related("relationship", "organization")
        .get(pk=session.pk)
    )
    relationship = session.relationship
    if actor.pk == relationship.supervisor_id:
        side = "supervisor_signed_at"
    elif actor.pk == relationship.supervisee_id:
        side = "supervisee_signed_at"
    else:
        raise PermissionDenied("Only the supervisor and the supervisee sign a session.")
    if getattr(session, side) is not None:
        raise ValidationError({"__all__": "You have already signed this session."})
    digest = session_content_hash(
        session, [str(case_id) for case_id in session.cases.values_list("public_id", flat=True)]
    )
    if session.content_hash and session.content_hash != digest:
        raise ValidationError({"__all__": "The session changed after the first signature."})
    session.content_hash = digest
    setattr(session, side, timezone.now())
    session.locked = session.is_signed_by_both
    session.save(update_fields=["content_hash", side, "locked", "updated_at"])
    audit_event_record(
        action="supervision.session_signed",
        actor=actor,
        organization=session.organization,
        subject=session,
        extra={"as": side.removesuffix("_signed_at"), "locked": session.locked},
    )
    if session.locked:
        supervision_session_signed.send(sender=SupervisionSession, session=session)
    return session
