"""Every change to treatment plans, their reviews, the template library and plan settings.

Plans are copy-on-write: a change aimed at an active plan is applied to its next version
(a draft made on demand, every item keeping its `lineage_id`), so the active plan that the
client agreed to stays exactly as signed until the new version is activated.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from tend.accounts.models import Organization, User
from tend.audit.services import audit_event_record
from tend.clients.models import Client
from tend.plans.models import (
    OBJECTIVE_FIELDS,
    Goal,
    Intervention,
    InterventionTemplate,
    Objective,
    ObjectiveProgressEntry,
    ObjectiveReview,
    ObjectiveTemplate,
    PlanReview,
    PlanSettings,
    PlanTemplate,
    Problem,
    TreatmentPlan,
)
from tend.plans.progress import ProgressPrefill

LIBRARY_PATH = Path(__file__).resolve().parents[2] / "data" / "plan_library.yaml"


def organization_today(organization: Organization) -> date:
    """Today's calendar date where the organization works (reviews fall due by this)."""
    return timezone.localdate(timezone=ZoneInfo(organization.timezone))


def _audit(
    action: str, *, actor: User, plan: TreatmentPlan, extra: dict[str, Any] | None = None
) -> None:
    audit_event_record(
        action=action,
        actor=actor,
        organization=plan.client.organization,
        subject=plan,
        client_id=plan.client.public_id,
        extra=extra,
    )


def _save(instance: models.Model, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()


# --------------------------------------------------------------------------- settings


@transaction.atomic
def plan_settings_update(
    *, organization: Organization, actor: User, default_review_days: int
) -> PlanSettings:
    settings, _ = PlanSettings.objects.get_or_create(organization=organization)
    previous = settings.default_review_days
    _save(settings, default_review_days=default_review_days)
    audit_event_record(
        action="plans.settings_updated",
        actor=actor,
        organization=organization,
        subject=settings,
        extra={"default_review_days": [previous, default_review_days]},
    )
    return settings


# --------------------------------------------------------------------------- library


def _starter_library() -> dict[str, Any]:
    with LIBRARY_PATH.open(encoding="utf-8") as handle:
        library: dict[str, Any] = yaml.safe_load(handle)
    return library


@transaction.atomic
def plan_library_seed(*, organization: Organization, actor: User | None) -> int:
    """Copy the starter templates of data/plan_library.yaml into the organization's library.

    Templates the organization already has (by key) are left as edited. Returns how many
    were added.
    """
    library = _starter_library()
    existing = set(
        PlanTemplate.objects.filter(organization=organization).values_list("key", flat=True)
    )
    added = 0
    for entry in library["templates"]:
        if entry["key"] in existing:
            continue
        template = PlanTemplate(
            organization=organization,
            key=entry["key"],
            title=entry["title"],
            problem_statement=entry["problem_statement"],
            goal_client_words=entry["goal_client_words"],
            goal_statement=entry["goal_statement"],
        )
        template.full_clean()
        template.save()
        for position, objective in enumerate(entry["objectives"], start=1):
            row = ObjectiveTemplate(
                template=template,
                position=position,
                description=objective["description"],
                metric_kind=objective["metric_kind"],
                instrument_id=objective.get("instrument_id", ""),
                target=Decimal(str(objective["target"])),
                direction=objective["direction"],
                weeks_to_target=objective["weeks_to_target"],
            )
            row.full_clean()
            row.save()
        for position, intervention in enumerate(entry["interventions"], start=1):
            row_i = InterventionTemplate(template=template, position=position, **intervention)
            row_i.full_clean()
            row_i.save()
        added += 1
    if actor is not None:
        audit_event_record(
            action="plans.library_seeded",
            actor=actor,
            organization=organization,
            extra={"added": added},
        )
    return added


LibraryItem = PlanTemplate | ObjectiveTemplate | InterventionTemplate

TEMPLATE_FIELDS = ("title", "problem_statement", "goal_client_words", "goal_statement")
OBJECTIVE_TEMPLATE_FIELDS = (
    "description",
    "metric_kind",
    "instrument_id",
    "target",
    "direction",
    "weeks_to_target",
)
INTERVENTION_TEMPLATE_FIELDS = (
    "modality",
    "modality_other",
    "description",
    "frequency",
    "responsible_person",
)


def _library_audit(
    action: str, *, actor: User, item: LibraryItem, extra: dict[str, Any] | None = None
) -> None:
    template = item if isinstance(item, PlanTemplate) else item.template
    part = {PlanTemplate: "template", ObjectiveTemplate: "objective"}.get(
        type(item), "intervention"
    )
    audit_event_record(
        action=action,
        actor=actor,
        organization=template.organization,
        subject=item,
        extra={"part": part, **(extra or {})},
    )


def _template_key(organization: Organization, title: str) -> str:
    """A key for a new template, unique in the organization and never one of the starter
    library's keys (seeding skips keys already present, so a clash would hide a starter)."""
    base = slugify(title)[:50] or "template"
    taken = set(
        PlanTemplate.objects.filter(organization=organization, key__startswith=base).values_list(
            "key", flat=True
        )
    ) | {entry["key"] for entry in _starter_library()["templates"]}
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


@transaction.atomic
def plan_template_create(
    *,
    organization: Organization,
    actor: User,
    title: str,
    problem_statement: str,
    goal_client_words: str,
    goal_statement: str,
) -> PlanTemplate:
    """A new library template (a problem and its goal); objectives and interventions are
    added to it one by one."""
    template = PlanTemplate(organization=organization, key=_template_key(organization, title))
    _save(
        template,
        title=title,
        problem_statement=problem_statement,
        goal_client_words=goal_client_words,
        goal_statement=goal_statement,
    )
    _library_audit("plans.template_created", actor=actor, item=template)
    return template


def _library_item_update(item: LibraryItem, *, actor: User, values: dict[str, Any]) -> None:
    changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
    _save(item, **values)
    _library_audit("plans.template_updated", actor=actor, item=item, extra={"fields": changed})


@transaction.atomic
def plan_template_update(
    *,
    template: PlanTemplate,
    actor: User,
    title: str,
    problem_statement: str,
    goal_client_words: str,
    goal_statement: str,
) -> PlanTemplate:
    _library_item_update(
        template,
        actor=actor,
        values={
            "title": title,
            "problem_statement": problem_statement,
            "goal_client_words": goal_client_words,
            "goal_statement": goal_statement,
        },
    )
    return template


LibraryPart = ObjectiveTemplate | InterventionTemplate

LIBRARY_PART_FIELDS: dict[type[LibraryPart], tuple[str, ...]] = {
    ObjectiveTemplate: OBJECTIVE_TEMPLATE_FIELDS,
    InterventionTemplate: INTERVENTION_TEMPLATE_FIELDS,
}


def _part_values(model: type[LibraryPart], values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {name: values.get(name) for name in LIBRARY_PART_FIELDS[model]}
    if model is InterventionTemplate and cleaned["modality"] != "other":
        cleaned["modality_other"] = ""
    return cleaned


@transaction.atomic
def library_part_add(
    *, template: PlanTemplate, model: type[LibraryPart], actor: User, **values: Any
) -> LibraryPart:
    """Add a measurable objective or an intervention to a library template.

    ValidationError (by field) when it breaks the rules a plan's objectives and
    interventions obey: a measurable target; a modality from the controlled list.
    """
    part = model(template=template, position=model.objects.filter(template=template).count() + 1)
    _save(part, **_part_values(model, values))
    _library_audit("plans.template_updated", actor=actor, item=part, extra={"added": True})
    return part


@transaction.atomic
def library_part_update(*, part: LibraryPart, actor: User, **values: Any) -> LibraryPart:
    """Change a library objective or intervention (by the same rules as adding one)."""
    _library_item_update(part, actor=actor, values=_part_values(type(part), values))
    return part


def _library_item_retirement(item: LibraryItem, *, actor: User, retired: bool) -> None:
    if (item.retired_at is not None) == retired:
        return
    item.retired_at = timezone.now() if retired else None
    item.save(update_fields=["retired_at", "updated_at"])
    action = "plans.template_retired" if retired else "plans.template_restored"
    _library_audit(action, actor=actor, item=item)


@transaction.atomic
def library_item_retire(*, item: LibraryItem, actor: User) -> None:
    """Stop offering a template, or one of its objectives or interventions, when plans are
    written. Plans already written from it keep their own copies, unchanged."""
    _library_item_retirement(item, actor=actor, retired=True)


@transaction.atomic
def library_item_restore(*, item: LibraryItem, actor: User) -> None:
    """Offer a retired template, objective or intervention again."""
    _library_item_retirement(item, actor=actor, retired=False)


# --------------------------------------------------------------------------- versions


def _clone[Item: (Problem, Goal, Objective, Intervention)](
    instance: Item, **overrides: Any
) -> Item:
    instance.pk = None
    instance.id = None
    instance.public_id = uuid.uuid4()
    instance._state.adding = True
    for name, value in overrides.items():
        setattr(instance, name, value)
    instance.save()
    return instance


def _copy_plan(plan: TreatmentPlan, actor: User) -> TreatmentPlan:
    draft = TreatmentPlan.objects.create(
        client=plan.client,
        episode=plan.episode,
        lineage_id=plan.lineage_id,
        version=plan.version + 1,
        previous=plan,
        status=TreatmentPlan.Status.DRAFT,
        review_days=plan.review_days,
        created_by=actor,
    )
    for problem in plan.problems.prefetch_related("goals__objectives", "goals__interventions"):
        goals = list(problem.goals.all())
        new_problem = _clone(problem, plan=draft)
        for goal in goals:
            objectives, interventions = list(goal.objectives.all()), list(goal.interventions.all())
            new_goal = _clone(goal, problem=new_problem)
            for objective in objectives:
                _clone(objective, goal=new_goal)
            for intervention in interventions:
                _clone(intervention, goal=new_goal)
    return draft


@transaction.atomic
def plan_revise(*, plan: TreatmentPlan, actor: User) -> TreatmentPlan:
    """The next version of an active plan, as a draft; the existing draft if there is one.

    The active plan stays in force, unchanged, until the new version is activated.
    """
    if plan.status != TreatmentPlan.Status.ACTIVE:
        raise ValidationError("Only the active plan can be revised.")
    existing = TreatmentPlan.objects.filter(
        lineage_id=plan.lineage_id, status=TreatmentPlan.Status.DRAFT
    ).first()
    if existing is not None:
        return existing
    draft = _copy_plan(plan, actor)
    _audit("plans.revised", actor=actor, plan=draft, extra={"from_version": plan.version})
    return draft


def _editable_plan(plan: TreatmentPlan, actor: User) -> TreatmentPlan:
    if plan.status == TreatmentPlan.Status.DRAFT:
        return plan
    if plan.status == TreatmentPlan.Status.ACTIVE:
        return plan_revise(plan=plan, actor=actor)
    raise ValidationError("This version was superseded; change the current plan instead.")


def _in_editable_plan[Item: (Problem, Goal, Objective, Intervention)](
    item: Item, plan_of_item: TreatmentPlan, actor: User
) -> Item:
    """`item` itself in a draft, or its copy in the active plan's next version."""
    plan = _editable_plan(plan_of_item, actor)
    if plan.pk == plan_of_item.pk:
        return item
    model = type(item)
    path = {
        Problem: "plan",
        Goal: "problem__plan",
        Objective: "goal__problem__plan",
        Intervention: "goal__problem__plan",
    }[model]
    return model.objects.get(lineage_id=item.lineage_id, **{path: plan})


@transaction.atomic
def plan_create(
    *, client: Client, actor: User, template: PlanTemplate | None = None
) -> TreatmentPlan:
    """A first draft plan for the client's open episode of care, empty or built from a
    library template."""
    episode = client.episodes.filter(discharge_date__isnull=True).first()
    if episode is None:
        raise ValidationError("The client has no open episode of care; admit them first.")
    if TreatmentPlan.objects.filter(
        client=client,
        status__in=[TreatmentPlan.Status.DRAFT, TreatmentPlan.Status.ACTIVE],
    ).exists():
        raise ValidationError("This client already has a plan; revise it instead.")
    settings = PlanSettings.objects.filter(organization_id=client.organization_id).first()
    plan = TreatmentPlan(
        client=client,
        episode=episode,
        review_days=settings.default_review_days if settings else 90,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    _audit("plans.created", actor=actor, plan=plan, extra={"version": 1})
    if template is not None:
        plan_template_apply(plan=plan, template=template, actor=actor)
    return plan


@transaction.atomic
def plan_template_apply(
    *, plan: TreatmentPlan, template: PlanTemplate, actor: User
) -> TreatmentPlan:
    """Add the template's problem, goal, objectives and interventions to the plan.

    Target dates count from today in the organization's time zone; baselines are left for
    the clinician to record with the client (activation asks for them).
    """
    if template.organization_id != plan.client.organization_id:
        raise ValidationError("That template belongs to another organization.")
    if template.retired_at is not None:
        raise ValidationError("That template was retired from the library.")
    plan = _editable_plan(plan, actor)
    today = organization_today(plan.client.organization)
    position = plan.problems.count() + 1
    problem = Problem.objects.create(
        plan=plan, position=position, statement=template.problem_statement
    )
    goal = Goal.objects.create(
        problem=problem,
        position=1,
        client_words=template.goal_client_words,
        statement=template.goal_statement,
    )
    # Retired objectives and interventions stay in the library but are not copied.
    objectives = template.objectives.filter(retired_at__isnull=True)
    for position, row in enumerate(objectives, start=1):
        Objective.objects.create(
            goal=goal,
            position=position,
            description=row.description,
            metric_kind=row.metric_kind,
            instrument_id=row.instrument_id,
            target=row.target,
            direction=row.direction,
            target_date=today + timedelta(weeks=row.weeks_to_target),
        )
    interventions = template.interventions.filter(retired_at__isnull=True)
    for position, row_i in enumerate(interventions, start=1):
        Intervention.objects.create(
            goal=goal,
            position=position,
            modality=row_i.modality,
            modality_other=row_i.modality_other,
            description=row_i.description,
            frequency=row_i.frequency,
            responsible_person=row_i.responsible_person,
        )
    _audit("plans.updated", actor=actor, plan=plan, extra={"template": template.key})
    return plan


@transaction.atomic
def problem_add(
    *,
    plan: TreatmentPlan,
    actor: User,
    statement: str,
    diagnosis_id: str = "",
    diagnosis_code: str = "",
) -> Problem:
    """Add a problem, optionally tied to one of the client's active diagnoses (kept by its
    public id, with its code and description as they stood) or to an ICD-10-CM code."""
    from tend.assessments import icd10
    from tend.assessments.selectors import active_diagnoses

    plan = _editable_plan(plan, actor)
    description = ""
    diagnosis_public_id = None
    if diagnosis_id:
        diagnosis = next(
            (row for row in active_diagnoses(plan.client) if str(row.public_id) == diagnosis_id),
            None,
        )
        if diagnosis is None:
            raise ValidationError({"diagnosis_id": "Choose one of the client's diagnoses."})
        diagnosis_public_id = diagnosis.public_id
        diagnosis_code, description = diagnosis.code, diagnosis.description
    elif diagnosis_code:
        code = icd10.normalize_code(diagnosis_code)
        if not icd10.is_valid_code(code):
            raise ValidationError({"diagnosis_code": f"{diagnosis_code} is not an ICD-10-CM code."})
        diagnosis_code, description = code, icd10.describe(code)
    problem = Problem(
        plan=plan,
        position=plan.problems.count() + 1,
        statement=statement,
        diagnosis_code=diagnosis_code,
        diagnosis_description=description,
        diagnosis_public_id=diagnosis_public_id,
    )
    problem.full_clean()
    problem.save()
    _audit("plans.updated", actor=actor, plan=plan, extra={"added": "problem"})
    return problem


@transaction.atomic
def goal_add(*, problem: Problem, actor: User, client_words: str, statement: str) -> Goal:
    problem = _in_editable_plan(problem, problem.plan, actor)
    goal = Goal(
        problem=problem,
        position=problem.goals.count() + 1,
        client_words=client_words,
        statement=statement,
    )
    goal.full_clean()
    goal.save()
    _audit("plans.updated", actor=actor, plan=problem.plan, extra={"added": "goal"})
    return goal


@transaction.atomic
def objective_add(*, goal: Goal, actor: User, **values: Any) -> Objective:
    """Add a measurable objective; ValidationError (by field) if its target is not measurable."""
    goal = _in_editable_plan(goal, goal.problem.plan, actor)
    objective = Objective(goal=goal, position=goal.objectives.count() + 1)
    _save(objective, **{name: values.get(name) for name in OBJECTIVE_FIELDS})
    _audit("plans.updated", actor=actor, plan=goal.problem.plan, extra={"added": "objective"})
    return objective


@transaction.atomic
def objective_update(*, objective: Objective, actor: User, **values: Any) -> Objective:
    """Change an objective. On an active plan the change lands in its next version."""
    objective = _in_editable_plan(objective, objective.goal.problem.plan, actor)
    plan = TreatmentPlan.objects.get(problems__goals__objectives=objective)
    changed = sorted(
        name for name in OBJECTIVE_FIELDS if getattr(objective, name) != values.get(name)
    )
    _save(objective, **{name: values.get(name) for name in OBJECTIVE_FIELDS})
    _audit(
        "plans.updated",
        actor=actor,
        plan=plan,
        extra={"objective": str(objective.lineage_id), "fields": changed},
    )
    return objective


@transaction.atomic
def intervention_add(
    *,
    goal: Goal,
    actor: User,
    modality: str,
    modality_other: str,
    description: str,
    frequency: str,
    responsible_person: str,
) -> Intervention:
    goal = _in_editable_plan(goal, goal.problem.plan, actor)
    intervention = Intervention(goal=goal, position=goal.interventions.count() + 1)
    _save(
        intervention,
        modality=modality,
        modality_other=modality_other if modality == "other" else "",
        description=description,
        frequency=frequency,
        responsible_person=responsible_person,
    )
    _audit("plans.updated", actor=actor, plan=goal.problem.plan, extra={"added": "intervention"})
    return intervention


@transaction.atomic
def plan_activate(
    *,
    plan: TreatmentPlan,
    actor: User,
    signature: str,
    agreement_kind: str,
    agreed_by_name: str,
    agreed_on: date | None,
    review_days: int,
) -> TreatmentPlan:
    """Put a draft in force: signed by the clinician, agreed by the client, with a date.

    The clinician signs by typing their name as Tend knows it. The version it replaces is
    superseded the same day. The first review falls due `review_days` after today in the
    organization's time zone.
    """
    if plan.status != TreatmentPlan.Status.DRAFT:
        raise ValidationError("Only a draft plan can be activated.")
    today = organization_today(plan.client.organization)
    errors: dict[str, str] = {}
    if signature.strip().casefold() != actor.display_name.strip().casefold():
        errors["signature"] = f"Sign by typing your name exactly as “{actor.display_name}”."
    if agreement_kind not in TreatmentPlan.AgreementKind.values:
        errors["agreement_kind"] = "Record how the client agreed to the plan."
    if not agreed_by_name.strip():
        errors["agreed_by_name"] = "Record the name of the person who agreed."
    if agreed_on is None:
        errors["agreed_on"] = "Record the date the client agreed."
    elif agreed_on > today:
        errors["agreed_on"] = "The agreement date cannot be in the future."
    objectives = list(Objective.objects.filter(goal__problem__plan=plan))
    if not objectives:
        errors["__all__"] = "A plan needs at least one measurable objective before activation."
    elif missing := [objective for objective in objectives if objective.baseline is None]:
        errors["__all__"] = (
            f"Record a baseline for {len(missing)} objective(s) before activation: "
            + "; ".join(objective.description[:60] for objective in missing)
        )
    if errors:
        raise ValidationError(errors)
    previous = TreatmentPlan.objects.filter(
        client=plan.client, status=TreatmentPlan.Status.ACTIVE
    ).first()
    if previous is not None:
        previous.status = TreatmentPlan.Status.SUPERSEDED
        previous.superseded_on = today
        previous.next_review_on = None
        previous.save(update_fields=["status", "superseded_on", "next_review_on", "updated_at"])
        _audit("plans.superseded", actor=actor, plan=previous, extra={"by_version": plan.version})
    _save(
        plan,
        status=TreatmentPlan.Status.ACTIVE,
        signed_by=actor,
        signed_at=timezone.now(),
        agreement_kind=agreement_kind,
        agreed_by_name=agreed_by_name.strip(),
        agreed_on=agreed_on,
        review_days=review_days,
        activated_on=today,
        next_review_on=today + timedelta(days=review_days),
    )
    _audit(
        "plans.activated",
        actor=actor,
        plan=plan,
        extra={"version": plan.version, "agreement_kind": agreement_kind},
    )
    return plan


# --------------------------------------------------------------------------- reviews


@dataclass(frozen=True)
class ObjectiveDecision:
    objective: Objective
    status: str
    override_reason: str


@dataclass(frozen=True)
class ReviewOutcome:
    review: PlanReview
    next_version: TreatmentPlan | None


def objective_review_build(
    *,
    review: PlanReview,
    objective: Objective,
    suggestion: ProgressPrefill,
    status: str,
    override_reason: str = "",
) -> ObjectiveReview:
    """The (unsaved) record of one objective's review: the clinician's `status` next to
    the data's `suggestion` (from `tend.plans.progress.objective_prefill`)."""
    return ObjectiveReview(
        review=review,
        objective=objective,
        source=suggestion.source,
        latest_value=suggestion.latest_value,
        latest_on=suggestion.latest_on,
        change_from_baseline=suggestion.change_from_baseline,
        target_met=suggestion.target_met,
        suggested_status=suggestion.suggested_status,
        status=status,
        override_reason=override_reason.strip(),
    )


@transaction.atomic
def plan_review_record(
    *,
    plan: TreatmentPlan,
    actor: User,
    signature: str,
    summary: str,
    decisions: Sequence[ObjectiveDecision],
    revise: bool = False,
) -> ReviewOutcome:
    """Record and sign a review of the active plan.

    Each objective's progress is pre-filled from data here, not taken from the form: the
    clinician's decision is kept next to the suggestion, and a decision that differs from
    it needs a reason. The next review falls due `review_days` after today. With
    `revise=True` the review also opens the plan's next version.
    """
    from tend.plans.selectors import review_prefill

    if plan.status != TreatmentPlan.Status.ACTIVE:
        raise ValidationError("Only the active plan can be reviewed.")
    errors: dict[str, str] = {}
    if signature.strip().casefold() != actor.display_name.strip().casefold():
        errors["signature"] = f"Sign by typing your name exactly as “{actor.display_name}”."
    prefill = {row.objective.pk: row.prefill for row in review_prefill(plan)}
    by_objective = {decision.objective.pk: decision for decision in decisions}
    if set(by_objective) != set(prefill):
        errors["__all__"] = "Record progress for every objective of the plan."
    for objective_pk, decision in by_objective.items():
        suggestion = prefill.get(objective_pk)
        if suggestion is None:
            continue
        if decision.status != suggestion.suggested_status and not decision.override_reason.strip():
            errors[f"reason_{decision.objective.public_id}"] = (
                "Give a reason for a status that differs from the data's suggestion."
            )
    if errors:
        raise ValidationError(errors)
    today = organization_today(plan.client.organization)
    review = PlanReview(
        plan=plan, reviewed_on=today, summary=summary, signed_by=actor, signed_at=timezone.now()
    )
    review.full_clean()
    review.save()
    overrides = 0
    for objective_pk, decision in by_objective.items():
        row = objective_review_build(
            review=review,
            objective=decision.objective,
            suggestion=prefill[objective_pk],
            status=decision.status,
            override_reason=decision.override_reason,
        )
        row.full_clean(exclude=["review", "objective"])
        row.save()
        overrides += row.is_override
        # The objective's status is its progress, not the agreed content of the plan: the
        # review updates it in place rather than opening a new version.
        if decision.objective.status != decision.status:
            decision.objective.status = decision.status
            decision.objective.save(update_fields=["status", "updated_at"])
    plan.next_review_on = today + timedelta(days=plan.review_days)
    plan.save(update_fields=["next_review_on", "updated_at"])
    _audit(
        "plans.reviewed",
        actor=actor,
        plan=plan,
        extra={
            "review": str(review.public_id),
            "objectives": len(by_objective),
            "overrides": overrides,
        },
    )
    next_version = plan_revise(plan=plan, actor=actor) if revise else None
    return ReviewOutcome(review=review, next_version=next_version)


# --------------------------------------------------------------------------- golden thread


@transaction.atomic
def objective_progress_record(
    *,
    objective: Objective,
    actor: User,
    recorded_on: date,
    value: Decimal,
    note_public_id: uuid.UUID | None = None,
) -> ObjectiveProgressEntry:
    """Record a value of an objective's metric, typically from a signed progress note.

    The care app calls this for each objective a note addressed (objectives come from
    `tend.plans.selectors.objectives_active_on`). The next plan review pre-fills
    frequency, self-rating and milestone objectives from the latest such value.
    """
    plan = TreatmentPlan.objects.select_related("client__organization").get(
        problems__goals__objectives=objective
    )
    if plan.status == TreatmentPlan.Status.DRAFT:
        raise ValidationError("Progress is recorded against an active plan, not a draft.")
    if recorded_on > organization_today(plan.client.organization):
        raise ValidationError({"recorded_on": "Progress cannot be recorded for a future date."})
    entry = ObjectiveProgressEntry(
        objective=objective,
        recorded_on=recorded_on,
        value=value,
        note_public_id=note_public_id,
        recorded_by=actor,
    )
    entry.full_clean()
    if objective.metric_kind == "milestone" and value not in (0, 1):
        raise ValidationError({"value": "A milestone is recorded as 0 (not yet) or 1 (reached)."})
    entry.save()
    _audit(
        "plans.progress_recorded",
        actor=actor,
        plan=plan,
        extra={"objective": str(objective.lineage_id), "entry": str(entry.public_id)},
    )
    return entry
