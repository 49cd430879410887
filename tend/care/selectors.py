"""Reads of the schedule and of session documentation, always scoped."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from tend.accounts.models import Membership, Organization, User
from tend.care.access import CLINICAL_ROLES
from tend.care.models import (
    Appointment,
    AppointmentClient,
    CareSettings,
    NoteAddendum,
    NoteMemberSection,
    NoteObjective,
    ProgressNote,
    PsychotherapyNote,
    Room,
    TherapyGroup,
    TherapyGroupMember,
)
from tend.care.scheduling import day_bounds, to_local
from tend.clients.access import ClientAccess
from tend.clients.models import CaseGroup, Client
from tend.core.dates import on_days
from tend.core.queries import first_rows_and_total
from tend.plans.models import Objective

CHART_UPCOMING = 3
CHART_RECENT = 5
SESSIONS_PER_PAGE = 50


@dataclass
class CalendarEntry:
    appointment: Appointment
    starts: datetime  # naive wall-clock time in the organization's zone
    ends: datetime
    client_names: list[str] | None  # None: the viewer may not see who it is with


@dataclass
class CalendarDay:
    day: date
    entries: list[CalendarEntry] = field(default_factory=list)


def care_settings_for(organization: Organization) -> CareSettings:
    """The organization's care settings, or the defaults when none were saved."""
    return CareSettings.objects.filter(organization=organization).first() or CareSettings(
        organization=organization
    )


def organization_clinicians(organization: Organization) -> list[User]:
    """People holding a clinical role in the organization, by name."""
    ids = Membership.objects.filter(organization=organization, role__in=CLINICAL_ROLES).values(
        "user_id"
    )
    return list(User.objects.filter(pk__in=ids).order_by("display_name"))


def organization_rooms(organization: Organization) -> QuerySet[Room]:
    return Room.objects.filter(organization=organization)


def organization_case_groups(organization: Organization) -> QuerySet[CaseGroup]:
    return CaseGroup.objects.filter(organization=organization).order_by("name")


def organization_therapy_groups(organization: Organization) -> QuerySet[TherapyGroup]:
    return TherapyGroup.objects.filter(organization=organization)


def therapy_groups_overview(organization: Organization) -> QuerySet[TherapyGroup]:
    """The organization's groups with their facilitator and number of current members
    (one query)."""
    return (
        TherapyGroup.objects.filter(organization=organization)
        .select_related("facilitator")
        .annotate(current_members=Count("members", filter=Q(members__left_on__isnull=True)))
    )


def therapy_group_members(group: TherapyGroup) -> list[TherapyGroupMember]:
    """Everyone who is or was in the group: current members first, then by name (one
    query)."""
    return list(
        group.members.select_related("client").order_by(
            F("left_on").desc(nulls_first=True),
            "client__legal_last_name",
            "client__legal_first_name",
        )
    )


def _with_clients(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return appointments.select_related("clinician", "room").prefetch_related(
        Prefetch(
            "participants",
            queryset=AppointmentClient.objects.select_related("client").order_by(
                "client__legal_last_name"
            ),
        )
    )


def calendar_days(
    *,
    organization: Organization,
    clinicians: list[User] | None,
    first_day: date,
    days: int,
    visible_clinician_ids: set[int] | None,
) -> list[CalendarDay]:
    """The appointments of the given clinicians (None: everyone) over `days` local days.

    Two queries whatever the number of appointments. Client names are filled only for
    appointments whose clinician is in `visible_clinician_ids` (None: all of them).
    """
    zone = organization.timezone
    start, _ = day_bounds(first_day, zone)
    _, end = day_bounds(first_day + timedelta(days=days - 1), zone)
    appointments = Appointment.objects.filter(
        organization=organization, starts_at__lt=end, ends_at__gt=start
    )
    if clinicians is not None:
        appointments = appointments.filter(clinician__in=clinicians)
    by_day = {first_day + timedelta(days=offset): CalendarDay(first_day + timedelta(days=offset))
              for offset in range(days)}  # fmt: skip
    for appointment in _with_clients(appointments).order_by("starts_at", "clinician__display_name"):
        starts = to_local(appointment.starts_at, zone)
        names = None
        if visible_clinician_ids is None or appointment.clinician_id in visible_clinician_ids:
            names = [entry.client.display_name for entry in appointment.participants.all()]
        day = by_day.get(starts.date())
        if day is not None:
            day.entries.append(
                CalendarEntry(appointment, starts, to_local(appointment.ends_at, zone), names)
            )
    return list(by_day.values())


def appointment_clients(appointment: Appointment) -> list[Client]:
    return [entry.client for entry in appointment.participants.select_related("client")]


def client_appointments(client: Client) -> QuerySet[Appointment]:
    """A client's appointments, newest first (one query)."""
    return (
        Appointment.objects.filter(participants__client=client)
        .select_related("clinician")
        .order_by("-starts_at")
    )


def next_appointment_for(client: Client) -> Appointment | None:
    return (
        Appointment.objects.filter(
            participants__client=client,
            status=Appointment.Status.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .order_by("starts_at")
        .first()
    )


def has_live_feed(organization: Organization, clinician: User) -> bool:
    from tend.care.models import CalendarFeed

    return CalendarFeed.objects.filter(
        organization=organization, clinician=clinician, revoked_at__isnull=True
    ).exists()


def feed_appointments(
    organization: Organization, clinician: User, *, since: datetime, until: datetime
) -> QuerySet[Appointment]:
    """The clinician's appointments in a window, with their clients (two queries)."""
    return _with_clients(
        Appointment.objects.filter(
            organization=organization,
            clinician=clinician,
            starts_at__gte=since,
            starts_at__lt=until,
        )
    ).order_by("starts_at")


def next_appointments_of(clients: Sequence[Client]) -> dict[int, datetime]:
    """Each client's next scheduled appointment start (client pk → UTC start), one query."""
    # A subquery per client walks that client's own appointments (index on client); a
    # join with GROUP BY let PostgreSQL scan every future appointment of the organization.
    upcoming = (
        Appointment.objects.filter(
            participants__client=OuterRef("pk"),
            status=Appointment.Status.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    rows = (
        Client.objects.filter(pk__in=[client.pk for client in clients])
        .annotate(next_start=Subquery(upcoming))
        .filter(next_start__isnull=False)
        .values_list("pk", "next_start")
    )
    return dict(rows)


@dataclass
class SessionRow:
    appointment: Appointment
    starts: datetime  # naive wall-clock time in the organization's zone
    note: ProgressNote | None  # None also when the reader may not see notes


def _session_rows(
    appointments: Iterable[Appointment], zone: str, with_notes: bool
) -> list[SessionRow]:
    return [
        SessionRow(
            appointment,
            to_local(appointment.starts_at, zone),
            getattr(appointment, "note", None) if with_notes else None,
        )
        for appointment in appointments
    ]


# What the session tables show (care/_sessions_table.html): reading only these keeps the
# chart's and the sessions list's rows light, and a note's narrative is never read.
_SESSION_ROW_FIELDS = ("public_id", "kind", "starts_at", "status", "clinician__display_name")
_SESSION_ROW_NOTE_FIELDS = ("note__public_id", "note__status")


def _client_sessions(access: ClientAccess) -> QuerySet[Appointment]:
    appointments = client_appointments(access.client)
    if access.can_view_clinical:
        return appointments.select_related("note").only(
            *_SESSION_ROW_FIELDS, *_SESSION_ROW_NOTE_FIELDS
        )
    return appointments.only(*_SESSION_ROW_FIELDS)


def sessions_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    """The chart's "Sessions": the next few scheduled and the latest few that have begun,
    with the total. Two queries whatever the number of sessions; three when neither list
    has a row (no sessions yet, or only cancelled ones ahead) and the total is counted."""
    zone = access.client.organization.timezone
    now = timezone.now()
    # The total rides on each row as a subquery that does not depend on the row, so the
    # database counts once per query.
    every_session = (
        AppointmentClient.objects.filter(client=access.client)
        .values("client")
        .annotate(sessions=Count("pk"))
        .values("sessions")
    )
    appointments = _client_sessions(access).annotate(total=Subquery(every_session))
    upcoming = list(
        appointments.filter(starts_at__gte=now, status=Appointment.Status.SCHEDULED).order_by(
            "starts_at"
        )[:CHART_UPCOMING]
    )
    recent = list(appointments.filter(starts_at__lt=now)[:CHART_RECENT])
    shown = recent or upcoming
    return {
        "client": access.client,
        "upcoming": _session_rows(upcoming, zone, access.can_view_clinical),
        "recent": _session_rows(recent, zone, access.can_view_clinical),
        "total": shown[0].total
        if shown
        else AppointmentClient.objects.filter(client=access.client).count(),
    }


def client_sessions_page(
    access: ClientAccess, page_number: str | None
) -> tuple[Page[Appointment], list[SessionRow]]:
    """One page of all the client's sessions, newest first, and its rows (two queries:
    the count and the page)."""
    page = Paginator(_client_sessions(access), SESSIONS_PER_PAGE).get_page(page_number)
    zone = access.client.organization.timezone
    return page, _session_rows(list(page.object_list), zone, access.can_view_clinical)


def objectives_for_session(appointment: Appointment) -> list[Objective]:
    """Objectives of the plan version in force on the session date, for each client of the
    session (the golden thread); three queries whatever the number of clients."""
    from tend.plans.selectors import objectives_active_for

    day = to_local(appointment.starts_at, appointment.organization.timezone).date()
    clients = [entry.client for entry in appointment.participants.select_related("client")]
    return objectives_active_for(clients, day)


PANEL_ROWS = 10


@dataclass
class NoteDue:
    appointment: Appointment
    note: ProgressNote | None
    age: timedelta


def notes_due(organization: Organization, clinician: User) -> tuple[list[NoteDue], int]:
    """The clinician's kept sessions whose note is not written or not signed, oldest first,
    with their age since the session ended; the first PANEL_ROWS and the total (2 queries)."""
    from tend.care.notes import EDITABLE

    # "No note, or one still editable" is "no signed note". Put as NOT IN over the
    # clinician's own signed notes (an index range), PostgreSQL hashes that small set once
    # instead of joining every note in the organization; a note's author is always the
    # clinician of its appointment (note_start).
    signed = ProgressNote.objects.filter(organization=organization, author=clinician).exclude(
        status__in=EDITABLE
    )
    # The total rides on the shown rows as a window count: one pass over the clinician's
    # sessions instead of a second, identical one for COUNT(*).
    shown, total = first_rows_and_total(
        Appointment.objects.filter(
            organization=organization, clinician=clinician, status=Appointment.Status.KEPT
        )
        .exclude(pk__in=signed.values("appointment_id"))
        .order_by("ends_at"),
        PANEL_ROWS,
    )
    notes = {
        note.appointment_id: note
        for note in ProgressNote.objects.filter(appointment__in=[a.pk for a in shown])
    }
    now = timezone.now()
    rows = [NoteDue(a, notes.get(a.pk), now - a.ends_at) for a in shown]
    return rows, total


@dataclass
class CosignItem:
    note: ProgressNote
    waiting: timedelta
    overdue: bool


COSIGN_PAGE_SIZE = 50


@dataclass(frozen=True)
class CosignPage:
    items: list[CosignItem]
    total: int  # notes waiting in all
    overdue: int
    next_after: uuid.UUID | None  # the last note shown, when more follow it


def _awaiting_cosign(
    organization: Organization, supervisee_ids: list[int]
) -> QuerySet[ProgressNote]:
    return ProgressNote.objects.filter(
        organization=organization,
        author_id__in=supervisee_ids,
        status=ProgressNote.Status.AWAITING_COSIGN,
    )


def cosign_queue(
    organization: Organization,
    supervisor: User,
    *,
    after: uuid.UUID | None = None,
    size: int = COSIGN_PAGE_SIZE,
) -> CosignPage:
    """One page of the notes of the supervisor's active supervisees waiting for a
    co-signature, oldest first, from the note after `after` (keyset on signing time and
    id, so any page costs the same); with how many wait and how many are overdue.
    Overdue means waiting longer than the organization's documentation limit, so the
    overdue notes are always the first ones."""
    from tend.supervision.selectors import active_supervisee_ids

    supervisees = active_supervisee_ids(supervisor, organization, timezone.localdate())
    limit = timedelta(hours=care_settings_for(organization).late_entry_hours)
    now = timezone.now()
    waiting = _awaiting_cosign(organization, supervisees)
    counts = waiting.aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(signed_at__lt=now - limit))
    )
    notes = waiting.select_related("author", "appointment").order_by("signed_at", "id")
    if after is not None:
        last = (
            ProgressNote.objects.filter(
                organization=organization, author_id__in=supervisees, public_id=after
            )
            .exclude(signed_at=None)
            .values("signed_at", "id")
            .first()
        )
        if last is not None:
            notes = notes.filter(
                Q(signed_at__gt=last["signed_at"])
                | Q(signed_at=last["signed_at"], id__gt=last["id"])
            )
    shown = list(notes[: size + 1])
    more = len(shown) > size
    shown = shown[:size]
    items = []
    for note in shown:
        waited = now - (note.signed_at or now)
        items.append(CosignItem(note, waited, waited > limit))
    return CosignPage(
        items=items,
        total=counts["total"],
        overdue=counts["overdue"],
        next_after=shown[-1].public_id if more else None,
    )


@dataclass(frozen=True)
class CosignBacklog:
    notes: int
    oldest_signed_at: datetime | None


NO_BACKLOG = CosignBacklog(0, None)


def cosign_backlog_by_supervisee(
    organization: Organization, supervisor: User
) -> dict[int, CosignBacklog]:
    """Per active supervisee (user id): how many notes wait for the supervisor's
    co-signature and since when. One grouped query after the supervisee lookup."""
    from tend.supervision.selectors import active_supervisee_ids

    supervisees = active_supervisee_ids(supervisor, organization, timezone.localdate())
    rows = (
        _awaiting_cosign(organization, supervisees)
        .values("author_id")
        .annotate(notes=Count("id"), oldest=Min("signed_at"))
        .order_by()
    )
    return {row["author_id"]: CosignBacklog(row["notes"], row["oldest"]) for row in rows}


def note_detail(note: ProgressNote, visible_client_ids: frozenset[int]) -> dict[str, Any]:
    """What the note page shows: participants, objectives, the member sections the reader
    may see, addenda and returns (a fixed number of queries)."""
    return {
        "participants": [
            entry.client
            for entry in note.appointment.participants.select_related("client")
            if entry.client_id in visible_client_ids
        ],
        # A group or family note may address each member's own plan: a reader sees only
        # the objectives of clients they may see.
        "objectives": list(
            note.objectives.filter(objective__goal__problem__plan__client_id__in=visible_client_ids)
            .select_related("objective__goal")
            .order_by("objective__position")
        ),
        "member_sections": [
            section
            for section in note.member_sections.select_related("client").order_by(
                "client__legal_last_name", "client__legal_first_name"
            )
            if section.client_id in visible_client_ids
        ],
        "addenda": list(note.addenda.select_related("author")),
        "returns": list(note.returns.select_related("supervisor")),
    }


def own_psychotherapy_note(appointment: Appointment, author: User) -> PsychotherapyNote | None:
    """The author's own process note on a session: nobody else's is ever read."""
    return PsychotherapyNote.objects.filter(appointment=appointment, author=author).first()


def appointment_note(appointment: Appointment) -> ProgressNote | None:
    return ProgressNote.objects.filter(appointment=appointment).first()


def final_notes_of(client: Client, *, start: date | None, end: date | None) -> list[ProgressNote]:
    """The signed, final notes of sessions the client attended in the date range (either
    end open, days as they run where the organization works), oldest first, with their
    objectives, addenda and the client's own member section (four queries). Drafts and
    notes awaiting co-signature are left out."""
    notes = ProgressNote.objects.filter(
        on_days("appointment__starts_at", start, end, client.organization.timezone),
        appointment__participants__client=client,
        status=ProgressNote.Status.FINAL,
    )
    return list(
        notes.select_related("appointment", "author", "cosigned_by")
        .prefetch_related(
            Prefetch(
                "objectives",
                # Only this client's plan objectives: a group note also addresses others'.
                queryset=NoteObjective.objects.filter(objective__goal__problem__plan__client=client)
                .select_related("objective")
                .order_by("objective__position"),
            ),
            Prefetch("addenda", queryset=NoteAddendum.objects.select_related("author")),
            Prefetch(
                "member_sections",
                queryset=NoteMemberSection.objects.filter(client=client),
                to_attr="client_member_sections",
            ),
        )
        .order_by("appointment__starts_at", "id")
    )


def released_psychotherapy_notes(
    client: Client, *, start: date | None, end: date | None
) -> list[PsychotherapyNote]:
    """Process notes their author released, from the client's sessions in the date range
    (days where the organization works; one query). Unreleased ones are never returned."""
    notes = PsychotherapyNote.objects.filter(
        on_days("appointment__starts_at", start, end, client.organization.timezone),
        appointment__participants__client=client,
        released_at__isnull=False,
    )
    return list(notes.select_related("appointment", "author").order_by("appointment__starts_at"))


API_NOTES_LIMIT = 200


def authored_notes(organization: Organization, author: User) -> list[ProgressNote]:
    return list(
        ProgressNote.objects.filter(organization=organization, author=author)
        .select_related("appointment", "author")
        .order_by("-appointment__starts_at")[:API_NOTES_LIMIT]
    )


def final_notes_by(organization: Organization, author: User) -> QuerySet[ProgressNote]:
    """The author's final (signed, and co-signed where needed) notes, for the hours ledger."""
    return ProgressNote.objects.filter(
        organization=organization, author=author, status=ProgressNote.Status.FINAL, locked=True
    ).select_related("appointment", "organization")
