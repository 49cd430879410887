"""The client record: who the client is, their episodes of care, and who is on the case."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tend.accounts.models import US_STATES, Organization, User
from tend.core.models import PublicModel


def validate_not_future(value: date) -> None:
    if value > date.today():  # noqa: DTZ011  (a calendar date, compared as such)
        raise ValidationError("This date is in the future.")


class Client(PublicModel):
    class Status(models.TextChoices):
        INQUIRY = "inquiry", "Inquiry"
        WAITLIST = "waitlist", "Waitlist"
        ACTIVE = "active", "Active"
        DISCHARGED = "discharged", "Discharged"

    class SexAssignedAtBirth(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        INTERSEX = "intersex", "Intersex"
        UNKNOWN = "unknown", "Unknown"
        DECLINED = "declined", "Prefer not to say"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(validators=[validate_not_future])
    pronouns = models.CharField(max_length=40, blank=True)
    gender_identity = models.CharField(max_length=100, blank=True)
    sex_assigned_at_birth = models.CharField(
        max_length=16, choices=SexAssignedAtBirth.choices, blank=True
    )
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, choices=US_STATES, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    preferred_language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    emergency_contact_phone = models.CharField(max_length=32, blank=True)
    guardian_name = models.CharField("guardian or legal representative", max_length=150, blank=True)
    guardian_relationship = models.CharField(max_length=60, blank=True)
    guardian_phone = models.CharField(max_length=32, blank=True)
    race_ethnicity = models.CharField(
        "race and ethnicity (self-described, optional)", max_length=150, blank=True
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INQUIRY)
    primary_clinician = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="primary_clients"
    )

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["organization", "primary_clinician", "status"]),
            models.Index(fields=["organization", "date_of_birth"]),
            models.Index(fields=["organization", "legal_last_name", "legal_first_name"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"

    def age_on(self, on: date) -> int:
        had_birthday = (on.month, on.day) >= (self.date_of_birth.month, self.date_of_birth.day)
        return on.year - self.date_of_birth.year - (0 if had_birthday else 1)


class Episode(PublicModel):
    """An episode of care: from admission to discharge. At most one is open per client."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="episodes")
    admission_date = models.DateField()
    referral_source = models.CharField(max_length=150, blank=True)
    presenting_concern = models.TextField(max_length=4000, blank=True)
    discharge_date = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=150, blank=True)
    discharge_summary = models.TextField(max_length=8000, blank=True)

    class Meta:
        ordering = ["-admission_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(discharge_date__isnull=True),
                name="episode_one_open_per_client",
            ),
            models.CheckConstraint(
                condition=Q(discharge_date__isnull=True)
                | Q(discharge_date__gte=models.F("admission_date")),
                name="episode_discharge_after_admission",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode from {self.admission_date:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.discharge_date is None


class CareTeamMember(PublicModel):
    """A colleague inside the organization working on the case besides the primary clinician."""

    class Role(models.TextChoices):
        CO_THERAPIST = "co_therapist", "Co-therapist"
        GROUP_FACILITATOR = "group_facilitator", "Group facilitator"
        CASE_MANAGER = "case_manager", "Case manager"
        PRESCRIBER = "prescriber", "Prescriber"
        COVERING = "covering", "Covering clinician"
        OTHER = "other", "Other"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="care_team")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="care_team_roles")
    role = models.CharField(max_length=24, choices=Role.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @staticmethod
    def on_team_on(day: date) -> models.Q:
        """Membership in force on `day`: started by then, not yet ended (the one rule for
        caseload access, the chart and the coordination API)."""
        return models.Q(started_on__lte=day) & (
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=day)
        )

    def has_left_by(self, day: date) -> bool:
        """Ended before `day` (a member whose end date is still ahead is on the team)."""
        return self.ended_on is not None and self.ended_on < day


class CaseGroup(PublicModel):
    """A couple or family seen together; each member keeps their own chart."""

    class Kind(models.TextChoices):
        COUPLE = "couple", "Couple"
        FAMILY = "family", "Family"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=150)

    def __str__(self) -> str:
        return self.name


class CaseGroupMember(models.Model):
    class Role(models.TextChoices):
        PARTNER = "partner", "Partner"
        PARENT = "parent", "Parent"
        CHILD = "child", "Child"
        SIBLING = "sibling", "Sibling"
        GUARDIAN = "guardian", "Guardian"
        GRANDPARENT = "grandparent", "Grandparent"
        OTHER = "other", "Other family member"

    group = models.ForeignKey(CaseGroup, on_delete=models.CASCADE, related_name="members")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="case_groups")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "client"], name="case_group_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.client} as {self.get_role_display()}"


class BreakGlassGrant(PublicModel):
    """Emergency access to a chart outside one's caseload: reasoned, time-limited, flagged."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "client", "expires_at"])]

    def __str__(self) -> str:
        return f"Emergency access by {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"
