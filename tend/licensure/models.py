"""Licences, compact privileges and exam attempts: a person's own credentials.

A licence belongs to the clinician, not to an organization: the same LPC follows them
from one practice to the next, so no client data and no organization hangs off it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from tend.accounts.models import US_STATES
from tend.core.models import PublicModel


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
