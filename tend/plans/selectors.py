"""Reads of treatment plans, always for an object the caller already fetched through access."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import F, Prefetch, Q, QuerySet

from tend.accounts.models import Organization, User
from tend.clients.access import visible_clients
from tend.clients.models import Client
from tend.core import vocabulary
from tend.core.tenancy import Tenancy
from tend.measures.selectors import scores_in_range
from tend.plans.models import (
    OBJECTIVE_FIELDS,
    Goal,
    MetricKind,
    Objective,
    ObjectiveProgressEntry,
    ObjectiveReview,
    PlanReview,
    PlanSettings,
    PlanTemplate,
    Problem,
    TreatmentPlan,
    measure_label,
)
from tend.plans.progress import ProgressPrefill, objective_prefill

# How long before its due date a review shows as due (a reminder window, not a clinical rule).
DUE_SOON_DAYS = 14


def default_review_days(organization: Organization) -> int:
    settings = PlanSettings.objects.filter(organization=organization).first()
    return settings.default_review_days if settings else 90


def plan_templates_in_use(organization: Organization) -> QuerySet[PlanTemplate]:
    """The templates offered when writing a plan: the library's, less the retired ones."""
    return PlanTemplate.objects.filter(organization=organization, retired_at__isnull=True)


def library_templates(organization: Organization) -> QuerySet[PlanTemplate]:
    """Every template of the library with its objectives and interventions, retired ones
    included (they can be restored), templates in use first."""
    return (
        PlanTemplate.objects.filter(organization=organization)
        .order_by(F("retired_at").asc(nulls_first=True), "title")
        .prefetch_related("objectives", "interventions")
    )


def library_template(template: PlanTemplate) -> PlanTemplate:
    """One template as the library page shows it (for its htmx fragment)."""
    return library_templates(template.organization).get(pk=template.pk)


def plan_versions(client: Client) -> list[TreatmentPlan]:
    """Every version of every plan of the client, newest first."""
    return list(
        TreatmentPlan.objects.filter(client=client)
        .select_related("signed_by", "episode")
        .order_by("-created_at", "-version")
    )


def plan_with_contents(plan_id: int) -> TreatmentPlan:
    """One plan with its whole tree and its reviews, in a fixed number of queries."""
    return (
        TreatmentPlan.objects.select_related(
            "client__organization", "episode", "signed_by", "created_by", "previous"
        )
        .prefetch_related(
            Prefetch(
                "problems",
                queryset=Problem.objects.prefetch_related(
                    Prefetch(
                        "goals",
                        queryset=Goal.objects.prefetch_related("objectives", "interventions"),
                    )
                ),
            ),
            Prefetch(
                "reviews",
                queryset=PlanReview.objects.select_related("signed_by").prefetch_related(
                    Prefetch(
                        "objectives",
                        queryset=ObjectiveReview.objects.select_related("objective"),
                    )
                ),
            ),
        )
        .get(pk=plan_id)
    )


def plan_reviews(plan: TreatmentPlan) -> list[PlanReview]:
    """The signed reviews of every version of the plan, newest first, each with its
    objectives' progress."""
    return list(
        PlanReview.objects.filter(plan__lineage_id=plan.lineage_id, plan__client_id=plan.client_id)
        .select_related("plan", "signed_by")
        .prefetch_related(
            Prefetch("objectives", queryset=ObjectiveReview.objects.select_related("objective"))
        )
    )


def plan_objectives(plan: TreatmentPlan) -> list[Objective]:
    """The plan's objectives in plan order, from an already prefetched plan."""
    return [
        objective
        for problem in plan.problems.all()
        for goal in problem.goals.all()
        for objective in goal.objectives.all()
    ]


# --------------------------------------------------------------------------- review due


@dataclass(frozen=True)
class ReviewStatus:
    due_on: date
    state: str  # "scheduled", "due", "overdue"
    days: int  # days until due (negative: days overdue)

    @property
    def label(self) -> str:
        if self.state == "overdue":
            return f"Review overdue by {-self.days} day{'s' if self.days != -1 else ''}"
        if self.days == 0:
            return "Review due today"
        return f"Review due in {self.days} day{'s' if self.days != 1 else ''}"


def review_status(due_on: date | None, today: date) -> ReviewStatus | None:
    """Whether a review is scheduled, due (within the reminder window) or overdue, by the
    calendar date in the organization's time zone."""
    if due_on is None:
        return None
    days = (due_on - today).days
    state = "overdue" if days < 0 else "due" if days <= DUE_SOON_DAYS else "scheduled"
    return ReviewStatus(due_on=due_on, state=state, days=days)


@dataclass(frozen=True)
class DueReview:
    plan: TreatmentPlan
    status: ReviewStatus


def plans_due_for_review(
    tenancy: Tenancy, user: User, today: date, *, limit: int = 10
) -> tuple[list[DueReview], int]:
    """Active plans of the user's clients whose review is due or overdue, most overdue
    first, with how many there are in all."""
    due = TreatmentPlan.objects.filter(
        status=TreatmentPlan.Status.ACTIVE,
        next_review_on__lte=today + timedelta(days=DUE_SOON_DAYS),
        client__in=visible_clients(tenancy, user),
    )
    shown = list(due.select_related("client").order_by("next_review_on", "id")[:limit])
    total = due.count() if len(shown) == limit else len(shown)
    rows = []
    for plan in shown:
        status = review_status(plan.next_review_on, today)
        if status is not None:  # always: the query filtered on next_review_on
            rows.append(DueReview(plan=plan, status=status))
    return rows, total


# --------------------------------------------------------------------------- golden thread


def plan_active_on(client: Client, on: date) -> TreatmentPlan | None:
    """The plan version in force on a calendar date (activated that day or before, not yet
    superseded)."""
    return (
        TreatmentPlan.objects.filter(client=client, activated_on__lte=on)
        .filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=on))
        .exclude(status=TreatmentPlan.Status.DRAFT)
        .order_by("-version")
        .first()
    )


def objectives_active_on(client: Client, on: date) -> list[Objective]:
    """The objectives of the plan version in force on `on`, for a progress note of that
    date to reference by `public_id` (this version's row) and `lineage_id` (the same
    objective across versions). Empty when no plan was in force."""
    return objectives_active_for([client], on)


def objectives_active_for(clients: Sequence[Client], on: date) -> list[Objective]:
    """`objectives_active_on` for several clients (a group or family session), client by
    client in the order given, in two queries whatever their number."""
    in_force: dict[int, TreatmentPlan] = {}
    for plan in (
        TreatmentPlan.objects.filter(client__in=clients, activated_on__lte=on)
        .filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=on))
        .exclude(status=TreatmentPlan.Status.DRAFT)
        .order_by("client_id", "-version")
    ):
        in_force.setdefault(plan.client_id, plan)
    if not in_force:
        return []
    rows = (
        Objective.objects.filter(goal__problem__plan__in=list(in_force.values()))
        .select_related("goal__problem__plan")
        .order_by("goal__problem__position", "goal__position", "position", "id")
    )
    by_client: dict[int, list[Objective]] = defaultdict(list)
    for objective in rows:
        by_client[objective.goal.problem.plan.client_id].append(objective)
    return [objective for client in clients for objective in by_client[client.pk]]


# --------------------------------------------------------------------------- review pre-fill


def score_histories(
    client: Client, instrument_ids: Iterable[str]
) -> Mapping[str, Sequence[tuple[datetime, float]]]:
    """The client's recorded totals per instrument (voided responses left out), oldest
    first, in one query."""
    wanted = set(instrument_ids)
    histories: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    for response in scores_in_range(client, administered_from=None, administered_to=None):
        if response.instrument_id in wanted and response.total is not None:
            histories[response.instrument_id].append(
                (response.administered_at, float(response.total))
            )
    return histories


@dataclass(frozen=True)
class ObjectiveProgressRow:
    objective: Objective
    prefill: ProgressPrefill

    @property
    def measure_label(self) -> str:
        return objective_measure_label(self.objective)


def objective_measure_label(objective: Objective) -> str:
    return measure_label(objective.metric_kind, objective.instrument_id)


def review_prefill(plan: TreatmentPlan) -> list[ObjectiveProgressRow]:
    """Each objective of the plan with its progress pre-filled from data: the latest
    instrument total for instrument objectives, the latest value recorded from progress
    notes (on this or an earlier version of the objective) for the others."""
    objectives = list(
        Objective.objects.filter(goal__problem__plan=plan).order_by(
            "goal__problem__position", "goal__position", "position", "id"
        )
    )
    instrument_ids = {
        objective.instrument_id
        for objective in objectives
        if objective.metric_kind == MetricKind.INSTRUMENT_SCORE
    }
    scores = score_histories(plan.client, sorted(instrument_ids)) if instrument_ids else {}
    values: dict[uuid.UUID, list[tuple[date, Decimal]]] = defaultdict(list)
    others = [o.lineage_id for o in objectives if o.metric_kind != MetricKind.INSTRUMENT_SCORE]
    if others:
        for lineage_id, recorded_on, value in ObjectiveProgressEntry.objects.filter(
            objective__lineage_id__in=others, objective__goal__problem__plan__client=plan.client
        ).values_list("objective__lineage_id", "recorded_on", "value"):
            values[lineage_id].append((recorded_on, value))
    zone = ZoneInfo(plan.client.organization.timezone)
    return [
        ObjectiveProgressRow(
            objective=objective,
            prefill=objective_prefill(objective, scores=scores, values=values, timezone=zone),
        )
        for objective in objectives
    ]


# --------------------------------------------------------------------------- diff


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ItemChange:
    level: str  # "problem", "goal", "objective", "intervention"
    kind: str  # "added", "removed", "changed"
    title: str
    fields: tuple[FieldChange, ...]


_DIFF_FIELDS: dict[str, tuple[str, ...]] = {
    "problem": ("statement", "diagnosis_code"),
    "goal": ("client_words", "statement"),
    "objective": (*OBJECTIVE_FIELDS, "status"),
    "intervention": (
        "modality",
        "modality_other",
        "description",
        "frequency",
        "responsible_person",
    ),
}
_PLAN_FIELDS = ("review_days",)


def _shown(item: Any, field: str) -> str:
    value = getattr(item, field)
    if value is None:
        return ""
    display = getattr(item, f"get_{field}_display", None)
    if display is not None:
        return str(display())
    if field == "modality":
        return vocabulary.label("modalities", value)
    return str(value)


def _label(item: Any) -> str:
    text = getattr(item, "description", None) or getattr(item, "statement", "")
    return str(text)[:80]


def _items(plan: TreatmentPlan) -> dict[str, dict[uuid.UUID, Any]]:
    found: dict[str, dict[uuid.UUID, Any]] = {level: {} for level in _DIFF_FIELDS}
    for problem in plan.problems.all():
        found["problem"][problem.lineage_id] = problem
        for goal in problem.goals.all():
            found["goal"][goal.lineage_id] = goal
            for objective in goal.objectives.all():
                found["objective"][objective.lineage_id] = objective
            for intervention in goal.interventions.all():
                found["intervention"][intervention.lineage_id] = intervention
    return found


def plan_diff(before: TreatmentPlan, after: TreatmentPlan) -> list[ItemChange]:
    """What changed from one version to another, item by item (matched by lineage), with
    exactly the fields whose values differ. Both plans come from `plan_with_contents`."""
    changes: list[ItemChange] = []
    plan_fields = tuple(
        FieldChange(field, _shown(before, field), _shown(after, field))
        for field in _PLAN_FIELDS
        if getattr(before, field) != getattr(after, field)
    )
    if plan_fields:
        changes.append(ItemChange("plan", "changed", "Plan", plan_fields))
    old, new = _items(before), _items(after)
    for level, fields in _DIFF_FIELDS.items():
        for lineage_id, item in new[level].items():
            previous = old[level].get(lineage_id)
            if previous is None:
                changes.append(ItemChange(level, "added", _label(item), ()))
                continue
            differing = tuple(
                FieldChange(field, _shown(previous, field), _shown(item, field))
                for field in fields
                if getattr(previous, field) != getattr(item, field)
            )
            if differing:
                changes.append(ItemChange(level, "changed", _label(item), differing))
        for lineage_id, item in old[level].items():
            if lineage_id not in new[level]:
                changes.append(ItemChange(level, "removed", _label(item), ()))
    return changes
