"""Input and output shapes of the plans API (each endpoint has its own)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class ReviewDueOut(Schema):
    """When the active plan's next review falls due: "scheduled", "due" or "overdue"."""

    due_on: date
    state: str
    days_until_due: int


class PlanSummaryOut(Schema):
    id: uuid.UUID
    lineage_id: uuid.UUID
    version: int
    status: str
    episode: uuid.UUID
    review_days: int
    activated_on: date | None
    superseded_on: date | None
    next_review: ReviewDueOut | None


class InterventionOut(Schema):
    id: uuid.UUID
    lineage_id: uuid.UUID
    modality: str
    modality_label: str
    description: str
    frequency: str
    responsible_person: str


class ObjectiveOut(Schema):
    id: uuid.UUID
    lineage_id: uuid.UUID
    description: str
    metric_kind: str
    instrument_id: str
    baseline: Decimal | None
    target: Decimal | None
    direction: str
    target_date: date
    status: str


class GoalOut(Schema):
    id: uuid.UUID
    lineage_id: uuid.UUID
    client_words: str
    statement: str
    objectives: list[ObjectiveOut]
    interventions: list[InterventionOut]


class ProblemOut(Schema):
    id: uuid.UUID
    lineage_id: uuid.UUID
    statement: str
    diagnosis_code: str
    diagnosis_description: str
    goals: list[GoalOut]


class PlanOut(PlanSummaryOut):
    """One version of a plan with its whole tree, its signature and agreement, and where
    its reviews stand."""

    client: uuid.UUID
    previous_version: uuid.UUID | None
    signed_by: str | None
    signed_at: datetime | None
    agreement_kind: str
    agreed_on: date | None
    last_reviewed_on: date | None
    problems: list[ProblemOut]


class ChangesIn(Schema):
    against: uuid.UUID | None = None


class FieldChangeOut(Schema):
    field: str
    before: str
    after: str


class ItemChangeOut(Schema):
    level: str
    kind: str
    title: str
    fields: list[FieldChangeOut]


class PlanChangesOut(Schema):
    """What changed from the older version to the newer one, item by item."""

    from_plan: uuid.UUID | None
    from_version: int | None
    to_plan: uuid.UUID
    to_version: int
    changes: list[ItemChangeOut]


class ObjectiveReviewOut(Schema):
    objective: uuid.UUID
    objective_lineage_id: uuid.UUID
    source: str
    latest_value: Decimal | None
    latest_on: date | None
    change_from_baseline: Decimal | None
    target_met: bool | None
    suggested_status: str
    status: str
    override_reason: str


class PlanReviewOut(Schema):
    id: uuid.UUID
    plan: uuid.UUID
    plan_version: int
    reviewed_on: date
    signed_by: str
    signed_at: datetime
    summary: str
    objectives: list[ObjectiveReviewOut]


class PlanCreateIn(Schema):
    """A first draft plan for the client's open episode, empty or from a library template
    in use."""

    template: uuid.UUID | None = None


class ProgressIn(Schema):
    """A value of the objective's metric. `value` is required (the service says so in the
    error envelope); `recorded_on` defaults to today where the organization works."""

    value: Decimal | None = None
    recorded_on: date | None = None


class ProgressOut(Schema):
    id: uuid.UUID
    objective: uuid.UUID
    objective_lineage_id: uuid.UUID
    recorded_on: date
    value: Decimal
