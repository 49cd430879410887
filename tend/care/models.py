"""Scheduling and session documentation: appointments, series, rooms, therapy groups,
progress notes with their addenda, and the organization's care settings."""

from __future__ import annotations

import pgtrigger
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from tend.accounts.models import Organization, User
from tend.clients.models import CaseGroup, Client
from tend.core.models import PublicModel, TimeStampedModel


class CareSettings(TimeStampedModel):
    """Per-organization choices for scheduling and documentation (defaults when absent)."""

    DEFAULT_LATE_ENTRY_HOURS = 72
    MAX_LATE_ENTRY_HOURS = 24 * 60

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="care_settings"
    )
    late_entry_hours = models.PositiveSmallIntegerField(
        default=DEFAULT_LATE_ENTRY_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LATE_ENTRY_HOURS)],
        help_text="A note signed later than this many hours after the session is a late entry.",
    )
    calendar_feed_initials = models.BooleanField(
        default=False, help_text="Show client initials in clinicians' calendar feeds."
    )

    def __str__(self) -> str:
        return f"Care settings of {self.organization}"


class Room(PublicModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="room_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class TherapyGroup(PublicModel):
    """A therapy group (e.g. a DBT skills group): a facilitator and its members."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=150)
    facilitator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TherapyGroupMember(models.Model):
    group = models.ForeignKey(TherapyGroup, on_delete=models.CASCADE, related_name="members")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "client"], name="therapy_group_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.client} in {self.group}"


class AppointmentSeries(PublicModel):
    """A recurring appointment from an RFC 5545 rule, in the organization's wall-clock time.

    Occurrences are stored as Appointment rows. The first occurrence's local date and time
    plus the time zone are kept so every occurrence keeps the same wall-clock time across a
    daylight-saving change.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=300, help_text="RFC 5545 RRULE, e.g. FREQ=WEEKLY;COUNT=12")
    first_date = models.DateField()
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    timezone = models.CharField(max_length=64)
    split_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ends_before = models.DateField(
        null=True, blank=True, help_text="Set when the series was split: no occurrence from here."
    )

    def __str__(self) -> str:
        return f"Series {self.rule} from {self.first_date}"


class Appointment(PublicModel):
    class Kind(models.TextChoices):
        INTAKE = "intake", "Intake"
        INDIVIDUAL = "individual", "Individual"
        COUPLES = "couples", "Couples"
        FAMILY = "family", "Family"
        GROUP = "group", "Group"
        CRISIS = "crisis", "Crisis"
        COLLATERAL = "collateral", "Collateral contact"

    class Location(models.TextChoices):
        OFFICE = "office", "Office"
        TELEHEALTH = "telehealth", "Telehealth"
        SCHOOL = "school", "School"
        HOME = "home", "Home"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        KEPT = "kept", "Kept"
        CANCELLED = "cancelled", "Cancelled"
        LATE_CANCELLED = "late_cancelled", "Late cancellation"
        NO_SHOW = "no_show", "No-show"

    # Statuses that occupy the clinician's and the room's time.
    BUSY_STATUSES = (Status.SCHEDULED, Status.KEPT)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    series = models.ForeignKey(
        AppointmentSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    kind = models.CharField("type", max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=16, choices=Location.choices, default=Location.OFFICE)
    video_link = models.URLField(blank=True, max_length=500)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True)
    case_group = models.ForeignKey(
        CaseGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    therapy_group = models.ForeignKey(
        TherapyGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.CharField(max_length=200, blank=True)
    clients = models.ManyToManyField(Client, through="AppointmentClient", related_name="+")

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["organization", "clinician", "starts_at"]),
            models.Index(fields=["organization", "starts_at"]),
            models.Index(fields=["room", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class AppointmentClient(models.Model):
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="participants"
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="appointments")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "client"], name="appointment_client_once"
            )
        ]
        indexes = [models.Index(fields=["client", "appointment"])]

    def __str__(self) -> str:
        return f"{self.client} at {self.appointment}"


class CalendarFeed(PublicModel):
    """A clinician's secret iCalendar feed address; only the token's hash is stored."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    clinician = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["clinician", "organization", "revoked_at"])]

    def __str__(self) -> str:
        return f"Calendar feed of {self.clinician}"


class ProgressNote(PublicModel):
    """The clinical record of one session (one note per appointment).

    Draft → signed (content hash stored) → co-signed when the author is an associate →
    final and locked. A locked row is refused UPDATE and DELETE by a PostgreSQL trigger;
    corrections are addenda.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_COSIGN = "awaiting_cosign", "Awaiting co-signature"
        RETURNED = "returned", "Returned by the supervisor"
        FINAL = "final", "Signed"

    class RiskUpdate(models.TextChoices):
        NO_CHANGE = "no_change", "No change"
        CHANGED = "changed", "Changed — see the risk screening"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="note")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note_format = models.CharField("format", max_length=32)
    modality = models.CharField(max_length=32)
    content = models.JSONField(default=dict, blank=True)
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_end = models.DateTimeField(null=True, blank=True)
    others_present = models.CharField(
        "others present", max_length=300, blank=True, help_text="Besides the clients, if anyone."
    )
    interventions = models.TextField("interventions used", max_length=4000, blank=True)
    risk_update = models.CharField(max_length=16, choices=RiskUpdate.choices, blank=True)
    risk_details = models.TextField(max_length=4000, blank=True)
    measures_given = models.TextField("measures given today", max_length=2000, blank=True)
    cpt_suggested = models.CharField(max_length=120, blank=True)
    cpt_code = models.CharField("CPT code billed", max_length=5, blank=True)
    cpt_override_reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    late_entry = models.BooleanField(default=False)
    cosigned_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    locked = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "author", "status"]),
            models.Index(fields=["organization", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gt=F("actual_start")),
                name="progress_note_ends_after_start",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="progress_note_locked",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__locked=True),
            )
        ]

    def __str__(self) -> str:
        return f"Progress note ({self.get_status_display()})"

    @property
    def minutes(self) -> int | None:
        if self.actual_start is None or self.actual_end is None:
            return None
        return int((self.actual_end - self.actual_start).total_seconds() // 60)


class NoteMemberSection(models.Model):
    """A group note's individual part for one member, filed on that member's chart."""

    note = models.ForeignKey(ProgressNote, on_delete=models.PROTECT, related_name="member_sections")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    participation = models.TextField(max_length=4000, blank=True)
    progress = models.TextField(max_length=4000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "client"], name="note_member_section_once")
        ]

    def __str__(self) -> str:
        return f"Member section for {self.client}"


class NoteObjective(models.Model):
    """A treatment-plan objective the session addressed, with progress toward it."""

    class Progress(models.TextChoices):
        PROGRESSING = "progressing", "Progressing"
        NO_CHANGE = "no_change", "No change"
        REGRESSED = "regressed", "Regressed"
        ACHIEVED = "achieved", "Achieved"

    note = models.ForeignKey(ProgressNote, on_delete=models.PROTECT, related_name="objectives")
    objective = models.ForeignKey("plans.Objective", on_delete=models.PROTECT, related_name="+")
    progress = models.CharField(max_length=16, choices=Progress.choices)
    value = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Today's value of the objective's measure, if it was taken.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "objective"], name="note_objective_once")
        ]

    def __str__(self) -> str:
        return f"Objective addressed ({self.get_progress_display()})"


class NoteAddendum(PublicModel):
    """A dated correction or addition to a signed note; append-only."""

    note = models.ForeignKey(ProgressNote, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    body = models.TextField(max_length=8000)

    class Meta:
        ordering = ["created_at", "id"]
        triggers = [
            pgtrigger.Protect(
                name="note_addendum_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Addendum of {self.created_at:%Y-%m-%d}"


class NoteReturn(PublicModel):
    """A supervisor sending an associate's signed note back with comments (kept for good)."""

    note = models.ForeignKey(ProgressNote, on_delete=models.PROTECT, related_name="returns")
    supervisor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    comments = models.TextField(max_length=4000)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Returned on {self.created_at:%Y-%m-%d}"


class PsychotherapyNote(PublicModel):
    """A clinician's private process note on a session: readable by its author only, kept
    apart from the record, and never exported or served by the API unless the author
    releases it with a reason."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=20000)
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "author"], name="psychotherapy_note_one_per_author"
            )
        ]

    def __str__(self) -> str:
        return "Psychotherapy note"
