"""Every change to licences, compact privileges and exam attempts goes through here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tend.accounts.models import Membership, Organization, User
from tend.audit.services import audit_event_record
from tend.core.permissions import Role
from tend.licensure import requirements
from tend.licensure.models import (
    CompactPrivilege,
    ExamAttempt,
    HoursCategory,
    HoursEntry,
    HoursVerification,
    License,
)
from tend.licensure.selectors import license_line_for
from tend.supervision.selectors import path_of, supervised_during

if TYPE_CHECKING:
    from tend.care.models import ProgressNote
    from tend.supervision.models import SupervisionSession


@transaction.atomic
def license_create(
    *,
    holder: User,
    state: str,
    family: str,
    title: str,
    number: str,
    issued_on: date,
    expires_on: date,
    status: str,
) -> License:
    """Record one of `holder`'s licences or associate registrations."""
    license_ = License(
        holder=holder,
        state=state,
        family=family,
        title=title.strip(),
        number=number.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        status=status,
    )
    _check_dates(issued_on, expires_on)
    license_.full_clean()
    license_.save()
    audit_event_record(
        action="licensure.license_created",
        actor=holder,
        subject=license_,
        extra={"state": state, "family": family, "status": status},
    )
    return license_


@transaction.atomic
def license_update(*, license_: License, actor: User, expires_on: date, status: str) -> License:
    """Renew or change the status of a licence (the holder only; the caller checks)."""
    _check_dates(license_.issued_on, expires_on)
    changed = [
        name
        for name, value in (("expires_on", expires_on), ("status", status))
        if getattr(license_, name) != value
    ]
    license_.expires_on = expires_on
    license_.status = status
    license_.full_clean()
    license_.save(update_fields=["expires_on", "status", "updated_at"])
    audit_event_record(
        action="licensure.license_updated", actor=actor, subject=license_, extra={"fields": changed}
    )
    return license_


def _check_dates(issued_on: date, expires_on: date) -> None:
    if expires_on <= issued_on:
        raise ValidationError({"expires_on": "The expiry date must be after the issue date."})


@transaction.atomic
def compact_privilege_add(
    *, holder: User, home_license: License, compact_code: str, state: str, expires_on: date
) -> CompactPrivilege:
    """Record a compact privilege, only where the requirement data shows the compact covers
    the home licence's family and lists both the home and the remote state as members."""
    known = requirements.compacts()
    if compact_code not in known:
        raise ValidationError({"compact_code": "Choose a compact from the list."})
    compact = known[compact_code]
    if home_license.holder_id != holder.pk:
        raise ValidationError({"home_license": "Choose one of your own licences."})
    if home_license.status != License.Status.ACTIVE:
        raise ValidationError(
            {"home_license": "A compact privilege rests on an active, full licence."}
        )
    if home_license.family not in compact.licenses_covered:
        raise ValidationError(
            {"compact_code": f"The {compact.name} does not cover this licence family."}
        )
    if state == home_license.state:
        raise ValidationError({"state": "The remote state must differ from the home state."})
    for checked, field in ((home_license.state, "home_license"), (state, "state")):
        standing = requirements.compact_allows(compact_code, checked)
        if standing.is_member is not True:
            raise ValidationError({field: standing.explanation})
    privilege = CompactPrivilege(
        holder=holder,
        home_license=home_license,
        compact_code=compact_code,
        state=state,
        expires_on=expires_on,
    )
    privilege.full_clean()
    privilege.save()
    audit_event_record(
        action="licensure.privilege_added",
        actor=holder,
        subject=privilege,
        extra={"compact": compact_code, "state": state},
    )
    return privilege


@transaction.atomic
def exam_attempt_record(
    *, candidate: User, exam_code: str, taken_on: date, result: str
) -> ExamAttempt:
    if exam_code not in requirements.exams_catalogue():
        raise ValidationError({"exam_code": "Choose an exam from the catalogue."})
    attempt = ExamAttempt(
        candidate=candidate, exam_code=exam_code, taken_on=taken_on, result=result
    )
    attempt.full_clean()
    attempt.save()
    audit_event_record(
        action="licensure.exam_attempt_recorded",
        actor=candidate,
        subject=attempt,
        extra={"exam": exam_code, "result": result},
    )
    return attempt


# ----------------------------------------------------------------------- hours ledger

# The kind of a documented session decides its category. Collateral contact (with family
# or other professionals about the client) is not face-to-face client contact, so it is
# logged as indirect work; the row notes of each state say what counts as direct.
_CATEGORY_OF_SESSION = {
    "individual": HoursCategory.DIRECT_INDIVIDUAL,
    "intake": HoursCategory.DIRECT_INDIVIDUAL,
    "crisis": HoursCategory.DIRECT_INDIVIDUAL,
    "couples": HoursCategory.DIRECT_COUPLES_FAMILY,
    "family": HoursCategory.DIRECT_COUPLES_FAMILY,
    "group": HoursCategory.DIRECT_GROUP,
    "collateral": HoursCategory.INDIRECT,
}
# Triadic supervision (one supervisor, two supervisees) is individual supervision where the
# data says so (TX counselor row: "individual = up to 2 associates"); group is group.
_CATEGORY_OF_SUPERVISION = {
    "individual": HoursCategory.SUPERVISION_INDIVIDUAL,
    "triadic": HoursCategory.SUPERVISION_INDIVIDUAL,
    "group": HoursCategory.SUPERVISION_GROUP,
}


def category_for_session_kind(kind: str) -> str:
    """The ledger category of a session of this appointment kind."""
    return _CATEGORY_OF_SESSION[kind]


def _is_associate(user_id: int, organization: Organization) -> bool:
    return Membership.objects.filter(
        organization=organization, user_id=user_id, role=Role.ASSOCIATE
    ).exists()


def session_hours_entry(note: ProgressNote, organization: Organization) -> HoursEntry | None:
    """The unsaved ledger entry a final note's session accrues to its author: the note's
    public id, the session's local date, the minutes and the category; nothing about the
    client. None for a note that accrues nothing (not final, or without session times).
    (Bulk loaders build entries here too, so they count exactly as accrual does.)"""
    minutes = note.minutes
    if not note.locked or minutes is None:
        return None
    appointment = note.appointment
    return HoursEntry(
        organization=organization,
        associate_id=note.author_id,
        category=_CATEGORY_OF_SESSION.get(appointment.kind, HoursCategory.INDIRECT),
        worked_on=appointment.starts_at.astimezone(ZoneInfo(organization.timezone)).date(),
        minutes=minutes,
        source=HoursEntry.Source.SESSION,
        source_reference=note.public_id,
    )


def supervision_hours_entry(session: SupervisionSession) -> HoursEntry:
    """The unsaved ledger entry a supervision session signed by both accrues to the
    supervisee."""
    return HoursEntry(
        organization=session.organization,
        associate_id=session.relationship.supervisee_id,
        category=_CATEGORY_OF_SUPERVISION[session.format],
        worked_on=session.held_on,
        minutes=session.minutes,
        source=HoursEntry.Source.SUPERVISION,
        source_reference=session.public_id,
    )


def _accrue(entry: HoursEntry) -> HoursEntry | None:
    if HoursEntry.objects.filter(
        associate_id=entry.associate_id,
        source=entry.source,
        source_reference=entry.source_reference,
    ).exists():
        return None  # already in the ledger: accrual is idempotent
    entry.full_clean()
    entry.save()
    audit_event_record(
        action="licensure.hours_accrued",
        actor=None,
        organization=entry.organization,
        subject=entry,
        extra={"source": entry.source, "category": entry.category, "minutes": entry.minutes},
    )
    return entry


@transaction.atomic
def hours_accrue_from_note(*, note: ProgressNote) -> HoursEntry | None:
    """Add a final note's session to its author's ledger when the author is an associate.

    Only the note's public id, the date, the minutes and the category are kept: nothing
    about the client. Returns None for a licensed author or a note already counted.
    """
    entry = session_hours_entry(note, note.organization)
    if entry is None or not _is_associate(note.author_id, note.organization):
        return None
    return _accrue(entry)


@transaction.atomic
def hours_accrue_from_supervision(*, session: SupervisionSession) -> HoursEntry | None:
    """Add a supervision session signed by both people to the supervisee's ledger."""
    if not session.locked:
        return None
    return _accrue(supervision_hours_entry(session))


def hours_sync_from_records(*, organization: Organization, associate: User) -> int:
    """Bring the ledger up to date with the associate's final notes and signed supervision
    sessions here (e.g. for records written before the associate's path was set up, or
    imported in bulk). Idempotent; returns how many entries were added."""
    from tend.care.selectors import final_notes_by
    from tend.supervision.selectors import signed_sessions_of

    added = 0
    for note in final_notes_by(organization, associate):
        added += hours_accrue_from_note(note=note) is not None
    for session in signed_sessions_of(organization, associate):
        added += hours_accrue_from_supervision(session=session) is not None
    return added


def _check_changeable(entry: HoursEntry, actor: User) -> None:
    if entry.associate_id != actor.pk:
        raise PermissionDenied("Only the associate changes their own hours.")
    if entry.verification_id is not None:
        raise ValidationError({"__all__": "Verified hours are locked and cannot change."})
    if entry.source != HoursEntry.Source.MANUAL:
        raise ValidationError(
            {"__all__": "Hours from signed records follow those records and cannot be edited."}
        )


@transaction.atomic
def hours_entry_add(
    *,
    organization: Organization,
    associate: User,
    category: str,
    worked_on: date,
    minutes: int,
    site: str,
    description: str,
    attachment: UploadedFile | None = None,
) -> HoursEntry:
    """An associate's own entry for work Tend did not record (another site, indirect work),
    with an optional attachment (e.g. the other site's log)."""
    if worked_on > timezone.localdate():
        raise ValidationError({"worked_on": "Log hours once the work is done."})
    if not description.strip():
        raise ValidationError({"description": "Say what the work was (no client details)."})
    entry = HoursEntry(
        organization=organization,
        associate=associate,
        category=category,
        worked_on=worked_on,
        minutes=minutes,
        source=HoursEntry.Source.MANUAL,
        site=site.strip(),
        description=description.strip(),
    )
    if attachment is not None:
        entry.attachment = attachment
    entry.full_clean()
    entry.save()
    audit_event_record(
        action="licensure.hours_entry_added",
        actor=associate,
        organization=organization,
        subject=entry,
        extra={"category": category, "minutes": minutes, "attachment": attachment is not None},
    )
    return entry


@transaction.atomic
def hours_entry_remove(*, entry: HoursEntry, actor: User) -> None:
    """Remove one of the associate's own manual entries while it is unverified."""
    entry = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    _check_changeable(entry, actor)
    audit_event_record(
        action="licensure.hours_entry_removed",
        actor=actor,
        organization=entry.organization,
        subject=entry,
        extra={"category": entry.category, "minutes": entry.minutes},
    )
    entry.delete()


def period_bounds(period: str, containing: date) -> tuple[date, date]:
    """The Monday-to-Sunday week or the calendar month that contains `containing`."""
    if period == HoursVerification.Period.WEEK:
        start = containing - timedelta(days=containing.weekday())
        return start, start + timedelta(days=6)
    if period == HoursVerification.Period.MONTH:
        start = containing.replace(day=1)
        return start, start + relativedelta(months=1) - timedelta(days=1)
    raise ValidationError({"period": "Choose a week or a month."})


def _snapshot_hash(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def hours_verification_build(
    *,
    organization: Organization,
    supervisor: User,
    associate: User,
    period: str,
    start: date,
    end: date,
    entries: Sequence[HoursEntry],
    path_state: str,
    path_family: str,
    associate_license: str,
    supervisor_license: str,
    signed_at: datetime,
) -> HoursVerification:
    """The unsaved signed snapshot of `entries` for the period: totals by category, names
    and licence lines copied, and the hash over all of it. The caller links the entries.
    (Bulk loaders build verifications here too, so their hashes are the service's.)"""
    minutes = dict.fromkeys(HoursCategory.values, 0)
    for entry in entries:
        minutes[entry.category] += entry.minutes
    snapshot: dict[str, Any] = {
        "organization_name": organization.name,
        "associate_name": associate.display_name,
        "associate_license": associate_license,
        "supervisor_name": supervisor.display_name,
        "supervisor_license": supervisor_license,
        "period": period,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "path_state": path_state,
        "path_family": path_family,
        "entries": sorted(str(entry.public_id) for entry in entries),
        **{f"minutes_{category}": value for category, value in minutes.items()},
    }
    return HoursVerification(
        organization=organization,
        associate=associate,
        supervisor=supervisor,
        period=period,
        period_start=start,
        period_end=end,
        path_state=path_state,
        path_family=path_family,
        organization_name=snapshot["organization_name"],
        associate_name=snapshot["associate_name"],
        associate_license=associate_license,
        supervisor_name=snapshot["supervisor_name"],
        supervisor_license=supervisor_license,
        entries=len(entries),
        signed_at=signed_at,
        content_hash=_snapshot_hash(snapshot),
        **{f"minutes_{category}": value for category, value in minutes.items()},
    )


@transaction.atomic
def hours_verify_period(
    *,
    organization: Organization,
    supervisor: User,
    associate: User,
    period: str,
    containing: date,
) -> HoursVerification:
    """The supervisor verifies, in one action, every unverified entry of the associate in
    the week or month containing `containing`, recorded in this organization. The
    supervisor must have supervised the associate during part of that period.

    Writes a signed snapshot (totals by category; names and licence numbers copied) and
    locks the entries: services refuse to change them and, on PostgreSQL, a trigger too.
    """
    start, end = period_bounds(period, containing)
    if start > timezone.localdate():
        raise ValidationError({"containing": "This period has not started yet."})
    if not supervised_during(supervisor, associate, organization, start, end):
        raise PermissionDenied(
            "Only a supervisor of the associate during this period verifies its hours."
        )
    entries = list(
        HoursEntry.objects.select_for_update().filter(
            organization=organization,
            associate=associate,
            verification__isnull=True,
            worked_on__range=(start, end),
        )
    )
    if not entries:
        raise ValidationError({"containing": "There are no unverified hours in this period."})
    relationship = path_of(associate, organization)
    path_state = relationship.path_state if relationship else ""
    verification = hours_verification_build(
        organization=organization,
        supervisor=supervisor,
        associate=associate,
        period=period,
        start=start,
        end=end,
        entries=entries,
        path_state=path_state,
        path_family=relationship.path_family if relationship else "",
        associate_license=license_line_for(associate, on=end, state=path_state),
        supervisor_license=license_line_for(supervisor, on=end, state=path_state),
        signed_at=timezone.now(),
    )
    verification.full_clean()
    verification.save()
    HoursEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
        verification=verification, updated_at=timezone.now()
    )
    audit_event_record(
        action="licensure.hours_verified",
        actor=supervisor,
        organization=organization,
        subject=verification,
        extra={
            "associate_id": str(associate.public_id),
            "period": period,
            "period_start": start.isoformat(),
            "entries": len(entries),
            "content_hash": verification.content_hash,
        },
    )
    return verification
