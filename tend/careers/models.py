"""Job postings, applications and saved searches.

Careers never holds client data: a posting belongs to an employer organization, an
application carries only what the applicant chose to share from their profile.

Multi-valued codes a search filters on (states, licence families, modalities,
populations, payer mix) are stored as space-padded code lists (" TX CA ") so one
`contains=" TX "` lookup filters them on SQLite and PostgreSQL alike, without a join
per filter; the codes come from fixed vocabularies, so a code never contains a space.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from tend.accounts.models import US_STATES, Organization
from tend.core.models import PublicModel


def codes_join(codes: list[str] | tuple[str, ...]) -> str:
    return f" {' '.join(codes)} " if codes else ""


def codes_split(value: str) -> list[str]:
    return value.split()


class Setting(models.TextChoices):
    PRIVATE_PRACTICE = "private_practice", "Private practice"
    GROUP_PRACTICE = "group_practice", "Group practice"
    CMHC = "cmhc", "Community mental health center"
    HOSPITAL = "hospital", "Hospital"
    SCHOOL = "school", "School"
    TELEHEALTH = "telehealth", "Telehealth platform"
    RESIDENTIAL = "residential", "Residential treatment"
    OTHER = "other", "Other"


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"
    CONTRACT = "contract", "Contract"
    PER_DIEM = "per_diem", "Per diem"


class WorkArrangement(models.TextChoices):
    ON_SITE = "on_site", "On site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote (telehealth)"


class PayBasis(models.TextChoices):
    SALARY = "salary", "Salary (per year)"
    HOURLY = "hourly", "Hourly"
    PER_SESSION = "per_session", "Per session"
    FEE_SPLIT = "fee_split", "Fee split (percent of collected fee)"


class Payer(models.TextChoices):
    MEDICAID = "medicaid", "Medicaid"
    MEDICARE = "medicare", "Medicare"
    COMMERCIAL = "commercial", "Commercial insurance"
    SELF_PAY = "self_pay", "Self-pay"


class JobPosting(PublicModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="job_postings"
    )
    title = models.CharField(max_length=160)
    description = models.TextField(max_length=8000)
    setting = models.CharField(max_length=20, choices=Setting.choices)
    employment_type = models.CharField(max_length=12, choices=EmploymentType.choices)
    work_arrangement = models.CharField(max_length=10, choices=WorkArrangement.choices)
    city = models.CharField(max_length=100, blank=True)
    location_state = models.CharField(max_length=2, choices=US_STATES)
    licensed_states = models.CharField(
        max_length=160, help_text="States where the clinician must be licensed (codes)."
    )
    license_families = models.CharField(max_length=80)
    license_titles = models.CharField("licence titles accepted", max_length=200, blank=True)
    accepts_associates = models.BooleanField(default=False)
    supervision_provided = models.BooleanField(default=False)
    supervisor_credential = models.CharField(max_length=60, blank=True)
    supervision_hours_per_week = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True
    )
    supervision_cost_per_hour = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True
    )
    modalities = models.CharField(max_length=400, blank=True)
    populations = models.CharField(max_length=400, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField()
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    pay_basis = models.CharField(max_length=12, choices=PayBasis.choices)
    pay_min = models.DecimalField(max_digits=10, decimal_places=2)
    pay_max = models.DecimalField(max_digits=10, decimal_places=2)
    collected_fee_per_session = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True
    )
    working_weeks_per_year = models.PositiveSmallIntegerField()
    annual_pay_min = models.PositiveIntegerField(editable=False)
    annual_pay_max = models.PositiveIntegerField(editable=False)
    benefits = models.TextField(max_length=2000, blank=True)
    ce_stipend = models.PositiveIntegerField("CE stipend (USD per year)", null=True, blank=True)
    malpractice_covered = models.BooleanField(default=False)
    payer_mix = models.CharField(max_length=80, blank=True)
    education_requirements = models.CharField(max_length=300, blank=True)
    experience_requirements = models.CharField(max_length=300, blank=True)
    posted_on = models.DateField()
    valid_through = models.DateField()
    reconfirmed_on = models.DateField(null=True, blank=True)
    is_closed = models.BooleanField(default=False)
    # What full-text search reads: written by the service with every change.
    search_document = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-posted_on", "-id"]
        indexes = [
            models.Index(fields=["valid_through", "is_closed"]),
            models.Index(fields=["-posted_on", "-id"]),
            models.Index(fields=["-annual_pay_max", "-id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pay_max__gte=models.F("pay_min")), name="posting_pay_range"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_through__gte=models.F("posted_on")),
                name="posting_valid_after_posted",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: date) -> bool:
        return not self.is_closed and self.valid_through >= day

    @property
    def licensed_state_list(self) -> list[str]:
        return codes_split(self.licensed_states)

    @property
    def license_family_list(self) -> list[str]:
        return codes_split(self.license_families)

    @property
    def modality_list(self) -> list[str]:
        return codes_split(self.modalities)

    @property
    def population_list(self) -> list[str]:
        return codes_split(self.populations)

    @property
    def payer_list(self) -> list[str]:
        return codes_split(self.payer_mix)


class JobApplication(PublicModel):
    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        SCREENING = "screening", "Screening"
        INTERVIEW = "interview", "Interview"
        OFFER = "offer", "Offer"
        HIRED = "hired", "Hired"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_applications"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.APPLIED)
    cover_note = models.TextField(max_length=4000, blank=True)
    # A frozen copy of the profile parts the applicant chose to share for this application
    # (a document, never queried): later profile edits do not rewrite what was sent.
    shared_profile = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "applicant"], name="application_once")
        ]

    def __str__(self) -> str:
        return f"Application to {self.posting}"


class ApplicationNote(PublicModel):
    """The employer's notes on an application; the applicant never sees them."""

    application = models.ForeignKey(JobApplication, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=2000)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note on {self.application}"


class SavedSearch(PublicModel):
    """A job search a user keeps, optionally with a daily email of new matches.

    `query` is the search form's normalized query string (no page), so running the search
    again is a link and the same form validates it.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_job_searches"
    )
    name = models.CharField(max_length=120)
    query = models.CharField(max_length=1000, blank=True)
    alerts_enabled = models.BooleanField("email me new matches daily", default=True)
    # Postings created after this moment are "new" for the next digest.
    alerted_through = models.DateTimeField()
    last_alert_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_once")
        ]
        indexes = [models.Index(fields=["alerts_enabled", "last_alert_on"])]

    def __str__(self) -> str:
        return self.name
