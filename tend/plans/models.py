"""Individualized treatment plans: problems → goals → measurable objectives → interventions.

A plan is versioned copy-on-write: editing an active plan makes a new draft version that
shares each item's `lineage_id` with the item it was copied from, so versions can be
compared item by item and progress notes can follow an objective across versions.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tend.accounts.models import Organization, User
from tend.clients.models import Client, Episode
from tend.core import vocabulary
from tend.core.models import PublicModel


class MetricKind(models.TextChoices):
    INSTRUMENT_SCORE = "instrument_score", "Instrument score"
    FREQUENCY_PER_WEEK = "frequency_per_week", "Times per week"
    SELF_RATING = "self_rating", "Self-rating (0 to 10)"
    MILESTONE = "milestone", "Yes/no milestone"


class Direction(models.TextChoices):
    AT_MOST = "at_most", "At or below the target"
    AT_LEAST = "at_least", "At or above the target"


# A self-rating is a 0 to 10 scale by definition of the metric kind.
SELF_RATING_RANGE = (Decimal(0), Decimal(10))


def modality_choices() -> list[tuple[str, str]]:
    return vocabulary.choices("modalities")


def instrument_choices() -> list[tuple[str, str]]:
    from tend.measures.instruments import load_instruments

    return [
        (instrument.id, instrument.abbreviation)
        for instrument in load_instruments().values()
        if instrument.has_total
    ]


def measure_label(metric_kind: str, instrument_id: str) -> str:
    """How an objective is measured, as a clinician reads it: "PHQ-9 total", "Times per week"."""
    from tend.measures.instruments import load_instruments

    if metric_kind == MetricKind.INSTRUMENT_SCORE:
        instrument = load_instruments().get(instrument_id)
        return f"{instrument.abbreviation if instrument else instrument_id} total"
    return str(MetricKind(metric_kind).label)


def _measure_fields_clean(
    *,
    metric_kind: str,
    instrument_id: str,
    target: Decimal | None,
    direction: str,
    baseline: Decimal | None = None,
) -> None:
    """The rule every objective (and objective template) obeys: a measurable target."""
    from tend.measures.instruments import load_instruments

    errors: dict[str, str] = {}
    if target is None:
        errors["target"] = (
            "An objective needs a measurable target (a number to reach), otherwise "
            "progress cannot be judged."
        )
    if not direction:
        errors["direction"] = "Say whether the target is a ceiling or a floor."
    if metric_kind == MetricKind.INSTRUMENT_SCORE:
        instrument = load_instruments().get(instrument_id)
        if instrument is None or not instrument.has_total:
            errors["instrument_id"] = "Choose the instrument whose total score is the measure."
        else:
            for name, value in (("target", target), ("baseline", baseline)):
                if value is not None and name not in errors:
                    try:
                        instrument.validate_total(float(value))
                    except ValueError as error:
                        errors[name] = str(error)
    elif instrument_id:
        errors["instrument_id"] = "Only an instrument-score objective names an instrument."
    if metric_kind == MetricKind.SELF_RATING:
        low, high = SELF_RATING_RANGE
        for name, value in (("target", target), ("baseline", baseline)):
            if value is not None and not low <= value <= high and name not in errors:
                errors[name] = "A self-rating is between 0 and 10."
    if metric_kind == MetricKind.FREQUENCY_PER_WEEK:
        for name, value in (("target", target), ("baseline", baseline)):
            if value is not None and value < 0 and name not in errors:
                errors[name] = "A frequency cannot be negative."
    if metric_kind == MetricKind.MILESTONE:
        if target is not None and target != 1:
            errors["target"] = "A milestone's target is reached (1)."
        if baseline is not None and baseline not in (0, 1):
            errors["baseline"] = "A milestone's baseline is 0 (not yet) or 1 (reached)."
        if direction and direction != Direction.AT_LEAST:
            errors["direction"] = "A milestone is met when it is reached (at or above 1)."
    if errors:
        raise ValidationError(errors)


class PlanSettings(PublicModel):
    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="plan_settings"
    )
    default_review_days = models.PositiveSmallIntegerField(
        "default review cadence (days)",
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name_plural = "plan settings"

    def __str__(self) -> str:
        return f"Plan settings of {self.organization}"


class TreatmentPlan(PublicModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        SUPERSEDED = "superseded", "Superseded"

    class AgreementKind(models.TextChoices):
        TYPED_SIGNATURE = "typed_signature", "Signature typed in person"
        VERBAL_TELEHEALTH = "verbal_telehealth", "Verbal agreement on telehealth"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="treatment_plans")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="treatment_plans")
    lineage_id = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    review_days = models.PositiveSmallIntegerField(
        "review every (days)", validators=[MinValueValidator(7), MaxValueValidator(365)]
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    agreement_kind = models.CharField(max_length=24, choices=AgreementKind.choices, blank=True)
    agreed_by_name = models.CharField("client's name as agreed", max_length=150, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    # Calendar dates in the organization's time zone.
    activated_on = models.DateField(null=True, blank=True)
    superseded_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["lineage_id", "version"], name="plan_version_once"),
            models.UniqueConstraint(
                fields=["client"], condition=Q(status="active"), name="plan_one_active_per_client"
            ),
            models.UniqueConstraint(
                fields=["client"], condition=Q(status="draft"), name="plan_one_draft_per_client"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_review_on"])]

    def __str__(self) -> str:
        return f"Treatment plan v{self.version} ({self.get_status_display()})"


class Problem(PublicModel):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="problems")
    lineage_id = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    statement = models.TextField("problem", max_length=2000)
    diagnosis_code = models.CharField("ICD-10-CM code", max_length=10, blank=True)
    diagnosis_description = models.CharField(max_length=250, blank=True)
    # The assessments app's Diagnosis.public_id, once that app defines diagnoses; until then
    # the code and description above carry the link.
    diagnosis_public_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Problem {self.position}"


class Goal(PublicModel):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="goals")
    lineage_id = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    client_words = models.TextField("in the client's words", max_length=1000)
    statement = models.TextField("clinical statement", max_length=2000)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Goal {self.position}"


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    PROGRESSING = "progressing", "Progressing"
    ACHIEVED = "achieved", "Achieved"
    NO_CHANGE = "no_change", "No change"
    REGRESSED = "regressed", "Regressed"
    DISCONTINUED = "discontinued", "Discontinued"


# What the clinician writes for an objective (its status is progress, recorded by reviews).
OBJECTIVE_FIELDS = (
    "description",
    "metric_kind",
    "instrument_id",
    "baseline",
    "target",
    "direction",
    "target_date",
)


class Objective(PublicModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objectives")
    lineage_id = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(max_length=1000)
    metric_kind = models.CharField("measured by", max_length=24, choices=MetricKind.choices)
    instrument_id = models.CharField("instrument", max_length=32, blank=True)
    baseline = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    target = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    direction = models.CharField(max_length=16, choices=Direction.choices)
    target_date = models.DateField()
    status = models.CharField(
        max_length=16, choices=ObjectiveStatus.choices, default=ObjectiveStatus.NOT_STARTED
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Objective {self.position}"

    def clean(self) -> None:
        _measure_fields_clean(
            metric_kind=self.metric_kind,
            instrument_id=self.instrument_id,
            target=self.target,
            direction=self.direction,
            baseline=self.baseline,
        )

    def target_met_by(self, value: Decimal) -> bool:
        if self.target is None:
            return False
        if self.direction == Direction.AT_MOST:
            return value <= self.target
        return value >= self.target


class InterventionContent(models.Model):
    """What an intervention says, in a plan or in a library template. The modality comes
    from the controlled list in data/vocabulary.yaml; "other" must be named."""

    modality = models.CharField(max_length=40)
    modality_other = models.CharField("other modality", max_length=100, blank=True)
    description = models.TextField(max_length=1000)
    frequency = models.CharField(max_length=100)
    responsible_person = models.CharField(max_length=150)

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.modality not in dict(modality_choices()):
            raise ValidationError({"modality": "Choose a modality from the list."})
        if self.modality == "other" and not self.modality_other.strip():
            raise ValidationError({"modality_other": "Name the modality when choosing Other."})

    @property
    def modality_label(self) -> str:
        if self.modality == "other":
            return self.modality_other
        return vocabulary.label("modalities", self.modality)


class Intervention(PublicModel, InterventionContent):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="interventions")
    lineage_id = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Intervention {self.position}"


class PlanReview(PublicModel):
    """A signed review of an active plan: progress per objective, confirmed or overridden."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    summary = models.TextField(max_length=4000, blank=True)
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Plan review of {self.reviewed_on:%Y-%m-%d}"


class ObjectiveReview(models.Model):
    class Source(models.TextChoices):
        MEASURE = "measure", "Measurement score"
        NOTE = "note", "Progress notes"
        NONE = "none", "No recorded data"

    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="objectives")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="reviews")
    source = models.CharField(max_length=16, choices=Source.choices)
    latest_value = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    latest_on = models.DateField(null=True, blank=True)
    change_from_baseline = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True
    )
    target_met = models.BooleanField(null=True, blank=True)
    suggested_status = models.CharField(max_length=16, choices=ObjectiveStatus.choices)
    status = models.CharField(max_length=16, choices=ObjectiveStatus.choices)
    override_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "objective"], name="objective_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.objective} reviewed"

    @property
    def is_override(self) -> bool:
        return self.status != self.suggested_status


class ObjectiveProgressEntry(PublicModel):
    """A value of an objective's metric recorded from a progress note (the golden thread)."""

    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, related_name="progress_entries"
    )
    recorded_on = models.DateField()
    value = models.DecimalField(max_digits=6, decimal_places=1)
    note_public_id = models.UUIDField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"Progress on {self.recorded_on:%Y-%m-%d}"


class PlanTemplate(PublicModel):
    """A reusable problem → goal with objectives and interventions, per organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="plan_templates"
    )
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=150)
    problem_statement = models.TextField(max_length=2000)
    goal_client_words = models.TextField("goal in the client's words", max_length=1000)
    goal_statement = models.TextField("goal clinical statement", max_length=2000)
    # A retired template is kept (plans written from it may be read against it) but is no
    # longer offered when writing a plan.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="plan_template_key_once")
        ]

    def __str__(self) -> str:
        return self.title


class ObjectiveTemplate(PublicModel):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(max_length=1000)
    metric_kind = models.CharField("measured by", max_length=24, choices=MetricKind.choices)
    instrument_id = models.CharField("instrument", max_length=32, blank=True)
    target = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    direction = models.CharField(max_length=16, choices=Direction.choices)
    weeks_to_target = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description[:60]

    def clean(self) -> None:
        _measure_fields_clean(
            metric_kind=self.metric_kind,
            instrument_id=self.instrument_id,
            target=self.target,
            direction=self.direction,
        )

    @property
    def summary(self) -> str:
        """How it is measured and what it aims for, e.g. "PHQ-9 total; at most 9; 12 weeks"."""
        bound = "at most" if self.direction == Direction.AT_MOST else "at least"
        target = f"{self.target.normalize():f}" if self.target is not None else "—"
        return (
            f"{measure_label(self.metric_kind, self.instrument_id)}; {bound} {target}; "
            f"{self.weeks_to_target} weeks"
        )


class InterventionTemplate(PublicModel, InterventionContent):
    template = models.ForeignKey(
        PlanTemplate, on_delete=models.CASCADE, related_name="interventions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def summary(self) -> str:
        return f"{self.modality_label}; {self.frequency}; {self.responsible_person}"
