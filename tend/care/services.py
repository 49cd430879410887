"""Every change to the schedule and to session documentation goes through here."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from tend.accounts.models import Membership, Organization, User
from tend.audit.services import audit_event_record
from tend.care.models import (
    Appointment,
    AppointmentClient,
    AppointmentSeries,
    CalendarFeed,
    CareSettings,
    Room,
    TherapyGroup,
    TherapyGroupMember,
)
from tend.care.scheduling import day_bounds, occurrence_starts, to_local, to_utc
from tend.clients.models import CaseGroup, Client
from tend.core.permissions import CLINICAL_CAPABILITIES, capabilities_for

MAX_DURATION_MINUTES = 8 * 60

# Appointment types and how many clients they take.
_ONE_CLIENT = {Appointment.Kind.INTAKE, Appointment.Kind.INDIVIDUAL, Appointment.Kind.CRISIS}
_CASE_GROUP_KINDS = {Appointment.Kind.COUPLES, Appointment.Kind.FAMILY}


class SchedulingConflict(ValidationError):
    """The booking overlaps the clinician's or the room's other appointments."""

    def __init__(self, conflicts: list[Appointment]) -> None:
        self.conflicts = conflicts
        super().__init__(
            {
                "__all__": (
                    f"This overlaps {len(conflicts)} other appointment"
                    f"{'s' if len(conflicts) != 1 else ''} of the clinician or the room. "
                    "Tick “Book anyway” to keep it."
                )
            },
            code="conflict",
        )


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _check_clinician(organization: Organization, clinician: User) -> None:
    roles = Membership.objects.filter(organization=organization, user=clinician).values_list(
        "role", flat=True
    )
    if not capabilities_for(roles) & CLINICAL_CAPABILITIES:
        raise ValidationError({"clinician": "Choose a clinician of this organization."})


def _participants(
    *,
    organization: Organization,
    kind: str,
    clients: Sequence[Client],
    case_group: CaseGroup | None,
    therapy_group: TherapyGroup | None,
    on: datetime,
) -> list[Client]:
    """The clients of an appointment, from the type, a couple/family or a therapy group."""
    if kind in _CASE_GROUP_KINDS:
        if case_group is None or case_group.organization_id != organization.pk:
            raise ValidationError({"case_group": "Choose the couple or family seen together."})
        chosen = [member.client for member in case_group.members.select_related("client")]
    elif kind == Appointment.Kind.GROUP:
        if therapy_group is None or therapy_group.organization_id != organization.pk:
            raise ValidationError({"therapy_group": "Choose the therapy group."})
        day = on.date()
        chosen = [
            member.client
            for member in TherapyGroupMember.objects.filter(group=therapy_group, joined_on__lte=day)
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
            .select_related("client")
        ]
    else:
        chosen = list(clients)
    if not chosen:
        raise ValidationError({"clients": "Choose who the appointment is with."})
    if kind in _ONE_CLIENT and len(chosen) != 1:
        raise ValidationError({"clients": "This type of appointment is with one client."})
    if any(client.organization_id != organization.pk for client in chosen):
        raise ValidationError({"clients": "Choose clients of this organization."})
    return chosen


def appointment_conflicts(
    *,
    organization: Organization,
    clinician: User,
    room: Room | None,
    windows: Sequence[tuple[datetime, datetime]],
    exclude_ids: Sequence[int] = (),
) -> list[Appointment]:
    """Scheduled or kept appointments of the clinician or the room overlapping any window.

    One query whatever the number of windows: it reads the span they cover, then checks
    each overlap in Python.
    """
    if not windows:
        return []
    first = min(start for start, _ in windows)
    last = max(end for _, end in windows)
    who = Q(clinician=clinician) | (Q(room=room) if room is not None else Q(pk__in=[]))
    candidates = (
        Appointment.objects.filter(
            organization=organization,
            status__in=Appointment.BUSY_STATUSES,
            starts_at__lt=last,
            ends_at__gt=first,
        )
        .filter(who)
        .exclude(pk__in=list(exclude_ids))
        .order_by("starts_at")
    )
    return [
        appointment
        for appointment in candidates
        if any(
            appointment.starts_at < end and appointment.ends_at > start for start, end in windows
        )
    ]


def _check_fields(
    *,
    organization: Organization,
    duration_minutes: int,
    location: str,
    video_link: str,
    room: Room | None,
) -> None:
    if not 5 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(
            {"duration_minutes": f"Give a length between 5 and {MAX_DURATION_MINUTES} minutes."}
        )
    if room is not None and room.organization_id != organization.pk:
        raise ValidationError({"room": "Choose a room of this organization."})
    if video_link and location != Appointment.Location.TELEHEALTH:
        raise ValidationError({"video_link": "A video link is only for telehealth."})


@transaction.atomic
def appointment_book(
    *,
    organization: Organization,
    actor: User,
    clinician: User,
    kind: str,
    start_local: datetime,
    duration_minutes: int,
    clients: Sequence[Client] = (),
    case_group: CaseGroup | None = None,
    therapy_group: TherapyGroup | None = None,
    location: str = Appointment.Location.OFFICE,
    video_link: str = "",
    room: Room | None = None,
    rule: str = "",
    allow_conflicts: bool = False,
) -> list[Appointment]:
    """Book one appointment, or a series when `rule` (an RFC 5545 RRULE) is given.

    `start_local` is naive wall-clock time in the organization's time zone. Raises
    ValidationError naming the field for bad input, and SchedulingConflict when the
    clinician or the room is busy unless `allow_conflicts`. Returns the appointments made.
    """
    _check_clinician(organization, clinician)
    _check_fields(
        organization=organization,
        duration_minutes=duration_minutes,
        location=location,
        video_link=video_link,
        room=room,
    )
    if kind not in Appointment.Kind.values:
        raise ValidationError({"kind": "Choose the type of appointment."})
    participants = _participants(
        organization=organization,
        kind=kind,
        clients=clients,
        case_group=case_group,
        therapy_group=therapy_group,
        on=start_local,
    )
    zone = organization.timezone
    local_starts = occurrence_starts(rule, start_local) if rule.strip() else [start_local]
    length = timedelta(minutes=duration_minutes)
    windows = [(to_utc(start, zone), to_utc(start + length, zone)) for start in local_starts]
    if not allow_conflicts:
        conflicts = appointment_conflicts(
            organization=organization, clinician=clinician, room=room, windows=windows
        )
        if conflicts:
            raise SchedulingConflict(conflicts)

    series = None
    if rule.strip():
        series = AppointmentSeries(
            organization=organization,
            clinician=clinician,
            rule=rule.strip().removeprefix("RRULE:"),
            first_date=start_local.date(),
            start_time=start_local.time(),
            duration_minutes=duration_minutes,
            timezone=zone,
        )
        series.full_clean()
        series.save()
    appointments = [
        Appointment(
            organization=organization,
            clinician=clinician,
            series=series,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            location=location,
            video_link=video_link,
            room=room,
            case_group=case_group if kind in _CASE_GROUP_KINDS else None,
            therapy_group=therapy_group if kind == Appointment.Kind.GROUP else None,
        )
        for starts_at, ends_at in windows
    ]
    appointments[0].full_clean(exclude=["clients"])
    Appointment.objects.bulk_create(appointments)
    AppointmentClient.objects.bulk_create(
        AppointmentClient(appointment=appointment, client=client)
        for appointment in appointments
        for client in participants
    )
    audit_event_record(
        action="care.appointment_booked",
        actor=actor,
        organization=organization,
        subject=series or appointments[0],
        extra={
            "appointments": len(appointments),
            "clients": [str(client.public_id) for client in participants],
            "conflicts_overridden": allow_conflicts,
        },
    )
    return appointments


@transaction.atomic
def appointment_reschedule(
    *,
    appointment: Appointment,
    actor: User,
    start_local: datetime,
    duration_minutes: int,
    location: str,
    video_link: str,
    room: Room | None,
    following: bool = False,
    allow_conflicts: bool = False,
) -> list[Appointment]:
    """Move one appointment, or (`following`) it and the later scheduled ones of its series.

    "This and following" splits the series: the moved occurrences go to a new series that
    starts at the new date and keeps the new wall-clock time on every later date, across
    daylight-saving changes. Only appointments still scheduled move; kept, cancelled and
    no-show ones are history. Returns the appointments moved.
    """
    if appointment.status != Appointment.Status.SCHEDULED:
        raise ValidationError({"__all__": "Only a scheduled appointment can be moved."})
    organization = appointment.organization
    _check_fields(
        organization=organization,
        duration_minutes=duration_minutes,
        location=location,
        video_link=video_link,
        room=room,
    )
    zone = organization.timezone
    old_local = to_local(appointment.starts_at, zone)
    day_shift = start_local.date() - old_local.date()
    length = timedelta(minutes=duration_minutes)
    old_series = appointment.series
    if following and old_series is not None:
        moving = list(
            Appointment.objects.filter(
                series=old_series,
                status=Appointment.Status.SCHEDULED,
                starts_at__gte=appointment.starts_at,
            ).order_by("starts_at")
        )
    else:
        moving = [appointment]
    for each in moving:
        local_day = to_local(each.starts_at, zone).date() + day_shift
        each.starts_at = to_utc(datetime.combine(local_day, start_local.time()), zone)
        each.ends_at = to_utc(datetime.combine(local_day, start_local.time()) + length, zone)
        each.location = location
        each.video_link = video_link
        each.room = room
    if not allow_conflicts:
        conflicts = appointment_conflicts(
            organization=organization,
            clinician=appointment.clinician,
            room=room,
            windows=[(each.starts_at, each.ends_at) for each in moving],
            exclude_ids=[each.pk for each in moving],
        )
        if conflicts:
            raise SchedulingConflict(conflicts)

    new_series = None
    if following and old_series is not None:
        new_series = AppointmentSeries(
            organization=organization,
            clinician=appointment.clinician,
            rule=old_series.rule,
            first_date=start_local.date(),
            start_time=start_local.time(),
            duration_minutes=duration_minutes,
            timezone=zone,
            split_from=old_series,
        )
        new_series.full_clean()
        new_series.save()
        old_series.ends_before = old_local.date()
        old_series.save(update_fields=["ends_before", "updated_at"])
    for each in moving:
        if new_series is not None:
            each.series = new_series
        each.full_clean(exclude=["clients"])
    Appointment.objects.bulk_update(
        moving, ["starts_at", "ends_at", "location", "video_link", "room", "series", "updated_at"]
    )
    audit_event_record(
        action="care.appointment_rescheduled",
        actor=actor,
        organization=organization,
        subject=appointment,
        extra={
            "appointments": len(moving),
            "following": following,
            "new_series": str(new_series.public_id) if new_series else None,
            "conflicts_overridden": allow_conflicts,
        },
    )
    return moving


_NEEDS_REASON = {Appointment.Status.CANCELLED, Appointment.Status.LATE_CANCELLED}
_AFTER_START_ONLY = {Appointment.Status.KEPT, Appointment.Status.NO_SHOW}


@transaction.atomic
def appointment_status_set(
    *, appointment: Appointment, actor: User, status: str, reason: str = ""
) -> Appointment:
    """Record what became of an appointment: kept, cancelled (with a reason), late
    cancellation (with a reason) or no-show. Kept and no-show only once it has begun."""
    if status not in Appointment.Status.values:
        raise ValidationError({"status": "Choose a status."})
    reason = reason.strip()
    if status in _NEEDS_REASON and not reason:
        raise ValidationError({"reason": "Say why the appointment was cancelled."})
    if status in _AFTER_START_ONLY and appointment.starts_at > timezone.now():
        raise ValidationError(
            {"status": "An appointment can be marked kept or no-show once it has begun."}
        )
    previous = appointment.status
    appointment.status = status
    appointment.cancellation_reason = reason if status in _NEEDS_REASON else ""
    appointment.full_clean(exclude=["clients"])
    appointment.save(update_fields=["status", "cancellation_reason", "updated_at"])
    audit_event_record(
        action="care.appointment_status_changed",
        actor=actor,
        organization=appointment.organization,
        subject=appointment,
        extra={"from": previous, "to": status},
    )
    return appointment


@transaction.atomic
def calendar_feed_create(
    *, organization: Organization, clinician: User
) -> tuple[CalendarFeed, str]:
    """Issue a new secret feed address for the clinician, revoking any earlier one.

    Returns the feed and the raw token, which is shown once and stored only hashed.
    """
    calendar_feed_revoke(organization=organization, clinician=clinician)
    raw = secrets.token_urlsafe(32)
    feed = CalendarFeed(organization=organization, clinician=clinician, token_hash=_digest(raw))
    feed.full_clean()
    feed.save()
    audit_event_record(
        action="care.calendar_feed_created",
        actor=clinician,
        organization=organization,
        subject=feed,
    )
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, organization: Organization, clinician: User) -> int:
    """Revoke the clinician's live feed addresses; returns how many were revoked."""
    live = list(
        CalendarFeed.objects.filter(
            organization=organization, clinician=clinician, revoked_at__isnull=True
        )
    )
    now = timezone.now()
    for feed in live:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at", "updated_at"])
        audit_event_record(
            action="care.calendar_feed_revoked",
            actor=clinician,
            organization=organization,
            subject=feed,
        )
    return len(live)


def calendar_feed_authenticate(raw: str) -> CalendarFeed | None:
    """The live feed a raw token opens, or None."""
    return (
        CalendarFeed.objects.select_related("organization", "clinician")
        .filter(token_hash=_digest(raw), revoked_at__isnull=True)
        .first()
    )


@transaction.atomic
def care_settings_update(
    *,
    organization: Organization,
    actor: User,
    late_entry_hours: int,
    calendar_feed_initials: bool,
) -> CareSettings:
    """Change the organization's documentation limit and calendar-feed privacy choice."""
    settings, _ = CareSettings.objects.get_or_create(organization=organization)
    settings.late_entry_hours = late_entry_hours
    settings.calendar_feed_initials = calendar_feed_initials
    settings.full_clean()
    settings.save()
    audit_event_record(
        action="care.settings_updated",
        actor=actor,
        organization=organization,
        subject=organization,
        extra={
            "late_entry_hours": late_entry_hours,
            "calendar_feed_initials": calendar_feed_initials,
        },
    )
    return settings


def _check_room_name(room: Room) -> None:
    taken = Room.objects.filter(organization=room.organization, name__iexact=room.name)
    if room.pk is not None:
        taken = taken.exclude(pk=room.pk)
    if taken.exists():
        raise ValidationError({"name": "There is already a room with this name."})


@transaction.atomic
def room_create(*, organization: Organization, actor: User, name: str) -> Room:
    """Add a room that appointments can be booked in (its bookings are checked for overlap)."""
    room = Room(organization=organization, name=name.strip())
    room.full_clean()
    _check_room_name(room)
    room.save()
    audit_event_record(
        action="care.room_created", actor=actor, organization=organization, subject=room
    )
    return room


@transaction.atomic
def room_rename(*, room: Room, actor: User, name: str) -> Room:
    """Rename a room; its appointments keep it."""
    previous = room.name
    room.name = name.strip()
    room.full_clean()
    _check_room_name(room)
    room.save(update_fields=["name", "updated_at"])
    audit_event_record(
        action="care.room_renamed",
        actor=actor,
        organization=room.organization,
        subject=room,
        extra={"name": [previous, room.name]},
    )
    return room


@transaction.atomic
def therapy_group_create(
    *,
    organization: Organization,
    actor: User,
    name: str,
    facilitator: User,
    members: Sequence[Client],
    joined_on: date,
) -> TherapyGroup:
    """Start a therapy group with its facilitator (a clinician) and first members."""
    _check_clinician(organization, facilitator)
    if any(client.organization_id != organization.pk for client in members):
        raise ValidationError({"members": "Choose clients of this organization."})
    group = TherapyGroup(organization=organization, name=name.strip(), facilitator=facilitator)
    group.full_clean()
    group.save()
    TherapyGroupMember.objects.bulk_create(
        TherapyGroupMember(group=group, client=client, joined_on=joined_on) for client in members
    )
    audit_event_record(
        action="care.therapy_group_created",
        actor=actor,
        organization=organization,
        subject=group,
        extra={"members": [str(client.public_id) for client in members]},
    )
    return group


def _scheduled_group_sessions(group: TherapyGroup, *, from_day: date) -> QuerySet[Appointment]:
    """The group's sessions still scheduled from the start of a local day on."""
    starts, _ = day_bounds(from_day, group.organization.timezone)
    return Appointment.objects.filter(
        therapy_group=group, status=Appointment.Status.SCHEDULED, starts_at__gte=starts
    )


@transaction.atomic
def therapy_group_member_add(
    *, group: TherapyGroup, actor: User, client: Client, joined_on: date
) -> TherapyGroupMember:
    """Add a client to a therapy group from `joined_on` (a former member rejoins).

    The client also joins the group's sessions already scheduled from that day, so a
    booked series includes them. Raises ValidationError on `client` for a client of another
    organization or a current member.
    """
    if client.organization_id != group.organization_id:
        raise ValidationError({"client": "Choose a client of this organization."})
    member = TherapyGroupMember.objects.filter(group=group, client=client).first()
    if member is not None and member.left_on is None:
        raise ValidationError({"client": "This client is already in the group."})
    if member is None:
        member = TherapyGroupMember(group=group, client=client)
    member.joined_on = joined_on
    member.left_on = None
    member.full_clean()
    member.save()
    sessions = list(
        _scheduled_group_sessions(group, from_day=joined_on).exclude(participants__client=client)
    )
    AppointmentClient.objects.bulk_create(
        AppointmentClient(appointment=appointment, client=client) for appointment in sessions
    )
    audit_event_record(
        action="care.therapy_group_member_added",
        actor=actor,
        organization=group.organization,
        subject=group,
        client_id=client.public_id,
        extra={"joined_on": joined_on.isoformat(), "sessions_joined": len(sessions)},
    )
    return member


@transaction.atomic
def therapy_group_member_leave(
    *, group: TherapyGroup, actor: User, client: Client, left_on: date
) -> TherapyGroupMember:
    """Record a member's last day in the group; they leave the sessions scheduled after it.

    Sessions already held stay on their chart. Raises ValidationError for someone who is not
    a current member or a last day before they joined.
    """
    member = TherapyGroupMember.objects.filter(
        group=group, client=client, left_on__isnull=True
    ).first()
    if member is None:
        raise ValidationError({"client": "This client is not a current member of the group."})
    if left_on < member.joined_on:
        joined = date_format(member.joined_on)
        raise ValidationError({"left_on": f"The last day cannot be before they joined ({joined})."})
    member.left_on = left_on
    member.full_clean()
    member.save(update_fields=["left_on"])
    removed, _ = AppointmentClient.objects.filter(
        client=client,
        appointment__in=_scheduled_group_sessions(group, from_day=left_on + timedelta(days=1)),
    ).delete()
    audit_event_record(
        action="care.therapy_group_member_left",
        actor=actor,
        organization=group.organization,
        subject=group,
        client_id=client.public_id,
        extra={"left_on": left_on.isoformat(), "sessions_left": removed},
    )
    return member
