"""Every change to supervision relationships and supervision sessions goes through here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

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


def _check_in_relationship(relationship: SupervisionRelationship, on: date, field: str) -> None:
    ended = relationship.ended_on
    if on < relationship.started_on or (ended is not None and on > ended):
        raise ValidationError({field: "The date is outside the supervision relationship."})


def _member_bounds(format: str) -> tuple[int, int]:
    bounds = _MEMBERS_BY_FORMAT.get(format)  # type: ignore[call-overload]
    if bounds is None:
        raise ValidationError({"format": "Choose the format."})
    return bounds


def _check_members(format: str, member_count: int) -> None:
    bounds = _member_bounds(format)
    if not bounds[0] <= member_count <= bounds[1]:
        raise ValidationError(
            {"member_count": f"A {format} session has {bounds[0]} to {bounds[1]} supervisees."}
        )


@transaction.atomic
def supervision_session_plan(
    *,
    relationship: SupervisionRelationship,
    actor: User,
    held_on: date,
    start_time: time,
    minutes: int,
    format: str,
    delivery: str,
) -> SupervisionSession:
    """Either person in an active in-house relationship plans a session ahead.

    The start is read in the organization's time zone. A group session is planned by
    the supervisor only (it concerns other supervisees); its headcount is known when it
    is recorded. A planned session carries no content and accrues no hours.
    """
    if actor.pk not in {relationship.supervisor_id, relationship.supervisee_id}:
        raise PermissionDenied("Only the supervisor and the supervisee plan their sessions.")
    if relationship.supervisor_id is None:
        raise ValidationError(
            {"__all__": "Sessions with an external supervisor are logged as hours entries."}
        )
    if relationship.ended_on is not None:
        raise ValidationError({"__all__": "This supervision relationship has ended."})
    if format == SupervisionSession.Format.GROUP and actor.pk != relationship.supervisor_id:
        raise ValidationError({"format": "Only the supervisor plans a group session."})
    _check_in_relationship(relationship, held_on, "held_on")
    starts_at = datetime.combine(
        held_on, start_time, tzinfo=ZoneInfo(relationship.organization.timezone)
    )
    if starts_at <= timezone.now():
        raise ValidationError({"held_on": "Plan a session that starts in the future."})
    session = SupervisionSession(
        organization=relationship.organization,
        relationship=relationship,
        status=SupervisionSession.Status.PLANNED,
        held_on=held_on,
        starts_at=starts_at,
        minutes=minutes,
        format=format,
        member_count=_member_bounds(format)[0],
        delivery=delivery,
    )
    session.full_clean()
    session.save()
    audit_event_record(
        action="supervision.session_planned",
        actor=actor,
        organization=relationship.organization,
        subject=session,
        extra={"starts_at": starts_at.isoformat(), "minutes": minutes, "format": format},
    )
    return session


@transaction.atomic
def supervision_session_cancel(
    *, session: SupervisionSession, actor: User, reason: str
) -> SupervisionSession:
    """Either person cancels a planned session, saying why; it stays listed as cancelled."""
    relationship = session.relationship
    if actor.pk not in {relationship.supervisor_id, relationship.supervisee_id}:
        raise PermissionDenied("Only the supervisor and the supervisee cancel their sessions.")
    if not session.is_planned:
        raise ValidationError({"__all__": "Only a planned session can be cancelled."})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the session is cancelled."})
    session.status = SupervisionSession.Status.CANCELLED
    session.cancel_reason = reason
    session.full_clean()
    session.save(update_fields=["status", "cancel_reason", "updated_at"])
    audit_event_record(
        action="supervision.session_cancelled",
        actor=actor,
        organization=session.organization,
        subject=session,
        extra={"held_on": session.held_on.isoformat()},
    )
    return session


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
    planned: SupervisionSession | None = None,
) -> SupervisionSession:
    """The in-house supervisor logs a session held within the relationship's dates.

    With `planned`, the planned session of this relationship is recorded (and becomes
    held) instead of a new one. Cases discussed must be clients of the organization on
    the supervisor's view (the caller passes only those). A warning about the
    supervisor's licence on that date is kept with the session. Nobody has signed it yet.
    """
    if relationship.supervisor_id != actor.pk:
        raise PermissionDenied("Only the supervisor logs this relationship's sessions.")
    _check_in_relationship(relationship, held_on, "held_on")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Log a session once it has taken place."})
    _check_members(format, member_count)
    if any(case.organization_id != relationship.organization_id for case in cases):
        raise ValidationError({"cases": "Choose clients of this organization."})
    if not topics.strip():
        raise ValidationError({"topics": "Say what the supervision covered."})
    if planned is not None and (
        planned.relationship_id != relationship.pk or not planned.is_planned
    ):
        raise ValidationError({"planned": "Choose a planned session of this relationship."})
    session = planned or SupervisionSession(
        organization=relationship.organization, relationship=relationship
    )
    session.status = SupervisionSession.Status.HELD
    session.held_on = held_on
    session.minutes = minutes
    session.format = format
    session.member_count = member_count
    session.delivery = delivery
    session.topics = topics.strip()
    session.goals = goals.strip()
    session.feedback = feedback.strip()
    session.supervisor_warning = " ".join(supervisor_warnings(relationship, on=held_on))[:500]
    session.full_clean()
    session.save()
    session.cases.set(cases)
    audit_event_record(
        action="supervision.session_recorded",
        actor=actor,
        organization=relationship.organization,
        subject=session,
        extra={
            "cases": len(cases),
            "minutes": minutes,
            "format": format,
            "was_planned": planned is not None,
        },
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
    if session.status != SupervisionSession.Status.HELD:
        raise ValidationError({"__all__": "Only a session that has been recorded is signed."})
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
