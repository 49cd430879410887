"""Every change to assessment templates, assessments and diagnoses goes through here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.assessments import icd10
from tend.assessments.definition import (
    DEFAULT_TEMPLATE_KEY,
    FIELD_SEPARATOR,
    answers_clean,
    answers_hash,
    default_definition,
    make_key,
)
from tend.assessments.models import Assessment, AssessmentAddendum, AssessmentTemplate, Diagnosis
from tend.assessments.selectors import organization_templates
from tend.audit.services import audit_event_record
from tend.clients.models import Client

SIGNED_IS_FINAL = "This assessment is signed and can no longer change; add an addendum instead."


# --------------------------------------------------------------------------- templates


def _default_template() -> AssessmentTemplate:
    definition = default_definition()
    existing = AssessmentTemplate.objects.filter(
        organization=None, key=definition["key"], version=definition["version"]
    ).first()
    if existing is not None:
        return existing
    template = AssessmentTemplate(
        organization=None,
        key=definition["key"],
        version=definition["version"],
        title=definition["title"],
        definition=definition,
    )
    template.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        # Another process stored the same shipped version first; theirs is identical.
        return AssessmentTemplate.objects.get(
            organization=None, key=definition["key"], version=definition["version"]
        )
    return template


def assessment_template_current(*, organization: Organization) -> AssessmentTemplate:
    """The template version new assessments in `organization` are written with.

    The organization's own latest version if it has made one, else Tend's shipped default
    (stored from data/assessment_templates/ the first time it is needed).
    """
    own = organization_templates(organization, DEFAULT_TEMPLATE_KEY).first()
    return own if own is not None else _default_template()


@transaction.atomic
def assessment_template_section_add(
    *,
    organization: Organization,
    actor: User,
    title: str,
    description: str,
    fields: list[dict[str, Any]],
) -> AssessmentTemplate:
    """Add a section to the organization's template by storing a new version.

    `fields` are field definitions (key, label, type, max_length, options) as the template
    schema describes them. Assessments already written keep the version they used.
    """
    base = assessment_template_current(organization=organization)
    definition = dict(base.definition)
    section_keys = {section["key"] for section in definition["sections"]}
    key = make_key(title, "section")
    unique_key, counter = key, 2
    while unique_key in section_keys:
        unique_key = f"{key}_{counter}"
        counter += 1
    # Versions count per organization, continuing from the default they started from.
    version = (
        max(
            AssessmentTemplate.objects.filter(key=base.key)
            .filter(Q(organization=organization) | Q(organization__isnull=True))
            .values_list("version", flat=True),
            default=base.version,
        )
        + 1
    )
    definition.update(
        version=version,
        sections=[
            *definition["sections"],
            {"key": unique_key, "title": title, "description": description, "fields": fields},
        ],
    )
    template = AssessmentTemplate(
        organization=organization,
        key=base.key,
        version=version,
        title=base.title,
        definition=definition,
        created_by=actor,
    )
    template.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as error:
        raise ValidationError(
            "Someone else changed the template at the same moment; reload and try again."
        ) from error
    audit_event_record(
        action="assessments.template_version_created",
        actor=actor,
        organization=organization,
        subject=template,
        extra={
            "key": template.key,
            "version": version,
            "based_on_version": base.version,
            "section": unique_key,
        },
    )
    return template


# --------------------------------------------------------------------------- assessments


@transaction.atomic
def assessment_start(*, client: Client, actor: User) -> Assessment:
    """Start an assessment of `client` with the organization's current template.

    A client has one draft at a time: if one exists it is returned instead, so a
    double-clicked "Start" cannot split the work between two drafts.
    """
    draft = Assessment.objects.filter(client=client, status=Assessment.Status.DRAFT).first()
    if draft is not None:
        return draft
    template = assessment_template_current(organization=client.organization)
    assessment = Assessment(
        client=client,
        episode=client.episodes.filter(discharge_date__isnull=True).first(),
        template=template,
        author=actor,
    )
    assessment.full_clean()
    assessment.save()
    audit_event_record(
        action="assessments.started",
        actor=actor,
        organization=client.organization,
        subject=assessment,
        client_id=client.public_id,
        extra={"template": template.key, "version": template.version},
    )
    return assessment


def _locked_draft(assessment: Assessment) -> Assessment:
    current = (
        Assessment.objects.select_for_update()
        .select_related("template", "client__organization")
        .get(pk=assessment.pk)
    )
    if current.is_signed:
        raise ValidationError(SIGNED_IS_FINAL)
    return current


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    names = set()
    for section in before.keys() | after.keys():
        old, new = before.get(section, {}), after.get(section, {})
        for field in old.keys() | new.keys():
            if old.get(field) != new.get(field):
                names.add(f"{section}{FIELD_SEPARATOR}{field}")
    return sorted(names)


def _store_answers(
    current: Assessment, actor: User, answers: dict[str, Any], *, autosave: bool
) -> Assessment:
    changed = _changed_fields(current.answers, answers)
    if not changed:
        return current
    current.answers = answers
    current.full_clean()
    current.save(update_fields=["answers", "updated_at"])
    audit_event_record(
        action="assessments.draft_saved",
        actor=actor,
        organization=current.client.organization,
        subject=current,
        client_id=current.client.public_id,
        extra={"fields": changed, "autosave": autosave},
    )
    return current


def _sign(current: Assessment, actor: User) -> Assessment:
    if current.author_id != actor.pk:
        raise ValidationError("Only the author can sign this assessment.")
    if not current.answers:
        raise ValidationError("Fill in at least one field before signing.")
    current.status = Assessment.Status.SIGNED
    current.signed_at = timezone.now()
    current.signed_by = actor
    current.content_hash = answers_hash(current.answers)
    current.full_clean()
    current.save(update_fields=["status", "signed_at", "signed_by", "content_hash", "updated_at"])
    audit_event_record(
        action="assessments.signed",
        actor=actor,
        organization=current.client.organization,
        subject=current,
        client_id=current.client.public_id,
        extra={"content_hash": current.content_hash},
    )
    return current


@transaction.atomic
def assessment_draft_save(
    *, assessment: Assessment, actor: User, answers: dict[str, Any], sign: bool = False
) -> Assessment:
    """Replace the draft's answers with `answers` ({section: {field: value}}), and with
    `sign=True` sign it in the same transaction (both happen or neither).

    Raises ValidationError keyed "<section>__<field>" if any answer breaks the template,
    and saves nothing then; refuses a signed assessment. Unchanged answers are not written.
    """
    current = _locked_draft(assessment)
    cleaned, errors = answers_clean(current.template.definition, answers)
    if errors:
        raise ValidationError(errors)
    current = _store_answers(current, actor, cleaned, autosave=False)
    return _sign(current, actor) if sign else current


@transaction.atomic
def assessment_autosave(
    *,
    assessment: Assessment,
    actor: User,
    answers: dict[str, Any],
    unchanged: frozenset[str] = frozenset(),
) -> tuple[Assessment, dict[str, list[str]]]:
    """Save every valid answer of a draft in progress; returns the draft and the errors.

    Unlike `assessment_draft_save`, one bad field does not stop the rest being saved: that
    field keeps its last saved value and its error is returned for the page to show. Fields
    named in `unchanged` ("<section>__<field>", e.g. ones the form could not read) keep
    their saved value too.
    """
    current = _locked_draft(assessment)
    cleaned, errors = answers_clean(current.template.definition, answers)
    for name in unchanged | errors.keys():
        if FIELD_SEPARATOR not in name:
            continue
        section, field = name.split(FIELD_SEPARATOR, 1)
        previous = current.answers.get(section, {}).get(field)
        if previous is not None:
            cleaned.setdefault(section, {})[field] = previous
    return _store_answers(current, actor, cleaned, autosave=True), errors


@transaction.atomic
def assessment_sign(*, assessment: Assessment, actor: User) -> Assessment:
    """Sign a draft as it was last saved: store the SHA-256 of its canonical answers.

    Only the author signs; a signed assessment is read-only (here and, on PostgreSQL, in
    the database); corrections are addenda.
    """
    return _sign(_locked_draft(assessment), actor)


@transaction.atomic
def assessment_addendum_add(
    *, assessment: Assessment, actor: User, reason: str, text: str
) -> AssessmentAddendum:
    """Append a correction to a signed assessment; the assessment itself is untouched."""
    if not assessment.is_signed:
        raise ValidationError("A draft can still be edited; addenda are for signed assessments.")
    addendum = AssessmentAddendum(
        assessment=assessment, author=actor, reason=reason.strip(), text=text.strip()
    )
    addendum.full_clean()
    addendum.save()
    audit_event_record(
        action="assessments.addendum_added",
        actor=actor,
        organization=assessment.client.organization,
        subject=addendum,
        client_id=assessment.client.public_id,
        extra={"assessment": str(assessment.public_id)},
    )
    return addendum


# --------------------------------------------------------------------------- diagnoses

_DIAGNOSIS_FIELDS = ("code", "rank", "status", "onset_date", "resolution_date")


def _diagnosis_build(
    *,
    client: Client,
    actor: User,
    code: str,
    rank: str,
    status: str,
    onset_date: date | None,
    resolution_date: date | None,
    supersedes: Diagnosis | None,
) -> Diagnosis:
    errors: dict[str, str] = {}
    normalized = icd10.normalize_code(code)
    if not normalized:
        errors["code"] = "Choose an ICD-10-CM code."
    elif not icd10.is_valid_code(normalized):
        errors["code"] = (
            f"“{code.strip()}” is not an ICD-10-CM code in the {icd10.code_set_version()}. "
            "Search by code or words and pick one from the list."
        )
    today = timezone.localdate()
    if onset_date is not None and onset_date > today:
        errors["onset_date"] = "The onset date is in the future."
    if resolution_date is not None:
        if resolution_date > today:
            errors["resolution_date"] = "The resolution date is in the future."
        elif onset_date is not None and resolution_date < onset_date:
            errors["resolution_date"] = "The resolution date is before the onset date."
        elif status != Diagnosis.Status.RESOLVED:
            errors["resolution_date"] = "Only a resolved diagnosis has a resolution date."
    elif status == Diagnosis.Status.RESOLVED:
        errors["resolution_date"] = "Enter the date the diagnosis resolved."
    if rank == Diagnosis.Rank.PRINCIPAL and status != Diagnosis.Status.RESOLVED:
        principals = Diagnosis.objects.filter(
            client=client, superseded_by__isnull=True, rank=Diagnosis.Rank.PRINCIPAL
        ).exclude(status=Diagnosis.Status.RESOLVED)
        if supersedes is not None:
            principals = principals.exclude(pk=supersedes.pk)
        other_principal = principals.first()
        if other_principal is not None:
            errors["rank"] = (
                f"{other_principal.code} is already the principal diagnosis; "
                "make it secondary first."
            )
    if errors:
        raise ValidationError(errors)
    diagnosis = Diagnosis(
        client=client,
        code=normalized,
        description=icd10.describe(normalized),
        code_set_version=icd10.code_set_version(),
        rank=rank,
        status=status,
        onset_date=onset_date,
        resolution_date=resolution_date,
        diagnosed_by=actor,
        supersedes=supersedes,
    )
    diagnosis.full_clean()
    diagnosis.save()
    return diagnosis


@transaction.atomic
def diagnosis_add(
    *,
    client: Client,
    actor: User,
    code: str,
    rank: str,
    status: str,
    onset_date: date | None = None,
    resolution_date: date | None = None,
) -> Diagnosis:
    """Record a new diagnosis of `client` by `actor`.

    The code must be in the bundled ICD-10-CM release; its description and the release
    are copied from the code set. At most one active principal diagnosis per client.
    """
    diagnosis = _diagnosis_build(
        client=client,
        actor=actor,
        code=code,
        rank=rank,
        status=status,
        onset_date=onset_date,
        resolution_date=resolution_date,
        supersedes=None,
    )
    audit_event_record(
        action="assessments.diagnosis_added",
        actor=actor,
        organization=client.organization,
        subject=diagnosis,
        client_id=client.public_id,
    )
    return diagnosis


@transaction.atomic
def diagnosis_change(
    *,
    diagnosis: Diagnosis,
    actor: User,
    code: str,
    rank: str,
    status: str,
    onset_date: date | None = None,
    resolution_date: date | None = None,
) -> Diagnosis:
    """Change a diagnosis by recording a new entry that supersedes `diagnosis`.

    The previous entry stays as it was (the history). Refuses an entry that was already
    superseded, so two people changing the same diagnosis cannot fork its history.
    """
    previous = (
        Diagnosis.objects.select_for_update()
        .select_related("client__organization")
        .get(pk=diagnosis.pk)
    )
    if Diagnosis.objects.filter(supersedes=previous).exists():
        raise ValidationError(
            "This diagnosis was changed by someone else; open the current entry and try again."
        )
    values = {
        "code": icd10.normalize_code(code),
        "rank": rank,
        "status": status,
        "onset_date": onset_date,
        "resolution_date": resolution_date,
    }
    changed = [field for field in _DIAGNOSIS_FIELDS if getattr(previous, field) != values[field]]
    if not changed:
        raise ValidationError("Nothing was changed.")
    replacement = _diagnosis_build(
        client=previous.client,
        actor=actor,
        code=code,
        rank=rank,
        status=status,
        onset_date=onset_date,
        resolution_date=resolution_date,
        supersedes=previous,
    )
    audit_event_record(
        action="assessments.diagnosis_changed",
        actor=actor,
        organization=previous.client.organization,
        subject=replacement,
        client_id=previous.client.public_id,
        extra={"supersedes": str(previous.public_id), "fields": changed},
    )
    return replacement
