from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from tend.audit.services import audit_read_record
from tend.care import notes, selectors, services
from tend.care.access import (
    NoteAccess,
    TherapyGroupAccess,
    appointment_for_user,
    clinical_appointment_for_user,
    clinician_for_user,
    clinicians_whose_clients_are_visible,
    note_for_user,
    room_for_user,
    schedules_for_everyone,
    therapy_group_for_user,
)
from tend.care.forms import (
    AddendumForm,
    BookingForm,
    CareSettingsForm,
    GroupMemberAddForm,
    GroupMemberLeaveForm,
    NoteForm,
    PsychotherapyNoteForm,
    ReleaseForm,
    RescheduleForm,
    ReturnForm,
    RoomForm,
    StatusForm,
    TherapyGroupForm,
)
from tend.care.models import Appointment, ProgressNote
from tend.care.note_templates import content_for_display, section_title
from tend.care.scheduling import to_local
from tend.clients.access import client_for_user, visible_clients
from tend.clients.models import Client
from tend.core.decorators import member_required, public_view
from tend.core.forms import add_service_errors
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest


def _htmx(request: MemberRequest) -> bool:
    # Set by django-htmx's middleware, which MemberRequest does not declare.
    details: HtmxDetails = request.htmx  # type: ignore[attr-defined]
    return bool(details)


def _requested_day(request: MemberRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate(timezone=_zone(request))


def _zone(request: MemberRequest) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(request.organization.timezone)


@member_required(Capability.VIEW_SCHEDULE)
def calendar_home(request: MemberRequest) -> HttpResponse:
    clinicians = selectors.organization_clinicians(request.organization)
    if request.user in clinicians and not schedules_for_everyone(request.tenancy):
        return redirect("care:calendar", clinician_id=request.user.public_id)
    return redirect("care:front_desk")


@member_required(Capability.VIEW_SCHEDULE)
def calendar(request: MemberRequest, clinician_id: uuid.UUID) -> HttpResponse:
    clinician = clinician_for_user(request.tenancy, clinician_id)
    view = "day" if request.GET.get("view") == "day" else "week"
    day = _requested_day(request)
    first_day = day if view == "day" else day - timedelta(days=day.weekday())
    length = 1 if view == "day" else 7
    days = selectors.calendar_days(
        organization=request.organization,
        clinicians=[clinician],
        first_day=first_day,
        days=length,
        visible_clinician_ids=clinicians_whose_clients_are_visible(
            request.tenancy, request.user, request.organization
        ),
    )
    audit_read_record(
        request, action="care.calendar_viewed", subject=clinician, organization=request.organization
    )
    context = {
        "clinician": clinician,
        "days": days,
        "view": view,
        "first_day": first_day,
        "previous_day": first_day - timedelta(days=length),
        "next_day": first_day + timedelta(days=length),
        "today": timezone.localdate(timezone=_zone(request)),
        "can_book": request.tenancy.can(Capability.MANAGE_SCHEDULE)
        and (schedules_for_everyone(request.tenancy) or clinician == request.user),
        "can_manage_groups": request.tenancy.can(Capability.MANAGE_SCHEDULE),
    }
    template = "care/calendar.html#grid" if _htmx(request) else "care/calendar.html"
    return render(request, template, context)


@member_required(Capability.VIEW_SCHEDULE)
def front_desk(request: MemberRequest) -> HttpResponse:
    day = _requested_day(request)
    clinicians = selectors.organization_clinicians(request.organization)
    days = selectors.calendar_days(
        organization=request.organization,
        clinicians=None,
        first_day=day,
        days=1,
        visible_clinician_ids=clinicians_whose_clients_are_visible(
            request.tenancy, request.user, request.organization
        ),
    )
    columns = [
        {
            "clinician": clinician,
            "entries": [e for e in days[0].entries if e.appointment.clinician_id == clinician.pk],
        }
        for clinician in clinicians
    ]
    audit_read_record(
        request,
        action="care.schedule_viewed",
        subject=request.organization,
        organization=request.organization,
    )
    context = {
        "columns": columns,
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "can_book": request.tenancy.can(Capability.MANAGE_SCHEDULE),
    }
    template = "care/front_desk.html#grid" if _htmx(request) else "care/front_desk.html"
    return render(request, template, context)


def _booking_form(request: MemberRequest, data: Any = None) -> BookingForm:
    organization = request.organization
    if schedules_for_everyone(request.tenancy):
        clinicians = selectors.organization_clinicians(organization)
    else:
        clinicians = [request.user]
    return BookingForm(
        data,
        clinicians=clinicians,
        clients=visible_clients(request.tenancy, request.user).order_by(
            "legal_last_name", "legal_first_name"
        ),
        case_groups=selectors.organization_case_groups(organization),
        therapy_groups=selectors.organization_therapy_groups(organization),
        rooms=selectors.organization_rooms(organization),
        initial={"date": request.GET.get("date") or timezone.localdate(timezone=_zone(request))},
    )


@member_required(Capability.MANAGE_SCHEDULE)
def appointment_new(request: MemberRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "care/appointment_new.html", {"form": _booking_form(request)})
    form = _booking_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            booked = services.appointment_book(
                organization=request.organization,
                actor=request.user,
                clinician=data["clinician"],
                kind=data["kind"],
                start_local=form.start_local(),
                duration_minutes=data["duration_minutes"],
                clients=list(data["clients"]),
                case_group=data["case_group"],
                therapy_group=data["therapy_group"],
                location=data["location"],
                video_link=data["video_link"],
                room=data["room"],
                rule=form.rrule(),
                allow_conflicts=data["allow_conflicts"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = len(booked)
            messages.success(request, f"Booked {count} appointment{'s' if count != 1 else ''}.")
            return redirect("care:appointment", appointment_id=booked[0].public_id)
    return render(request, "care/appointment_new.html", {"form": form}, status=400)


def _detail_context(request: MemberRequest, appointment_id: uuid.UUID) -> dict[str, Any]:
    access = appointment_for_user(request.tenancy, request.user, appointment_id)
    appointment = access.appointment
    zone = request.organization.timezone
    starts = to_local(appointment.starts_at, zone)
    return {
        "access": access,
        "appointment": appointment,
        "starts": starts,
        "ends": to_local(appointment.ends_at, zone),
        "clients": selectors.appointment_clients(appointment) if access.can_see_clients else None,
        "reschedule_form": RescheduleForm(
            rooms=selectors.organization_rooms(request.organization),
            initial={
                "date": starts.date(),
                "start_time": starts.time(),
                "duration_minutes": appointment.duration_minutes,
                "location": appointment.location,
                "video_link": appointment.video_link,
                "room": appointment.room.public_id if appointment.room else None,
            },
        ),
        "status_form": StatusForm(initial={"status": appointment.status}),
        "is_clinician": appointment.clinician_id == request.user.pk
        and request.tenancy.can(Capability.WRITE_CLINICAL),
        "note": selectors.appointment_note(appointment)
        if access.can_see_clients and request.tenancy.can(Capability.VIEW_CLINICAL)
        else None,
    }


@member_required(Capability.VIEW_SCHEDULE)
def appointment_detail(request: MemberRequest, appointment_id: uuid.UUID) -> HttpResponse:
    context = _detail_context(request, appointment_id)
    if context["access"].can_see_clients:
        audit_read_record(
            request,
            action="care.appointment_viewed",
            subject=context["appointment"],
            organization=request.organization,
        )
    return render(request, "care/appointment_detail.html", context)


@require_POST
@member_required(Capability.MANAGE_SCHEDULE)
def appointment_reschedule(request: MemberRequest, appointment_id: uuid.UUID) -> HttpResponse:
    access = appointment_for_user(request.tenancy, request.user, appointment_id, manage=True)
    form = RescheduleForm(request.POST, rooms=selectors.organization_rooms(request.organization))
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.appointment_reschedule(
                appointment=access.appointment,
                actor=request.user,
                start_local=form.start_local(),
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                video_link=data["video_link"],
                room=data["room"],
                following=data["scope"] == "following",
                allow_conflicts=data["allow_conflicts"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Moved {len(moved)} appointment(s).")
            return redirect("care:appointment", appointment_id=appointment_id)
    context = _detail_context(request, appointment_id)
    context["reschedule_form"] = form
    return render(request, "care/appointment_detail.html", context, status=400)


@require_POST
@member_required(Capability.MANAGE_SCHEDULE)
def appointment_status(request: MemberRequest, appointment_id: uuid.UUID) -> HttpResponse:
    access = appointment_for_user(request.tenancy, request.user, appointment_id, manage=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.appointment_status_set(
                appointment=access.appointment,
                actor=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Status saved.")
            return redirect("care:appointment", appointment_id=appointment_id)
    context = _detail_context(request, appointment_id)
    context["status_form"] = form
    return render(request, "care/appointment_detail.html", context, status=400)


def _feed_url(request: MemberRequest, raw: str) -> str:
    return request.build_absolute_uri(reverse("care:ical_feed", args=[raw]))


@member_required(Capability.VIEW_SCHEDULE)
def calendar_feed(request: MemberRequest) -> HttpResponse:
    clinicians = selectors.organization_clinicians(request.organization)
    return render(
        request,
        "care/calendar_feed.html",
        {
            "is_clinician": request.user in clinicians,
            "has_feed": selectors.has_live_feed(request.organization, request.user),
            "new_feed_url": None,
        },
    )


@require_POST
@member_required(Capability.MANAGE_SCHEDULE)
def calendar_feed_create(request: MemberRequest) -> HttpResponse:
    if request.user not in selectors.organization_clinicians(request.organization):
        raise PermissionDenied
    _, raw = services.calendar_feed_create(
        organization=request.organization, clinician=request.user
    )
    # The address is shown once, on this response, and never stored in the clear.
    return render(
        request,
        "care/calendar_feed.html",
        {"is_clinician": True, "has_feed": True, "new_feed_url": _feed_url(request, raw)},
    )


@require_POST
@member_required(Capability.MANAGE_SCHEDULE)
def calendar_feed_revoke(request: MemberRequest) -> HttpResponse:
    if request.user not in selectors.organization_clinicians(request.organization):
        raise PermissionDenied
    services.calendar_feed_revoke(organization=request.organization, clinician=request.user)
    messages.success(request, "The calendar feed address no longer works.")
    return redirect("care:calendar_feed")


@public_view
def ical_feed(request: Any, feed_token: str) -> HttpResponse:
    from tend.care.ical import clinician_feed

    feed = services.calendar_feed_authenticate(feed_token)
    if feed is None:
        return HttpResponse("Not found.", status=404, content_type="text/plain")
    return HttpResponse(clinician_feed(feed), content_type="text/calendar; charset=utf-8")


@member_required(Capability.OPEN_CLIENT_LIST)
def client_sessions(request: MemberRequest, client_id: uuid.UUID) -> HttpResponse:
    """All of a client's sessions, paged; notes linked for readers of the clinical record."""
    access = client_for_user(request.tenancy, request.user, client_id)
    page, rows = selectors.client_sessions_page(access, request.GET.get("page"))
    audit_read_record(
        request,
        action="care.client_sessions_viewed",
        subject=access.client,
        organization=request.organization,
        client_id=access.client.public_id,
    )
    context = {"client": access.client, "page": page, "rows": rows}
    return render(request, "care/client_sessions.html", context)


# --------------------------------------------------------------------------- notes


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def note_start(request: MemberRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment, _ = clinical_appointment_for_user(request.tenancy, request.user, appointment_id)
    try:
        note = notes.note_start(appointment=appointment, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("care:appointment", appointment_id=appointment_id)
    return redirect("care:note", note_id=note.public_id)


def _note_form(access: NoteAccess, data: Any = None) -> NoteForm:
    note = access.note
    members = []
    if note.appointment.kind == Appointment.Kind.GROUP:
        members = [
            entry.client
            for entry in note.appointment.participants.select_related("client").order_by(
                "client__legal_last_name", "client__legal_first_name"
            )
        ]
    return NoteForm(
        data,
        note=note,
        objectives=selectors.objectives_for_session(note.appointment),
        members=members,
    )


def _note_context(request: MemberRequest, access: NoteAccess, **extra: Any) -> dict[str, Any]:
    note = access.note
    zone = request.organization.timezone
    context = {
        "access": access,
        "note": note,
        "appointment": note.appointment,
        "starts": to_local(note.appointment.starts_at, zone),
        "ends": to_local(note.appointment.ends_at, zone),
        "suggestion": notes.cpt_suggestion_for(note),
        "content": content_for_display(note.note_format, note.modality, note.content),
        "format_title": section_title("format", note.note_format),
        "modality_title": section_title("modality", note.modality),
        "addendum_form": AddendumForm(),
        "return_form": ReturnForm(),
        **selectors.note_detail(note, access.visible_client_ids),
    }
    if access.can_edit and "form" not in extra:
        context["form"] = _note_form(access)
    context.update(extra)
    return context


@member_required(Capability.VIEW_CLINICAL)
def note_page(request: MemberRequest, note_id: uuid.UUID) -> HttpResponse:
    access = note_for_user(request.tenancy, request.user, note_id)
    audit_read_record(
        request, action="notes.viewed", subject=access.note, organization=request.organization
    )
    return render(request, "care/note.html", _note_context(request, access))


def _editable(request: MemberRequest, note_id: uuid.UUID) -> NoteAccess:
    access = note_for_user(request.tenancy, request.user, note_id)
    if not access.can_edit:
        raise PermissionDenied
    return access


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def note_draft(request: MemberRequest, note_id: uuid.UUID) -> HttpResponse:
    access = _editable(request, note_id)
    form = _note_form(access, request.POST)
    saved = False
    if form.is_valid():
        try:
            notes.note_save_draft(note=access.note, actor=request.user, **form.service_arguments())
            saved = True
        except ValidationError as error:
            add_service_errors(form, error)
    if _htmx(request):
        # Autosave reports into a status line; the full form shows errors on explicit save.
        return render(
            request,
            "care/note.html#autosave",
            {"saved": saved, "saved_at": timezone.localtime(), "errors": form.errors},
        )
    if saved:
        messages.success(request, "Draft saved.")
        return redirect("care:note", note_id=note_id)
    return render(request, "care/note.html", _note_context(request, access, form=form), status=400)


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def note_sign(request: MemberRequest, note_id: uuid.UUID) -> HttpResponse:
    access = _editable(request, note_id)
    form = _note_form(access, request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                note = notes.note_save_draft(
                    note=access.note, actor=request.user, **form.service_arguments()
                )
                note = notes.note_sign(note=note, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if note.status == ProgressNote.Status.AWAITING_COSIGN:
                messages.success(request, "Signed and sent to your supervisor to co-sign.")
            else:
                messages.success(request, "Signed. The note is now locked.")
            return redirect("care:note", note_id=note_id)
    return render(request, "care/note.html", _note_context(request, access, form=form), status=400)


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def note_addendum(request: MemberRequest, note_id: uuid.UUID) -> HttpResponse:
    access = note_for_user(request.tenancy, request.user, note_id)
    if not access.can_add_addendum:
        raise PermissionDenied
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            notes.note_addendum_add(note=access.note, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Addendum added.")
            return redirect("care:note", note_id=note_id)
    context = _note_context(request, access, addendum_form=form)
    return render(request, "care/note.html", context, status=400)


def _cosignable(request: MemberRequest, note_id: uuid.UUID) -> NoteAccess:
    access = note_for_user(request.tenancy, request.user, note_id)
    if not access.can_cosign:
        raise PermissionDenied
    return access


@require_POST
@member_required(Capability.SUPERVISE)
def note_cosign(request: MemberRequest, note_id: uuid.UUID) -> HttpResponse:
    access = _cosignable(request, note_id)
    notes.note_cosign(note=access.note, actor=request.user)
    messages.success(request, "Co-signed. The note is final and locked.")
    return redirect("care:cosign_queue")


@require_POST
@member_required(Capability.SUPERVISE)
def note_return(request: MemberRequest, note_id: uuid.UUID) -> HttpResponse:
    access = _cosignable(request, note_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            notes.note_return(
                note=access.note, actor=request.user, comments=form.cleaned_data["comments"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Returned to the associate with your comments.")
            return redirect("care:cosign_queue")
    context = _note_context(request, access, return_form=form)
    return render(request, "care/note.html", context, status=400)


@member_required(Capability.SUPERVISE)
def cosign_queue(request: MemberRequest) -> HttpResponse:
    try:
        after = uuid.UUID(request.GET.get("after", ""))
    except ValueError:
        after = None  # no cursor, or a mangled one: start from the oldest
    page = selectors.cosign_queue(request.organization, request.user, after=after)
    return render(request, "care/cosign_queue.html", {"page": page, "continued": after is not None})


# --------------------------------------------------------------------------- process notes


def _process_note_context(
    request: MemberRequest, appointment: Appointment, **extra: Any
) -> dict[str, Any]:
    own = selectors.own_psychotherapy_note(appointment, request.user)
    zone = request.organization.timezone
    return {
        "appointment": appointment,
        "starts": to_local(appointment.starts_at, zone),
        "process_note": own,
        "form": PsychotherapyNoteForm(initial={"body": own.body if own else ""}),
        "release_form": ReleaseForm(),
        **extra,
    }


@member_required(Capability.VIEW_CLINICAL)
def process_note(request: MemberRequest, appointment_id: uuid.UUID) -> HttpResponse:
    """The acting clinician's own process note on a session: nobody else's is ever shown."""
    appointment, _ = clinical_appointment_for_user(request.tenancy, request.user, appointment_id)
    if request.method != "POST":
        context = _process_note_context(request, appointment)
        if context["process_note"] is not None:
            audit_read_record(
                request,
                action="notes.psychotherapy_note_viewed",
                subject=context["process_note"],
                organization=request.organization,
            )
        return render(request, "care/process_note.html", context)
    if not request.tenancy.can(Capability.WRITE_CLINICAL):
        raise PermissionDenied
    form = PsychotherapyNoteForm(request.POST)
    if form.is_valid():
        try:
            notes.psychotherapy_note_save(
                appointment=appointment, actor=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Process note saved.")
            return redirect("care:process_note", appointment_id=appointment_id)
    context = _process_note_context(request, appointment, form=form)
    return render(request, "care/process_note.html", context, status=400)


@require_POST
@member_required(Capability.WRITE_CLINICAL)
def process_note_release(request: MemberRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment, _ = clinical_appointment_for_user(request.tenancy, request.user, appointment_id)
    own = selectors.own_psychotherapy_note(appointment, request.user)
    if own is None:
        raise Http404
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            notes.psychotherapy_note_release(
                note=own, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Released. The release and its reason are recorded.")
            return redirect("care:process_note", appointment_id=appointment_id)
    context = _process_note_context(request, appointment, release_form=form)
    return render(request, "care/process_note.html", context, status=400)


# --------------------------------------------------------------------------- settings and rooms


def _settings_page(
    request: MemberRequest,
    *,
    form: CareSettingsForm | None = None,
    new_room_form: RoomForm | None = None,
    rename_form: RoomForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The care settings and the rooms; a form that failed comes back bound, with errors."""
    if form is None:
        current = selectors.care_settings_for(request.organization)
        form = CareSettingsForm(
            initial={
                "late_entry_hours": current.late_entry_hours,
                "calendar_feed_initials": current.calendar_feed_initials,
            }
        )
    rooms = []
    for room in selectors.organization_rooms(request.organization):
        # Each rename form has its room's id as prefix, so field ids stay unique on the page.
        prefix = str(room.public_id)
        failed = rename_form is not None and rename_form.prefix == prefix
        rooms.append(
            {
                "room": room,
                "form": rename_form
                if failed
                else RoomForm(initial={"name": room.name}, prefix=prefix),
            }
        )
    context = {"form": form, "rooms": rooms, "new_room_form": new_room_form or RoomForm()}
    return render(request, "care/settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_ORGANIZATION)
def care_settings(request: MemberRequest) -> HttpResponse:
    if request.method != "POST":
        return _settings_page(request)
    form = CareSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.care_settings_update(
                organization=request.organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Scheduling and notes settings saved.")
            return redirect("care:settings")
    return _settings_page(request, form=form, status=400)


@require_POST
@member_required(Capability.MANAGE_ORGANIZATION)
def room_create(request: MemberRequest) -> HttpResponse:
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            room = services.room_create(
                organization=request.organization,
                actor=request.user,
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Room “{room.name}” added.")
            return redirect("care:settings")
    return _settings_page(request, new_room_form=form, status=400)


@require_POST
@member_required(Capability.MANAGE_ORGANIZATION)
def room_rename(request: MemberRequest, room_id: uuid.UUID) -> HttpResponse:
    room = room_for_user(request.tenancy, room_id)
    form = RoomForm(request.POST, prefix=str(room.public_id))
    if form.is_valid():
        try:
            services.room_rename(room=room, actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Room renamed.")
            return redirect("care:settings")
    return _settings_page(request, rename_form=form, status=400)


# --------------------------------------------------------------------------- therapy groups


def _group_form(request: MemberRequest, data: Any = None) -> TherapyGroupForm:
    if schedules_for_everyone(request.tenancy):
        clinicians = selectors.organization_clinicians(request.organization)
    else:
        clinicians = [request.user]
    return TherapyGroupForm(
        data,
        clinicians=clinicians,
        clients=_ordered(visible_clients(request.tenancy, request.user)),
        initial={"joined_on": timezone.localdate(timezone=_zone(request))},
    )


def _ordered(clients: QuerySet[Client]) -> QuerySet[Client]:
    return clients.order_by("legal_last_name", "legal_first_name")


@member_required(Capability.MANAGE_SCHEDULE)
def therapy_groups(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "care/therapy_groups.html",
        {"groups": selectors.therapy_groups_overview(request.organization)},
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.MANAGE_SCHEDULE)
def therapy_group_new(request: MemberRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "care/therapy_group_new.html", {"form": _group_form(request)})
    form = _group_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            group = services.therapy_group_create(
                organization=request.organization,
                actor=request.user,
                name=data["name"],
                facilitator=data["facilitator"],
                members=list(data["members"]),
                joined_on=data["joined_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Group “{group.name}” started.")
            return redirect("care:therapy_group", therapy_group_id=group.public_id)
    return render(request, "care/therapy_group_new.html", {"form": form}, status=400)


def _group_page(
    request: MemberRequest, access: TherapyGroupAccess, *, status: int = 200, **forms: Any
) -> HttpResponse:
    group = access.group
    context: dict[str, Any] = {"access": access, "group": group}
    if access.can_manage:
        members = selectors.therapy_group_members(group)
        current_ids = [member.client_id for member in members if member.left_on is None]
        today = timezone.localdate(timezone=_zone(request))
        context["members"] = members
        context["add_form"] = forms.get("add_form") or GroupMemberAddForm(
            clients=_ordered(
                visible_clients(request.tenancy, request.user).exclude(pk__in=current_ids)
            ),
            initial={"joined_on": today},
        )
        context["leave_form"] = forms.get("leave_form") or GroupMemberLeaveForm(
            clients=_ordered(Client.objects.filter(pk__in=current_ids)),
            initial={"left_on": today},
        )
    return render(request, "care/therapy_group.html", context, status=status)


@member_required(Capability.MANAGE_SCHEDULE)
def therapy_group(request: MemberRequest, therapy_group_id: uuid.UUID) -> HttpResponse:
    access = therapy_group_for_user(request.tenancy, request.user, therapy_group_id)
    if access.can_manage:
        audit_read_record(
            request,
            action="care.therapy_group_viewed",
            subject=access.group,
            organization=request.organization,
        )
    return _group_page(request, access)


@require_POST
@member_required(Capability.MANAGE_SCHEDULE)
def therapy_group_member_add(request: MemberRequest, therapy_group_id: uuid.UUID) -> HttpResponse:
    access = therapy_group_for_user(request.tenancy, request.user, therapy_group_id, manage=True)
    form = GroupMemberAddForm(request.POST, clients=visible_clients(request.tenancy, request.user))
    if form.is_valid():
        try:
            services.therapy_group_member_add(
                group=access.group, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['client']} joined the group.")
            return redirect("care:therapy_group", therapy_group_id=therapy_group_id)
    return _group_page(request, access, add_form=form, status=400)


@require_POST
@member_required(Capability.MANAGE_SCHEDULE)
def therapy_group_member_leave(request: MemberRequest, therapy_group_id: uuid.UUID) -> HttpResponse:
    access = therapy_group_for_user(request.tenancy, request.user, therapy_group_id, manage=True)
    form = GroupMemberLeaveForm(
        request.POST,
        clients=Client.objects.filter(
            pk__in=access.group.members.filter(left_on__isnull=True).values("client_id")
        ),
    )
    if form.is_valid():
        try:
            services.therapy_group_member_leave(
                group=access.group, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['client']} left the group.")
            return redirect("care:therapy_group", therapy_group_id=therapy_group_id)
    return _group_page(request, access, leave_form=form, status=400)
