"""The door to appointments and to clinicians' calendars.

Everyone holding VIEW_SCHEDULE in an organization sees when its clinicians are busy.
Who an appointment is with is client data: it is shown to people who see every client's
demographics (front desk, admins, owners, billers) and to the clinician of the
appointment or their active supervisor. Everyone else sees "busy" and the type.

Front desk, admins and owners (MANAGE_SCHEDULE with VIEW_DEMOGRAPHICS) book and change
appointments for any clinician; clinicians book and change their own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from tend.accounts.models import Membership, Organization, User
from tend.care.models import Appointment, ProgressNote, Room, TherapyGroup
from tend.clients.access import caseload_filter
from tend.clients.models import BreakGlassGrant, Client
from tend.core.permissions import Capability, Role
from tend.core.tenancy import Tenancy
from tend.supervision.selectors import active_supervisee_ids

CLINICAL_ROLES = (Role.CLINICIAN.value, Role.ASSOCIATE.value, Role.SUPERVISOR.value)


@dataclass(frozen=True)
class AppointmentAccess:
    appointment: Appointment
    can_see_clients: bool
    can_manage: bool


def schedules_for_everyone(tenancy: Tenancy) -> bool:
    """Whether the acting user books for any clinician (front desk, admins, owners)."""
    return tenancy.can(Capability.MANAGE_SCHEDULE) and tenancy.can(Capability.VIEW_DEMOGRAPHICS)


def clinicians_whose_clients_are_visible(
    tenancy: Tenancy, user: User, organization: Organization
) -> set[int] | None:
    """Clinician ids whose appointments show client names to the user; None means all."""
    if Capability.VIEW_DEMOGRAPHICS in tenancy.capabilities_in(organization):
        return None
    if Capability.VIEW_CLINICAL in tenancy.capabilities_in(organization):
        return {user.pk, *active_supervisee_ids(user, organization, timezone.localdate())}
    return set()


def clinician_for_user(tenancy: Tenancy, clinician_id: uuid.UUID) -> User:
    """A clinician of the current organization by public id, or 404."""
    organization = tenancy.current
    membership = (
        Membership.objects.select_related("user")
        .filter(
            organization=organization,
            user__public_id=clinician_id,
            role__in=CLINICAL_ROLES,
        )
        .first()
    )
    if membership is None:
        raise Http404
    return membership.user


def room_for_user(tenancy: Tenancy, room_id: uuid.UUID) -> Room:
    """A room of the current organization, or 404."""
    room = Room.objects.filter(public_id=room_id, organization=tenancy.current).first()
    if room is None:
        raise Http404
    return room


@dataclass(frozen=True)
class TherapyGroupAccess:
    group: TherapyGroup
    can_manage: bool  # sees who is in it and changes it


def therapy_group_for_user(
    tenancy: Tenancy, user: User, group_id: uuid.UUID, *, manage: bool = False
) -> TherapyGroupAccess:
    """A therapy group of the current organization, or 404.

    Its facilitator and those who schedule for everyone (front desk, admins, owners) see
    its members and change it; other schedulers see only its name and facilitator.
    `manage=True` asks to change it and raises PermissionDenied for anyone else.
    """
    group = (
        TherapyGroup.objects.select_related("organization", "facilitator")
        .filter(public_id=group_id, organization=tenancy.current)
        .first()
    )
    if group is None:
        raise Http404
    can_manage = tenancy.can(Capability.MANAGE_SCHEDULE) and (
        schedules_for_everyone(tenancy) or group.facilitator_id == user.pk
    )
    if manage and not can_manage:
        raise PermissionDenied
    return TherapyGroupAccess(group=group, can_manage=can_manage)


def appointment_for_user(
    tenancy: Tenancy, user: User, appointment_id: uuid.UUID, *, manage: bool = False
) -> AppointmentAccess:
    """Fetch an appointment for the acting user, or refuse.

    `manage=True` asks to change it. Raises Http404 outside the current organization and
    PermissionDenied inside it for someone who may not see or change it.
    """
    appointment = (
        Appointment.objects.select_related("organization", "clinician", "room", "series")
        .filter(public_id=appointment_id, organization=tenancy.current)
        .first()
    )
    if appointment is None:
        raise Http404
    organization = appointment.organization
    if not tenancy.can(Capability.VIEW_SCHEDULE):
        raise PermissionDenied
    visible = clinicians_whose_clients_are_visible(tenancy, user, organization)
    can_manage = tenancy.can(Capability.MANAGE_SCHEDULE) and (
        schedules_for_everyone(tenancy) or appointment.clinician_id == user.pk
    )
    if manage and not can_manage:
        raise PermissionDenied
    return AppointmentAccess(
        appointment=appointment,
        can_see_clients=visible is None or appointment.clinician_id in visible,
        can_manage=can_manage,
    )


@dataclass(frozen=True)
class NoteAccess:
    note: ProgressNote
    visible_client_ids: frozenset[int]  # whose parts of the note this person may read
    can_edit: bool
    can_cosign: bool
    can_add_addendum: bool


def _clinically_visible(tenancy: Tenancy, user: User, appointment: Appointment) -> frozenset[int]:
    """The session's clients whose clinical record the user may read (one query)."""
    organization = appointment.organization
    if Capability.VIEW_CLINICAL not in tenancy.capabilities_in(organization):
        return frozenset()
    if appointment.clinician_id == user.pk:
        return frozenset(appointment.participants.values_list("client_id", flat=True))
    now = timezone.now()
    return frozenset(
        Client.objects.filter(appointments__appointment=appointment)
        .filter(
            caseload_filter(user, organization)
            | Q(
                pk__in=BreakGlassGrant.objects.filter(user=user, expires_at__gt=now).values(
                    "client_id"
                )
            )
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def clinical_appointment_for_user(
    tenancy: Tenancy, user: User, appointment_id: uuid.UUID
) -> tuple[Appointment, frozenset[int]]:
    """An appointment whose clinical record (notes) the user may read, with the client ids
    they may read it for. 404 outside the organization, 403 without clinical access."""
    appointment = (
        Appointment.objects.select_related("organization", "clinician")
        .filter(public_id=appointment_id, organization=tenancy.current)
        .first()
    )
    if appointment is None:
        raise Http404
    visible = _clinically_visible(tenancy, user, appointment)
    if not visible:
        raise PermissionDenied
    return appointment, visible


def note_for_user(tenancy: Tenancy, user: User, note_id: uuid.UUID) -> NoteAccess:
    """A progress note for someone with clinical access to one of the session's clients.

    A group note shows each reader only the member sections of clients they may see.
    Raises Http404 outside the current organization, PermissionDenied inside it.
    """
    note = (
        ProgressNote.objects.select_related(
            "appointment__organization", "appointment__clinician", "author", "cosigned_by"
        )
        .filter(public_id=note_id, organization=tenancy.current)
        .first()
    )
    if note is None:
        raise Http404
    visible = _clinically_visible(tenancy, user, note.appointment)
    if not visible:
        raise PermissionDenied
    from tend.care.notes import EDITABLE

    writes = Capability.WRITE_CLINICAL in tenancy.capabilities_in(note.organization)
    is_author = note.author_id == user.pk
    return NoteAccess(
        note=note,
        visible_client_ids=visible,
        can_edit=writes and is_author and not note.locked and note.status in EDITABLE,
        can_cosign=tenancy.can(Capability.SUPERVISE)
        and note.status == ProgressNote.Status.AWAITING_COSIGN
        and note.author_id in active_supervisee_ids(user, note.organization, timezone.localdate()),
        can_add_addendum=writes
        and note.signed_at is not None
        and user.pk in {note.author_id, note.cosigned_by_id},
    )
