"""Measurement-based care and the risk pathway: scores, client links, alerts, risk
assessments, safety plans and schedules.

Every row holding client data carries its organization. Responses are immutable once
recorded: a correction is a new response and the old one is voided with a reason.
"""

from __future__ import annotations

import pgtrigger
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.clients.models import Client
from tend.core.models import PublicModel


class MeasureResponse(PublicModel):
    """One administration of an instrument, scored by `tend.measures.instruments`."""

    class Mode(models.TextChoices):
        IN_SESSION = "in_session", "In session, entered by the clinician"
        CLIENT_LINK = "client_link", "Completed by the client through a link"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="measure_responses")
    instrument_id = models.CharField(max_length=32)
    administered_at = models.DateTimeField()
    mode = models.CharField(max_length=16, choices=Mode.choices)
    # Item number (as text: "9", "6a") -> answer value, validated by the instrument engine.
    # Empty when only a total was recorded.
    answers = models.JSONField(default=dict, blank=True)
    total = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=200, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    # [{"id", "flag", "status"}] from the instrument's critical items and alerts.
    critical_flags = models.JSONField(default=list, blank=True)
    has_triggered_critical = models.BooleanField(default=False)
    risk_level = models.CharField(max_length=16, blank=True)  # rule-based triage (C-SSRS)
    entered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["administered_at", "id"]
        indexes = [
            models.Index(fields=["client", "instrument_id", "administered_at"]),
            models.Index(fields=["organization", "administered_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="measure_response_void_needs_reason",
            )
        ]
        triggers = [
            # A recorded score is evidence: only the void fields may change, and on
            # PostgreSQL the database refuses anything else too.
            pgtrigger.Protect(
                name="measure_response_immutable",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(
                    "client",
                    "instrument_id",
                    "administered_at",
                    "mode",
                    "answers",
                    "total",
                    "band",
                    "subscales",
                    "critical_flags",
                    "has_triggered_critical",
                    "risk_level",
                    "entered_by",
                ),
            ),
            pgtrigger.Protect(name="measure_response_kept", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} on {self.administered_at:%Y-%m-%d}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    @property
    def triggered_flags(self) -> list[dict[str, str]]:
        return [flag for flag in self.critical_flags if flag["status"] == "triggered"]


class SafetyPlan(PublicModel):
    """One version of a client's safety plan; an edit is a new version, never an update.

    The parts follow the widely taught structure of a safety plan (warning signs, internal
    coping, people and places for distraction, people to ask for help, professionals and
    agencies, making the environment safe) plus reasons for living; the wording is Tend's.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="safety_plans")
    version = models.PositiveIntegerField()
    warning_signs = models.TextField(max_length=4000)
    coping_strategies = models.TextField(max_length=4000)
    distraction_people_places = models.TextField(max_length=4000)
    help_contacts = models.TextField(max_length=4000)
    professionals_agencies = models.TextField(max_length=4000)
    environment_safety = models.TextField(max_length=4000)
    reasons_for_living = models.TextField(max_length=4000, blank=True)
    reviewed_with_client_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="safety_plan_version_once")
        ]
        triggers = [
            # An edit is a new version: a saved version never changes (PostgreSQL).
            pgtrigger.Protect(
                name="safety_plan_version_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Safety plan v{self.version}"


class MeasureSchedule(PublicModel):
    """ "Send the PHQ-9 every 2 weeks": `tend send_scheduled_measures` sends what is due."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="measure_schedules")
    instrument_id = models.CharField(max_length=32)
    interval_days = models.PositiveSmallIntegerField()
    next_due_on = models.DateField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_due_on"]
        indexes = [models.Index(fields=["stopped_at", "next_due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_days__gte=1), name="measure_schedule_interval_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} every {self.interval_days} days"

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None


class ClientLink(PublicModel):
    """A one-time link for a client: a questionnaire to fill in or a safety plan to read.

    Only a SHA-256 digest of the token is stored; the raw token exists in the email or on
    the clinician's screen once.
    """

    class Kind(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", "Questionnaire"
        SAFETY_PLAN = "safety_plan", "Safety plan"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="measure_links")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    instrument_id = models.CharField(max_length=32, blank=True)
    safety_plan = models.ForeignKey(
        SafetyPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    response = models.OneToOneField(
        MeasureResponse, on_delete=models.PROTECT, null=True, blank=True, related_name="link"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    schedule = models.ForeignKey(
        MeasureSchedule, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    due_on = models.DateField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One link per schedule and due date: the cron command may run twice.
            models.UniqueConstraint(
                fields=["schedule", "due_on"],
                condition=Q(schedule__isnull=False),
                name="client_link_once_per_due_date",
            ),
            models.CheckConstraint(
                condition=(Q(kind="questionnaire") & ~Q(instrument_id=""))
                | (Q(kind="safety_plan") & Q(safety_plan__isnull=False)),
                name="client_link_has_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} link until {self.expires_at:%Y-%m-%d}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """A questionnaire link is single use; a safety-plan link can be re-read until it
        expires (a client may need their plan more than once)."""
        if self.is_expired:
            return False
        return self.kind == self.Kind.SAFETY_PLAN or self.used_at is None


class RiskAlert(PublicModel):
    """A task for one clinician: a critical item was endorsed; acknowledge with the action
    taken. The primary clinician gets one, and so does the supervisor of an associate."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="risk_alerts")
    response = models.ForeignKey(MeasureResponse, on_delete=models.PROTECT, related_name="alerts")
    recipient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="risk_alerts")
    flags = models.JSONField(default=list)  # critical item ids from the data
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action_note = models.TextField(max_length=4000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "recipient", "acknowledged_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "recipient"], name="risk_alert_once_per_recipient"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | ~Q(action_note=""),
                name="risk_alert_ack_needs_note",
            ),
        ]

    def __str__(self) -> str:
        return f"Risk alert for {self.recipient}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class RiskAssessment(PublicModel):
    """A structured suicide-risk screening (C-SSRS screener items by number) and the
    clinician's conclusion. The screen gives none/low/moderate/high through the data's
    risk rules; the clinician may override (including to imminent) with a reason."""

    class Level(models.TextChoices):
        NONE = "none", "None identified"
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        HIGH = "high", "High"
        IMMINENT = "imminent", "Imminent"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="risk_assessments")
    screening = models.OneToOneField(
        MeasureResponse, on_delete=models.PROTECT, related_name="risk_assessment"
    )
    screened_level = models.CharField(max_length=16, choices=Level.choices)
    level = models.CharField(max_length=16, choices=Level.choices)
    override_reason = models.CharField(max_length=1000, blank=True)
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=models.F("screened_level")) | ~Q(override_reason=""),
                name="risk_assessment_override_needs_reason",
            )
        ]

    def __str__(self) -> str:
        return f"Risk {self.level} on {self.assessed_at:%Y-%m-%d}"

    @property
    def is_override(self) -> bool:
        return self.level != self.screened_level
