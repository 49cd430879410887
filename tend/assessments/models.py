"""Biopsychosocial assessments (written against a versioned template) and diagnoses."""

from __future__ import annotations

from functools import cached_property

import pgtrigger
import pydantic
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from tend.accounts.models import Organization, User
from tend.assessments.definition import TemplateDefinition
from tend.clients.models import Client, Episode
from tend.core.models import PublicModel


class AssessmentTemplate(PublicModel):
    """One version of an assessment template. Rows are never changed: an organization's
    edit is a new version, so every assessment keeps the version it was written with.

    `organization` is empty for Tend's shipped default (data/assessment_templates/).
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    definition = models.JSONField()
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key", "version"], name="assessment_template_version_once"
            ),
            models.UniqueConstraint(
                fields=["key", "version"],
                condition=Q(organization__isnull=True),
                name="assessment_template_default_version_once",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="assessment_template_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def clean(self) -> None:
        try:
            parsed = TemplateDefinition.model_validate(self.definition)
        except pydantic.ValidationError as error:
            raise ValidationError(
                {"definition": f"The template definition is not valid: {error}"}
            ) from error
        if (parsed.key, parsed.version, parsed.title) != (self.key, self.version, self.title):
            raise ValidationError(
                {"definition": "The definition's key, version and title must match the row."}
            )

    @cached_property
    def parsed(self) -> TemplateDefinition:
        return TemplateDefinition.model_validate(self.definition)


class Assessment(PublicModel):
    """A biopsychosocial assessment: a draft the author saves as often as they like, then
    signed (content hash stored) and read-only; corrections are addenda."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="assessments")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.PROTECT, related_name="assessments"
    )
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    Q(status="signed", signed_at__isnull=False, signed_by__isnull=False)
                    & ~Q(content_hash="")
                ),
                name="assessment_signed_has_signature",
            ),
        ]
        triggers = [
            # Signed is final: the service refuses to change a signed assessment and, on
            # PostgreSQL, so does the database, even for a raw SQL session.
            pgtrigger.Protect(
                name="assessment_signed_read_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="signed"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.template.title} ({self.get_status_display()})"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


class AssessmentAddendum(PublicModel):
    """A correction or addition to a signed assessment. Append-only."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    text = models.TextField(max_length=8000)

    class Meta:
        ordering = ["created_at", "id"]
        triggers = [
            pgtrigger.Protect(
                name="assessment_addendum_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Addendum of {self.created_at:%Y-%m-%d %H:%M}"


class Diagnosis(PublicModel):
    """One entry in a client's diagnosis history. A change is a new row that supersedes
    the previous one; rows are never overwritten, so the history is the chain."""

    class Rank(models.TextChoices):
        PRINCIPAL = "principal", "Principal"
        SECONDARY = "secondary", "Secondary"

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", "Provisional"
        CONFIRMED = "confirmed", "Confirmed"
        RULE_OUT = "rule_out", "Rule out"
        IN_REMISSION = "in_remission", "In remission"
        RESOLVED = "resolved", "Resolved"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="diagnoses")
    code = models.CharField("ICD-10-CM code", max_length=8)
    description = models.CharField(max_length=300)
    code_set_version = models.CharField(max_length=60)
    rank = models.CharField(max_length=16, choices=Rank.choices, default=Rank.SECONDARY)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROVISIONAL)
    onset_date = models.DateField(null=True, blank=True)
    resolution_date = models.DateField(null=True, blank=True)
    diagnosed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["client", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution_date__isnull=True)
                | Q(onset_date__isnull=True)
                | Q(resolution_date__gte=F("onset_date")),
                name="diagnosis_resolved_after_onset",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="diagnosis_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.RESOLVED
