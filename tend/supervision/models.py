"""Who supervises whom, toward which licence, and the supervision sessions they hold.

Supervisors see what their active supervisees see. A relationship names the licence path
it counts toward (state + licence family); an associate may have several (e.g. an
individual and a group supervisor). An external supervisor (outside the organization) is
recorded by name and licence; sessions with them are logged as manual hours entries.
"""

from __future__ import annotations

import pgtrigger
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from tend.accounts.models import US_STATES, Organization, User
from tend.clients.models import Client
from tend.core.models import PublicModel
from tend.licensure.models import DOCUMENT_EXTENSIONS, LicenseFamily, validate_document_size


class SupervisionRelationship(PublicModel):
    class Format(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        GROUP = "group", "Group"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="supervisees_as",
        null=True,
        blank=True,
        help_text="Empty for an external supervisor.",
    )
    external_supervisor_name = models.CharField(max_length=150, blank=True)
    external_supervisor_license = models.CharField(
        max_length=120, blank=True, help_text="Title, state and number, e.g. LPC-S TX 12345."
    )
    supervisee = models.ForeignKey(User, on_delete=models.PROTECT, related_name="supervisors_as")
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.INDIVIDUAL)
    path_state = models.CharField("licence state", max_length=2, choices=US_STATES, blank=True)
    path_family = models.CharField(
        "licence family", max_length=16, choices=LicenseFamily.choices, blank=True
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    contract = models.FileField(
        upload_to="supervision/contracts/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_document_size],
    )

    class Meta:
        indexes = [
            models.Index(fields=["organization", "supervisor", "ended_on"]),
            models.Index(fields=["organization", "supervisee", "ended_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=F("supervisee")), name="supervision_not_self"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="supervision_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(supervisor__isnull=False, external_supervisor_name="")
                | Q(supervisor__isnull=True) & ~Q(external_supervisor_name=""),
                name="supervision_supervisor_in_house_or_external",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor_name} supervises {self.supervisee}"

    @property
    def is_external(self) -> bool:
        return self.supervisor_id is None

    @property
    def supervisor_name(self) -> str:
        return self.external_supervisor_name if self.supervisor is None else str(self.supervisor)

    @property
    def has_path(self) -> bool:
        return bool(self.path_state and self.path_family)


class SupervisionSession(PublicModel):
    """One supervision meeting, signed by supervisor and supervisee, then locked.

    A session may be planned ahead (a start time, no content yet); it is recorded later
    through the same form, which makes it held, and only held sessions are signed and
    reach the hours ledger. A planned session may instead be cancelled with a reason.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    class Format(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        TRIADIC = "triadic", "Triadic (two supervisees)"
        GROUP = "group", "Group"

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Live video"
        PHONE = "phone", "Telephone"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    relationship = models.ForeignKey(
        SupervisionRelationship, on_delete=models.PROTECT, related_name="sessions"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.HELD)
    held_on = models.DateField()
    starts_at = models.DateTimeField(
        null=True, blank=True, help_text="Planned start; empty for a session logged afterwards."
    )
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)]
    )
    format = models.CharField(max_length=16, choices=Format.choices)
    member_count = models.PositiveSmallIntegerField(
        "supervisees present", validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    delivery = models.CharField(max_length=16, choices=Delivery.choices)
    topics = models.TextField(max_length=4000, blank=True)
    goals = models.TextField("goals", max_length=4000, blank=True)
    feedback = models.TextField(max_length=4000, blank=True)
    cases = models.ManyToManyField(Client, blank=True, related_name="+")
    supervisor_warning = models.CharField(max_length=500, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    supervisor_signed_at = models.DateTimeField(null=True, blank=True)
    supervisee_signed_at = models.DateTimeField(null=True, blank=True)
    locked = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        indexes = [
            models.Index(fields=["relationship", "held_on"]),
            models.Index(fields=["organization", "status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="planned") | Q(starts_at__isnull=False),
                name="supervision_planned_has_start",
            ),
            models.CheckConstraint(
                condition=Q(locked=False) | Q(status="held"),
                name="supervision_only_held_locks",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="supervision_session_locked",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__locked=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} supervision on {self.held_on}"

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def is_signed_by_both(self) -> bool:
        return self.supervisor_signed_at is not None and self.supervisee_signed_at is not None
