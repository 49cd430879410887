"""Every change to licences, compact privileges and exam attempts goes through here."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from tend.accounts.models import User
from tend.audit.services import audit_event_record
from tend.licensure import requirements
from tend.licensure.models import CompactPrivilege, ExamAttempt, License


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
