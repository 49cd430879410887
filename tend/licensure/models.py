"""Licences, compact privileges and exam attempts: a person's own credentials; and the
hours ledger toward a licence with the supervisors' verifications.

A licence belongs to the clinician, not to an organization: the same LPC follows them
from one practice to the next, so no client data and no organization hangs off it. Hours
entries are recorded in an organization (so its supervisors can verify them) but hold no
client data either.
"""

from __future__ import annotations

from datetime import date

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models

from tend.accounts.models import US_STATES
from tend.core.models import PublicModel

DOCUMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg"]
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def validate_document_size(value: object) -> None:
    if (getattr(value, "size", 0) or 0) > DOCUMENT_MAX_BYTES:
        raise ValidationError("The file is larger than 10 MB.")


class LicenseFamily(models.TextChoices):
    COUNSELOR = "counselor", "Professional counselor"
    SOCIAL_WORK = "social_work", "Clinical social work"
    MFT = "mft", "Marriage and family therapy"
    PSYCHOLOGY = "psychology", "Psychology"


class License(PublicModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ASSOCIATE = "associate", "Associate registration"
        INACTIVE = "inactive", "Inactive"
        EXPIRED = "expired", "Expired"

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="licenses"
    )
    state = models.CharField(max_length=2, choices=US_STATES)
    family = models.CharField("licence family", max_length=16, choices=LicenseFamily.choices)
    title = models.CharField(max_length=120, help_text="As the board writes it, e.g. LPC.")
    number = models.CharField("licence number", max_length=40)
    issued_on = models.DateField()
    expires_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["expires_on", "state"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "state", "family", "number"], name="license_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")),
                name="license_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.state}) #{self.number}"

    def is_expired_on(self, day: date) -> bool:
        return self.status == self.Status.EXPIRED or self.expires_on < day

    def is_in_force_on(self, day: date) -> bool:
        """Active or associate registration, and not past its expiry date."""
        return self.status in {self.Status.ACTIVE, self.Status.ASSOCIATE} and self.expires_on >= day

    @property
    def is_associate(self) -> bool:
        return self.status == self.Status.ASSOCIATE


class CompactPrivilege(PublicModel):
    """A privilege to practise in a remote state under an interstate compact."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="compact_privileges"
    )
    home_license = models.ForeignKey(License, on_delete=models.CASCADE, related_name="privileges")
    compact_code = models.CharField("compact", max_length=32)
    state = models.CharField("remote state", max_length=2, choices=US_STATES)
    expires_on = models.DateField()

    class Meta:
        ordering = ["state"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "compact_code", "state"], name="privilege_unique_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.compact_code} privilege for {self.state}"


class ExamAttempt(PublicModel):
    class Result(models.TextChoices):
        PASSED = "passed", "Passed"
        FAILED = "failed", "Not passed"
        PENDING = "pending", "Awaiting result"

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts"
    )
    exam_code = models.CharField("exam", max_length=32)
    taken_on = models.DateField()
    result = models.CharField(max_length=16, choices=Result.choices)

    class Meta:
        ordering = ["-taken_on"]

    def __str__(self) -> str:
        return f"{self.exam_code} on {self.taken_on}"


class HoursCategory(models.TextChoices):
    """Kinds of supervised experience a board counts (the engine's HoursTotals fields)."""

    DIRECT_INDIVIDUAL = "direct_individual", "Direct client contact — individual"
    DIRECT_COUPLES_FAMILY = "direct_couples_family", "Direct client contact — couples and family"
    DIRECT_GROUP = "direct_group", "Direct client contact — group"
    INDIRECT = "indirect", "Indirect and other clinical work"
    SUPERVISION_INDIVIDUAL = "supervision_individual", "Supervision — individual"
    SUPERVISION_GROUP = "supervision_group", "Supervision — group"


class HoursVerification(PublicModel):
    """A supervisor's signed attestation of an associate's hours for one week or month.

    A snapshot: names, licence numbers and totals are copied, so the record reads the same
    after the supervisor leaves the organization or a licence is renewed. Append-only.
    """

    class Period(models.TextChoices):
        WEEK = "week", "Week"
        MONTH = "month", "Month"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    associate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hours_verifications"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=8, choices=Period.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    path_state = models.CharField(max_length=2, blank=True)
    path_family = models.CharField(max_length=16, blank=True)
    organization_name = models.CharField(max_length=200)
    associate_name = models.CharField(max_length=150)
    associate_license = models.CharField(max_length=200, blank=True)
    supervisor_name = models.CharField(max_length=150)
    supervisor_license = models.CharField(max_length=200, blank=True)
    entries = models.PositiveIntegerField()
    minutes_direct_individual = models.PositiveIntegerField(default=0)
    minutes_direct_couples_family = models.PositiveIntegerField(default=0)
    minutes_direct_group = models.PositiveIntegerField(default=0)
    minutes_indirect = models.PositiveIntegerField(default=0)
    minutes_supervision_individual = models.PositiveIntegerField(default=0)
    minutes_supervision_group = models.PositiveIntegerField(default=0)
    signed_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-period_start"]
        indexes = [models.Index(fields=["associate", "period_start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="hours_verification_period_order",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="hours_verification_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Hours verified {self.period_start} to {self.period_end}"

    def minutes_by_category(self) -> dict[str, int]:
        return {category: getattr(self, f"minutes_{category}") for category in HoursCategory.values}

    def hours_by_category(self) -> dict[str, float]:
        return {category: minutes / 60 for category, minutes in self.minutes_by_category().items()}


class HoursEntry(PublicModel):
    """One line of an associate's hours ledger. Never holds client data: an entry accrued
    from a session keeps only the source record's public id, to avoid counting it twice."""

    class Source(models.TextChoices):
        SESSION = "session", "Signed session note"
        SUPERVISION = "supervision", "Signed supervision session"
        MANUAL = "manual", "Entered by the associate"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    associate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hours_entries"
    )
    category = models.CharField(max_length=32, choices=HoursCategory.choices)
    worked_on = models.DateField()
    minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    source_reference = models.UUIDField(null=True, blank=True)
    site = models.CharField(
        max_length=200, blank=True, help_text="Where the work was done, if not here."
    )
    description = models.CharField(
        max_length=300, blank=True, help_text="What the work was. No client names or details."
    )
    attachment = models.FileField(
        upload_to="licensure/hours/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_document_size],
    )
    verification = models.ForeignKey(
        HoursVerification, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )

    class Meta:
        ordering = ["-worked_on", "-created_at"]
        indexes = [
            models.Index(fields=["associate", "worked_on"]),
            models.Index(fields=["organization", "associate", "verification"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["associate", "source", "source_reference"],
                condition=models.Q(source_reference__isnull=False),
                name="hours_entry_source_once",
            ),
        ]
        triggers = [
            # A verified entry is part of a signed snapshot: no edit, no delete.
            pgtrigger.Protect(
                name="hours_entry_verified_locked",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__verification__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.minutes} min on {self.worked_on}"

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def is_verified(self) -> bool:
        return self.verification_id is not None
