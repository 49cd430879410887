"""People, organizations and what each person may do in each organization."""

from __future__ import annotations

import uuid
import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tend.core.models import PublicModel, TimeStampedModel
from tend.core.permissions import Role
from tend.core.validators import validate_npi


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["display_name"]

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name.split(" ")[0] if self.display_name else self.email


US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
    ("DC", "District of Columbia"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"),
    ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"),
    ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"),
    ("SC", "South Carolina"), ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"),
    ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"),
    ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
]  # fmt: skip


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (e.g. America/Chicago).")


class Organization(PublicModel):
    class Kind(models.TextChoices):
        PRIVATE_PRACTICE = "private_practice", "Private practice"
        GROUP_PRACTICE = "group_practice", "Group practice"
        CMHC = "cmhc", "Community mental health center"
        HOSPITAL = "hospital", "Hospital"
        SCHOOL = "school", "School"
        TELEHEALTH = "telehealth", "Telehealth platform"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    state = models.CharField(max_length=2, choices=US_STATES)
    timezone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_timezone]
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """One role a person holds in one organization; several roles are several rows."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            )
        ]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organization}"


class ClinicianProfile(TimeStampedModel):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="clinician_profile")
    npi = models.CharField("NPI", max_length=10, blank=True, validators=[validate_npi])
    credentials = models.CharField(
        max_length=60, blank=True, help_text="Letters after the name, e.g. LPC, LCSW."
    )
    modalities = models.JSONField(default=list, blank=True)
    populations = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    bio = models.TextField(blank=True, max_length=2000)

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class Degree(TimeStampedModel):
    class Kind(models.TextChoices):
        MA = "MA", "MA"
        MS = "MS", "MS"
        MED = "MEd", "MEd"
        MSW = "MSW", "MSW"
        MFT = "MFT", "MFT (MA/MS in Marriage and Family Therapy)"
        PHD = "PhD", "PhD"
        PSYD = "PsyD", "PsyD"
        EDD = "EdD", "EdD"

    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="degrees")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    field_of_study = models.CharField(max_length=120)
    school = models.CharField(max_length=160)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.kind} {self.field_of_study}, {self.school} ({self.year})"


class Invitation(PublicModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    display_name = models.CharField(max_length=150)
    roles = models.JSONField(help_text="Role values granted on acceptance.")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organization}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class PersonalAccessToken(PublicModel):
    """A token for scripts: stored hashed, one organization, read or read-write, expiring."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="Shown so people can tell tokens apart.")
    token_hash = models.CharField(max_length=64, unique=True)
    can_write = models.BooleanField(default=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
