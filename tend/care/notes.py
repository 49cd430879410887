"""Every change to progress notes, addenda and psychotherapy notes goes through here.

A note is written by the clinician of a kept appointment. Signing stores a SHA-256 hash
of the note's content; a licensed clinician's signature makes the note final and locked,
an associate's sends it to their supervisor, whose co-signature makes it final and locked
(or who returns it with comments). A locked note never changes: corrections are addenda.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tend.accounts.models import Membership, User
from tend.audit.services import audit_event_record
from tend.care.cpt import CptSuggestion, suggest_cpt
from tend.care.models import (
    Appointment,
    CareSettings,
    NoteAddendum,
    NoteMemberSection,
    NoteObjective,
    NoteReturn,
    ProgressNote,
    PsychotherapyNote,
)
from tend.care.note_templates import clean_content, content_is_empty
from tend.care.scheduling import to_local
from tend.care.selectors import care_settings_for, own_psychotherapy_note
from tend.care.signals import note_finalized
from tend.clients.models import Client
from tend.core.permissions import Role
from tend.plans.models import Objective
from tend.supervision.models import SupervisionRelationship

DEFAULT_FORMAT = "dap"
DEFAULT_MODALITY = "generic"
EDITABLE = (ProgressNote.Status.DRAFT, ProgressNote.Status.RETURNED)


@dataclass(frozen=True)
class ObjectiveEntry:
    objective: Objective
    progress: str
    value: Decimal | None = None


@dataclass(frozen=True)
class MemberEntry:
    client: Client
    participation: str
    progress: str


def _audit(action: str, note: ProgressNote, actor: User, **extra: Any) -> None:
    audit_event_record(
        action=f"notes.{action}",
        actor=actor,
        organization=note.organization,
        subject=note,
        extra=extra or None,
    )


def cpt_suggestion_for(note: ProgressNote) -> CptSuggestion | None:
    """The CPT suggestion for the note's session from its recorded minutes, or None."""
    minutes = note.minutes
    if minutes is None:
        return None
    appointment = note.appointment
    return suggest_cpt(
        service=appointment.kind,
        minutes=minutes,
        telehealth=appointment.location == Appointment.Location.TELEHEALTH,
    )


def supervisor_of(note_author: User, organization: Any, on: Any) -> User | None:
    """The author's active supervisor when the author is an associate, else None."""
    is_associate = Membership.objects.filter(
        organization=organization, user=note_author, role=Role.ASSOCIATE
    ).exists()
    if not is_associate:
        return None
    relationship = (
        SupervisionRelationship.objects.filter(
            organization=organization,
            supervisee=note_author,
            supervisor__isnull=False,  # an external supervisor cannot co-sign in Tend
            started_on__lte=on,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .select_related("supervisor")
        .order_by("started_on")
        .first()
    )
    if relationship is None:
        raise ValidationError(
            {"__all__": "An associate's notes need a supervisor to co-sign; none is active."}
        )
    return relationship.supervisor


def _supervises(supervisor: User, note: ProgressNote) -> bool:
    today = timezone.localdate()
    return (
        SupervisionRelationship.objects.filter(
            organization=note.organization,
            supervisor=supervisor,
            supervisee_id=note.author_id,
            started_on__lte=today,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .exists()
    )


@transaction.atomic
def note_start(*, appointment: Appointment, actor: User) -> ProgressNote:
    """The note of a kept appointment, created as a draft for its clinician if needed."""
    existing = ProgressNote.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    if appointment.status != Appointment.Status.KEPT:
        raise ValidationError({"__all__": "Notes are written for kept appointments."})
    if appointment.clinician_id != actor.pk:
        raise PermissionDenied("Only the clinician of the session writes its note.")
    note = ProgressNote(
        organization=appointment.organization,
        appointment=appointment,
        author=actor,
        note_format=DEFAULT_FORMAT,
        modality=DEFAULT_MODALITY,
        actual_start=appointment.starts_at,
        actual_end=appointment.ends_at,
    )
    note.content = clean_content(note.note_format, note.modality, {})
    suggestion = cpt_suggestion_for(note)
    note.cpt_suggested = (suggestion.code or "") if suggestion is not None else ""
    note.full_clean()
    note.save()
    _audit("created", note, actor, appointment=str(appointment.public_id))
    return note


def _check_editable(note: ProgressNote, actor: User) -> None:
    if note.locked or note.status not in EDITABLE:
        raise ValidationError({"__all__": "This note is signed and can no longer be edited."})
    if note.author_id != actor.pk:
        raise PermissionDenied("Only the author edits a note.")


@transaction.atomic
def note_save_draft(
    *,
    note: ProgressNote,
    actor: User,
    note_format: str,
    modality: str,
    content: dict[str, Any],
    actual_start: datetime | None,
    actual_end: datetime | None,
    others_present: str = "",
    interventions: str = "",
    risk_update: str = "",
    risk_details: str = "",
    measures_given: str = "",
    cpt_code: str = "",
    cpt_override_reason: str = "",
    objectives: list[ObjectiveEntry] | None = None,
    members: list[MemberEntry] | None = None,
) -> ProgressNote:
    """Save the author's draft (autosave calls this). Refused once the note is signed.

    Objectives must belong to the plan version active on the session date of one of the
    session's clients; member sections must be for the session's clients.
    """
    # Re-read under a row lock so an autosave cannot race a signature.
    note = ProgressNote.objects.select_for_update().select_related("appointment").get(pk=note.pk)
    _check_editable(note, actor)
    note.note_format = note_format
    note.modality = modality
    note.content = clean_content(note_format, modality, content)
    note.actual_start = actual_start
    note.actual_end = actual_end
    if actual_start is not None and actual_end is not None and actual_end <= actual_start:
        raise ValidationError({"actual_end": "The session ends after it starts."})
    note.others_present = others_present.strip()
    note.interventions = interventions.strip()
    note.risk_update = risk_update
    note.risk_details = risk_details.strip()
    note.measures_given = measures_given.strip()
    note.cpt_code = cpt_code.strip()
    note.cpt_override_reason = cpt_override_reason.strip()
    suggestion = cpt_suggestion_for(note)
    note.cpt_suggested = (suggestion.code or "") if suggestion is not None else ""
    note.full_clean()
    note.save()
    participants = {entry.client_id for entry in note.appointment.participants.all()}
    if objectives is not None:
        from tend.care.selectors import objectives_for_session

        allowed = {objective.pk for objective in objectives_for_session(note.appointment)}
        if any(entry.objective.pk not in allowed for entry in objectives):
            raise ValidationError(
                {"objectives": "Choose objectives of the plan in force on the session date."}
            )
        note.objectives.all().delete()
        NoteObjective.objects.bulk_create(
            NoteObjective(
                note=note, objective=entry.objective, progress=entry.progress, value=entry.value
            )
            for entry in objectives
        )
    if members is not None:
        if any(entry.client.pk not in participants for entry in members):
            raise ValidationError({"__all__": "Member sections are for the session's clients."})
        note.member_sections.all().delete()
        NoteMemberSection.objects.bulk_create(
            NoteMemberSection(
                note=note,
                client=entry.client,
                participation=entry.participation.strip(),
                progress=entry.progress.strip(),
            )
            for entry in members
        )
    _audit("draft_saved", note, actor)
    return note


def note_content_hash(note: ProgressNote) -> str:
    """SHA-256 over the note's clinical content, in a canonical JSON form."""
    return content_hash(
        note,
        objectives=[
            (str(o.objective.public_id), o.progress, str(o.value) if o.value is not None else None)
            for o in note.objectives.select_related("objective")
        ],
        members=[
            (str(m.client.public_id), m.participation, m.progress)
            for m in note.member_sections.select_related("client")
        ],
    )


def content_hash(
    note: ProgressNote,
    *,
    objectives: list[tuple[str, str, str | None]],
    members: list[tuple[str, str, str]],
) -> str:
    """The hash of a note given its objective and member rows (no database access)."""
    payload = {
        "note": str(note.public_id),
        "appointment": str(note.appointment.public_id),
        "author": str(note.author.public_id),
        "format": note.note_format,
        "modality": note.modality,
        "content": note.content,
        "actual_start": note.actual_start.isoformat() if note.actual_start else None,
        "actual_end": note.actual_end.isoformat() if note.actual_end else None,
        "others_present": note.others_present,
        "interventions": note.interventions,
        "risk_update": note.risk_update,
        "risk_details": note.risk_details,
        "measures_given": note.measures_given,
        "cpt_code": note.cpt_code,
        "cpt_override_reason": note.cpt_override_reason,
        "objectives": sorted(list(row) for row in objectives),
        "members": sorted(list(row) for row in members),
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_complete(note: ProgressNote) -> None:
    errors: dict[str, str] = {}
    if note.actual_start is None or note.actual_end is None:
        errors["actual_start"] = "Record when the session actually started and ended."
    if content_is_empty(note.content):
        errors["__all__"] = "Write the note before signing it."
    if not note.risk_update:
        errors["risk_update"] = "Say whether risk changed since the last session."
    if note.risk_update == ProgressNote.RiskUpdate.CHANGED and not note.risk_details:
        errors["risk_details"] = "Say what changed (and update the risk screening)."
    if note.cpt_code and note.cpt_code != note.cpt_suggested and not note.cpt_override_reason:
        errors["cpt_override_reason"] = (
            f"Give a reason for billing {note.cpt_code} instead of the suggested "
            f"{note.cpt_suggested or 'nothing'}."
        )
    if not note.cpt_code and not note.cpt_suggested:
        errors["cpt_code"] = "No code applies to these minutes; enter one with a reason."
    if errors:
        raise ValidationError(errors)


def _finalize(note: ProgressNote, actor: User) -> None:
    """Make the note final: lock it and feed its objective values to the plan."""
    from tend.plans.services import objective_progress_record

    note.status = ProgressNote.Status.FINAL
    note.locked = True
    session_day = to_local(note.appointment.starts_at, note.organization.timezone).date()
    # Read the rows first: writing while a read is still open on the same SQLite
    # connection can fail with "table is locked".
    measured = list(note.objectives.select_related("objective").exclude(value__isnull=True))
    for entry in measured:
        assert entry.value is not None  # noqa: S101  (excluded above)
        objective_progress_record(
            objective=entry.objective,
            actor=actor,
            recorded_on=session_day,
            value=entry.value,
            note_public_id=note.public_id,
        )


def is_late_entry(*, ended_at: datetime, signed_at: datetime, settings: CareSettings) -> bool:
    """Whether a note signed at `signed_at` for a session that ended at `ended_at` is a
    late entry: signed more than the organization's late-entry hours after the session."""
    return signed_at > ended_at + timedelta(hours=settings.late_entry_hours)


@transaction.atomic
def note_sign(*, note: ProgressNote, actor: User) -> ProgressNote:
    """Sign the author's note: store the content hash, flag a late entry, and make the
    note final and locked, or send it to the supervisor when the author is an associate.
    """
    note = (
        ProgressNote.objects.select_for_update()
        .select_related("appointment", "organization", "author")
        .get(pk=note.pk)
    )
    _check_editable(note, actor)
    if not note.cpt_code:
        note.cpt_code = note.cpt_suggested
    _check_complete(note)
    now = timezone.now()
    note.signed_at = now
    note.late_entry = is_late_entry(
        ended_at=note.appointment.ends_at,
        signed_at=now,
        settings=care_settings_for(note.organization),
    )
    note.content_hash = note_content_hash(note)
    supervisor = supervisor_of(note.author, note.organization, timezone.localdate())
    if supervisor is None:
        _finalize(note, actor)
    else:
        note.status = ProgressNote.Status.AWAITING_COSIGN
    note.full_clean()
    note.save()
    _audit(
        "signed",
        note,
        actor,
        late_entry=note.late_entry,
        content_hash=note.content_hash,
        cosign_by=str(supervisor.public_id) if supervisor else None,
    )
    if note.locked:
        note_finalized.send(sender=ProgressNote, note=note)
    return note


@transaction.atomic
def note_cosign(*, note: ProgressNote, actor: User) -> ProgressNote:
    """The author's active supervisor co-signs: the note becomes final and locked."""
    note = (
        ProgressNote.objects.select_for_update()
        .select_related("appointment", "organization")
        .get(pk=note.pk)
    )
    if note.status != ProgressNote.Status.AWAITING_COSIGN:
        raise ValidationError({"__all__": "This note is not waiting for a co-signature."})
    if not _supervises(actor, note):
        raise PermissionDenied("Only the author's supervisor co-signs.")
    if note_content_hash(note) != note.content_hash:
        raise ValidationError({"__all__": "The note changed after it was signed."})
    note.cosigned_by = actor
    note.cosigned_at = timezone.now()
    _finalize(note, actor)
    note.full_clean()
    note.save()
    _audit("cosigned", note, actor)
    note_finalized.send(sender=ProgressNote, note=note)
    return note


@transaction.atomic
def note_return(*, note: ProgressNote, actor: User, comments: str) -> NoteReturn:
    """The supervisor returns the note to the associate with comments (kept for good)."""
    note = ProgressNote.objects.select_for_update().get(pk=note.pk)
    if note.status != ProgressNote.Status.AWAITING_COSIGN:
        raise ValidationError({"__all__": "This note is not waiting for a co-signature."})
    if not _supervises(actor, note):
        raise PermissionDenied("Only the author's supervisor returns a note.")
    if not comments.strip():
        raise ValidationError({"comments": "Say what the associate should change."})
    returned = NoteReturn(note=note, supervisor=actor, comments=comments.strip())
    returned.full_clean()
    returned.save()
    note.status = ProgressNote.Status.RETURNED
    note.signed_at = None
    note.content_hash = ""
    note.save(update_fields=["status", "signed_at", "content_hash", "updated_at"])
    _audit("returned", note, actor, note_return=str(returned.public_id))
    return returned


@transaction.atomic
def note_addendum_add(*, note: ProgressNote, actor: User, reason: str, body: str) -> NoteAddendum:
    """Append a dated addendum to a signed note; the note itself is untouched."""
    if note.status == ProgressNote.Status.DRAFT or note.signed_at is None:
        raise ValidationError({"__all__": "Edit the draft instead: it is not signed yet."})
    if actor.pk not in {note.author_id, note.cosigned_by_id}:
        raise PermissionDenied("Only the author or the co-signer adds an addendum.")
    addendum = NoteAddendum(note=note, author=actor, reason=reason.strip(), body=body.strip())
    addendum.full_clean()
    addendum.save()
    _audit("addendum_added", note, actor, addendum=str(addendum.public_id))
    return addendum


@transaction.atomic
def psychotherapy_note_save(
    *, appointment: Appointment, actor: User, body: str
) -> PsychotherapyNote:
    """Write or rewrite the actor's own process note on a session (never anyone else's)."""
    note = own_psychotherapy_note(appointment, actor)
    if note is None:
        note = PsychotherapyNote(
            organization=appointment.organization, appointment=appointment, author=actor
        )
    if note.released_at is not None:
        raise ValidationError({"body": "A released process note can no longer be changed."})
    note.body = body.strip()
    note.full_clean()
    note.save()
    audit_event_record(
        action="notes.psychotherapy_note_saved",
        actor=actor,
        organization=appointment.organization,
        subject=note,
    )
    return note


@transaction.atomic
def psychotherapy_note_release(
    *, note: PsychotherapyNote, actor: User, reason: str
) -> PsychotherapyNote:
    """The author releases one process note (e.g. on the client's written authorization)."""
    if note.author_id != actor.pk:
        raise PermissionDenied("Only the author releases a process note.")
    if not reason.strip():
        raise ValidationError({"reason": "Record why the note is released."})
    if note.released_at is not None:
        raise ValidationError({"reason": "This note was already released."})
    if note.appointment.participants.count() > 1:
        # One client's authorization cannot release what was written about the others; a
        # release is recorded per note, so it would reach every participant's records.
        raise ValidationError(
            {"reason": "A process note of a session with several clients cannot be released."}
        )
    note.released_at = timezone.now()
    note.release_reason = reason.strip()
    note.full_clean()
    note.save(update_fields=["released_at", "release_reason", "updated_at"])
    audit_event_record(
        action="notes.psychotherapy_note_released",
        actor=actor,
        organization=note.organization,
        subject=note,
    )
    return note
