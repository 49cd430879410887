"""Every change to postings and applications goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tend.accounts.models import US_STATES, Organization, User
from tend.audit.services import audit_event_record
from tend.careers.models import (
    ApplicationNote,
    EmploymentType,
    JobApplication,
    JobPosting,
    PayBasis,
    Setting,
    WorkArrangement,
    codes_join,
)
from tend.careers.pay import annualize
from tend.core import vocabulary
from tend.licensure.models import LicenseFamily

# Freshness (issue 9): a posting is valid for 30 days unless the employer says otherwise,
# never more than 60 days from when it was posted or last re-confirmed.
DEFAULT_VALIDITY = timedelta(days=30)
MAX_VALIDITY = timedelta(days=60)

_STATE_NAMES = dict(US_STATES)
_CODE_LISTS = ("licensed_states", "license_families", "modalities", "populations", "payer_mix")


@dataclass(frozen=True)
class PostingData:
    """What an employer states about an opening (the form's cleaned data)."""

    title: str
    description: str
    setting: str
    employment_type: str
    work_arrangement: str
    location_state: str
    licensed_states: list[str]
    license_families: list[str]
    sessions_per_week: int
    pay_basis: str
    pay_min: Decimal
    pay_max: Decimal
    working_weeks_per_year: int
    city: str = ""
    license_titles: str = ""
    accepts_associates: bool = False
    supervision_provided: bool = False
    supervisor_credential: str = ""
    supervision_hours_per_week: Decimal | None = None
    supervision_cost_per_hour: Decimal | None = None
    modalities: list[str] | tuple[str, ...] = ()
    populations: list[str] | tuple[str, ...] = ()
    hours_per_week: int | None = None
    collected_fee_per_session: Decimal | None = None
    benefits: str = ""
    ce_stipend: int | None = None
    malpractice_covered: bool = False
    payer_mix: list[str] | tuple[str, ...] = ()
    education_requirements: str = ""
    experience_requirements: str = ""
    valid_through: date | None = None


def search_document_for(posting: JobPosting) -> str:
    """The words full-text search matches: labels as people type them, not codes only."""
    modality_labels = dict(vocabulary.choices("modalities"))
    population_labels = dict(vocabulary.choices("populations"))
    words = [
        posting.title,
        posting.organization.name,
        Setting(posting.setting).label,
        EmploymentType(posting.employment_type).label,
        WorkArrangement(posting.work_arrangement).label,
        posting.city,
        _STATE_NAMES.get(posting.location_state, ""),
        posting.license_titles,
        *(f"{code} {_STATE_NAMES.get(code, '')}" for code in posting.licensed_state_list),
        *(LicenseFamily(code).label for code in posting.license_family_list),
        *(modality_labels.get(code, code) for code in posting.modality_list),
        *(population_labels.get(code, code) for code in posting.population_list),
        "associates welcome" if posting.accepts_associates else "",
        "supervision provided" if posting.supervision_provided else "",
        posting.description,
    ]
    return "\n".join(word for word in words if word)


def _validate_and_price(posting: JobPosting) -> None:
    errors: dict[str, str] = {}
    if not posting.licensed_state_list:
        errors["licensed_states"] = "Name at least one state where clinicians must be licensed."
    if not posting.license_family_list:
        errors["license_families"] = "Accept at least one licence family."
    if posting.supervision_provided and not posting.supervision_hours_per_week:
        errors["supervision_hours_per_week"] = "Say how many hours of supervision per week."
    if posting.pay_basis == PayBasis.FEE_SPLIT and not (
        Decimal(0) < posting.pay_max <= Decimal(100)
    ):
        errors["pay_max"] = "A fee split is a percentage between 0 and 100."
    if not 1 <= posting.working_weeks_per_year <= 52:
        errors["working_weeks_per_year"] = "Working weeks per year must be between 1 and 52."
    if posting.pay_max < posting.pay_min:
        errors["pay_max"] = "The top of the range must not be below its bottom."
    limit = (posting.reconfirmed_on or posting.posted_on) + MAX_VALIDITY
    if posting.valid_through > limit:
        errors["valid_through"] = f"A posting may be valid for at most 60 days (until {limit})."
    if posting.valid_through < (posting.reconfirmed_on or posting.posted_on):
        errors["valid_through"] = "The valid-through date cannot be in the past."
    if not errors:
        try:
            annual = annualize(
                pay_basis=posting.pay_basis,
                pay_min=posting.pay_min,
                pay_max=posting.pay_max,
                sessions_per_week=posting.sessions_per_week,
                hours_per_week=posting.hours_per_week,
                working_weeks_per_year=posting.working_weeks_per_year,
                collected_fee_per_session=posting.collected_fee_per_session,
            )
        except ValueError as missing:
            errors[str(missing)] = "This pay basis needs this figure to compare pay."
        else:
            posting.annual_pay_min, posting.annual_pay_max = annual.low, annual.high
    if errors:
        raise ValidationError(errors)


def _apply(posting: JobPosting, data: PostingData) -> None:
    for name, value in data.__dict__.items():
        if name == "valid_through":
            continue
        if name in _CODE_LISTS:
            value = codes_join(sorted(set(value)))
        elif isinstance(value, str):
            value = value.strip()
        setattr(posting, name, value)


def posting_build(*, organization: Organization, data: PostingData, today: date) -> JobPosting:
    """A validated, priced posting not yet saved (the demo and benchmarks bulk-insert these)."""
    posting = JobPosting(organization=organization, posted_on=today)
    _apply(posting, data)
    posting.valid_through = data.valid_through or today + DEFAULT_VALIDITY
    _validate_and_price(posting)
    posting.search_document = search_document_for(posting)
    posting.full_clean()
    return posting


@transaction.atomic
def posting_create(
    *,
    organization: Organization,
    actor: User,
    data: PostingData,
    posted_on: date | None = None,
) -> JobPosting:
    """Publish an opening; valid for 30 days unless a date up to 60 days away is given.

    `posted_on` defaults to today; imports (and the demo) pass the original date.
    """
    posting = posting_build(
        organization=organization, data=data, today=posted_on or timezone.localdate()
    )
    posting.save()
    audit_event_record(
        action="careers.posting_created", actor=actor, organization=organization, subject=posting
    )
    return posting


@transaction.atomic
def posting_update(*, posting: JobPosting, actor: User, data: PostingData) -> JobPosting:
    _apply(posting, data)
    if data.valid_through is not None:
        posting.valid_through = data.valid_through
    _validate_and_price(posting)
    posting.search_document = search_document_for(posting)
    posting.full_clean()
    posting.save()
    audit_event_record(
        action="careers.posting_updated",
        actor=actor,
        organization=posting.organization,
        subject=posting,
    )
    return posting


@transaction.atomic
def posting_reconfirm(*, posting: JobPosting, actor: User, on: date | None = None) -> JobPosting:
    """The employer says the opening is still open: valid for another 30 days from `on`
    (today unless an import or the demo replays an earlier re-confirmation)."""
    if posting.is_closed:
        raise ValidationError("A closed posting cannot be re-confirmed.")
    today = on or timezone.localdate()
    posting.reconfirmed_on = today
    posting.valid_through = today + DEFAULT_VALIDITY
    posting.full_clean()
    posting.save(update_fields=["reconfirmed_on", "valid_through", "updated_at"])
    audit_event_record(
        action="careers.posting_reconfirmed",
        actor=actor,
        organization=posting.organization,
        subject=posting,
        extra={"valid_through": posting.valid_through.isoformat()},
    )
    return posting


@transaction.atomic
def posting_close(*, posting: JobPosting, actor: User) -> JobPosting:
    posting.is_closed = True
    posting.save(update_fields=["is_closed", "updated_at"])
    audit_event_record(
        action="careers.posting_closed",
        actor=actor,
        organization=posting.organization,
        subject=posting,
    )
    return posting


# ----------------------------------------------------------------------- applications

SHAREABLE_PARTS = ("degrees", "licenses", "modalities", "populations", "languages")


def shareable_profile(user: User) -> dict[str, list[str]]:
    """Every profile part an applicant may share: professional facts only, no client data."""
    from tend.accounts.models import ClinicianProfile
    from tend.licensure.selectors import licenses_for

    profile = ClinicianProfile.objects.filter(user=user).first()
    modality_labels = dict(vocabulary.choices("modalities"))
    population_labels = dict(vocabulary.choices("populations"))
    return {
        "degrees": [str(degree) for degree in profile.degrees.all()] if profile else [],
        "licenses": [
            f"{item.title}, {item.state} #{item.number} ({item.get_status_display()}, "
            f"expires {item.expires_on:%Y-%m-%d})"
            for item in licenses_for(user)
        ],
        "modalities": [modality_labels.get(c, c) for c in profile.modalities] if profile else [],
        "populations": [population_labels.get(c, c) for c in profile.populations]
        if profile
        else [],
        "languages": list(profile.languages) if profile else [],
    }


@transaction.atomic
def application_submit(
    *, posting: JobPosting, applicant: User, cover_note: str, share: list[str]
) -> JobApplication:
    """Apply with the chosen parts of the profile, copied as they are today."""
    if not posting.is_open_on(timezone.localdate()):
        raise ValidationError("This posting is no longer open.")
    unknown = set(share) - set(SHAREABLE_PARTS)
    if unknown:
        raise ValidationError({"share": "Choose parts of your profile from the list."})
    if JobApplication.objects.filter(posting=posting, applicant=applicant).exists():
        raise ValidationError("You have already applied to this posting.")
    profile = shareable_profile(applicant)
    application = JobApplication(
        posting=posting,
        applicant=applicant,
        cover_note=cover_note.strip(),
        shared_profile={part: profile[part] for part in SHAREABLE_PARTS if part in share},
    )
    application.full_clean()
    application.save()
    audit_event_record(
        action="careers.application_submitted",
        actor=applicant,
        organization=posting.organization,
        subject=application,
        extra={"shared": sorted(share)},
    )
    return application


@transaction.atomic
def application_move(
    *, application: JobApplication, actor: User, status: str, note: str = ""
) -> JobApplication:
    """Move an application along the employer's pipeline, with an optional note."""
    if status not in JobApplication.Status.values or status == JobApplication.Status.WITHDRAWN:
        raise ValidationError({"status": "Choose a stage from the list."})
    if application.status == JobApplication.Status.WITHDRAWN:
        raise ValidationError({"status": "The applicant withdrew this application."})
    previous = application.status
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    if note.strip():
        ApplicationNote.objects.create(application=application, author=actor, text=note.strip())
    audit_event_record(
        action="careers.application_moved",
        actor=actor,
        organization=application.posting.organization,
        subject=application,
        extra={"from": previous, "to": status, "note_added": bool(note.strip())},
    )
    return application


@transaction.atomic
def application_withdraw(*, application: JobApplication, actor: User) -> JobApplication:
    if application.status in {JobApplication.Status.HIRED, JobApplication.Status.WITHDRAWN}:
        raise ValidationError("This application can no longer be withdrawn.")
    application.status = JobApplication.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    audit_event_record(
        action="careers.application_withdrawn",
        actor=actor,
        organization=application.posting.organization,
        subject=application,
    )
    return application
