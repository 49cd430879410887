"""The plans API: a client's plans, one version with its whole tree, the changes between
versions and the reviews; a draft plan and objective progress can be written.

Every handler goes through the same access functions as the pages (clinical access to the
client), so the two cannot disagree; reads are audited as `plans.viewed`.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Query, Router

from tend.audit.services import audit_read_record
from tend.clients.access import client_for_user
from tend.clients.models import Client
from tend.core.api import requires
from tend.core.permissions import Capability
from tend.core.typing import MemberRequest
from tend.plans import selectors, services
from tend.plans.access import objective_for_user, plan_for_user
from tend.plans.models import TreatmentPlan
from tend.plans.schemas import (
    ChangesIn,
    FieldChangeOut,
    GoalOut,
    InterventionOut,
    ItemChangeOut,
    ObjectiveOut,
    ObjectiveReviewOut,
    PlanChangesOut,
    PlanCreateIn,
    PlanOut,
    PlanReviewOut,
    PlanSummaryOut,
    ProblemOut,
    ProgressIn,
    ProgressOut,
    ReviewDueOut,
)

router = Router(tags=["plans"])


def _record_view(request: MemberRequest, subject: Client | TreatmentPlan, client: Client) -> None:
    audit_read_record(
        request,
        action="plans.viewed",
        subject=subject,
        organization=client.organization,
        client_id=client.public_id,
    )


def _summary(plan: TreatmentPlan, today: date) -> dict[str, Any]:
    due = (
        selectors.review_status(plan.next_review_on, today)
        if plan.status == TreatmentPlan.Status.ACTIVE
        else None
    )
    return {
        "id": plan.public_id,
        "lineage_id": plan.lineage_id,
        "version": plan.version,
        "status": plan.status,
        "episode": plan.episode.public_id,
        "review_days": plan.review_days,
        "activated_on": plan.activated_on,
        "superseded_on": plan.superseded_on,
        "next_review": ReviewDueOut(due_on=due.due_on, state=due.state, days_until_due=due.days)
        if due
        else None,
    }


def _plan_out(plan_pk: int) -> PlanOut:
    plan = selectors.plan_with_contents(plan_pk)
    reviews = list(plan.reviews.all())
    return PlanOut(
        **_summary(plan, services.organization_today(plan.client.organization)),
        client=plan.client.public_id,
        previous_version=plan.previous.public_id if plan.previous else None,
        signed_by=plan.signed_by.display_name if plan.signed_by else None,
        signed_at=plan.signed_at,
        agreement_kind=plan.agreement_kind,
        agreed_on=plan.agreed_on,
        last_reviewed_on=reviews[0].reviewed_on if reviews else None,
        problems=[
            ProblemOut(
                id=problem.public_id,
                lineage_id=problem.lineage_id,
                statement=problem.statement,
                diagnosis_code=problem.diagnosis_code,
                diagnosis_description=problem.diagnosis_description,
                goals=[
                    GoalOut(
                        id=goal.public_id,
                        lineage_id=goal.lineage_id,
                        client_words=goal.client_words,
                        statement=goal.statement,
                        objectives=[
                            ObjectiveOut(
                                id=objective.public_id,
                                lineage_id=objective.lineage_id,
                                description=objective.description,
                                metric_kind=objective.metric_kind,
                                instrument_id=objective.instrument_id,
                                baseline=objective.baseline,
                                target=objective.target,
                                direction=objective.direction,
                                target_date=objective.target_date,
                                status=objective.status,
                            )
                            for objective in goal.objectives.all()
                        ],
                        interventions=[
                            InterventionOut(
                                id=intervention.public_id,
                                lineage_id=intervention.lineage_id,
                                modality=intervention.modality,
                                modality_label=intervention.modality_label,
                                description=intervention.description,
                                frequency=intervention.frequency,
                                responsible_person=intervention.responsible_person,
                            )
                            for intervention in goal.interventions.all()
                        ],
                    )
                    for goal in problem.goals.all()
                ],
            )
            for problem in plan.problems.all()
        ],
    )


@router.get("/clients/{uuid:client_id}/plans", response=list[PlanSummaryOut])
@requires(Capability.VIEW_CLINICAL)
def client_plans(request: MemberRequest, client_id: uuid.UUID) -> list[PlanSummaryOut]:
    """Every version of every plan of the client, newest first."""
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True)
    today = services.organization_today(access.client.organization)
    versions = selectors.plan_versions(access.client)
    _record_view(request, access.client, access.client)
    return [PlanSummaryOut(**_summary(plan, today)) for plan in versions]


@router.post("/clients/{uuid:client_id}/plans", response={201: PlanOut})
@requires(Capability.WRITE_CLINICAL)
def plan_create(
    request: MemberRequest, client_id: uuid.UUID, payload: PlanCreateIn
) -> tuple[int, PlanOut]:
    """Start a draft plan for the client's open episode of care, empty or from a library
    template in use. 400 when the client has no open episode or already has a plan."""
    access = client_for_user(request.tenancy, request.user, client_id, clinical=True, write=True)
    template = None
    if payload.template is not None:
        template = (
            selectors.plan_templates_in_use(access.client.organization)
            .filter(public_id=payload.template)
            .first()
        )
        if template is None:
            raise ValidationError({"template": "Choose a template of the library that is in use."})
    plan = services.plan_create(client=access.client, actor=request.user, template=template)
    return 201, _plan_out(plan.pk)


@router.get("/{uuid:treatment_plan_id}", response=PlanOut)
@requires(Capability.VIEW_CLINICAL)
def plan_detail(request: MemberRequest, treatment_plan_id: uuid.UUID) -> PlanOut:
    """One version of a plan: problems, goals, objectives, interventions, signature,
    agreement and when its next review falls due."""
    plan = plan_for_user(request.tenancy, request.user, treatment_plan_id).plan
    _record_view(request, plan, plan.client)
    return _plan_out(plan.pk)


@router.get("/{uuid:treatment_plan_id}/changes", response=PlanChangesOut)
@requires(Capability.VIEW_CLINICAL)
def plan_changes(
    request: MemberRequest, treatment_plan_id: uuid.UUID, query: Query[ChangesIn]
) -> PlanChangesOut:
    """What changed between this version and `against` (another version of the same plan;
    by default the version before this one), from the older to the newer."""
    plan = plan_for_user(request.tenancy, request.user, treatment_plan_id).plan
    if query.against is None:
        other = plan.previous
    else:
        other = plan_for_user(request.tenancy, request.user, query.against).plan
        if other.lineage_id != plan.lineage_id:
            raise ValidationError({"against": "Compare two versions of the same plan."})
    _record_view(request, plan, plan.client)
    if other is None:
        return PlanChangesOut(
            from_plan=None,
            from_version=None,
            to_plan=plan.public_id,
            to_version=plan.version,
            changes=[],
        )
    older, newer = sorted(
        (selectors.plan_with_contents(other.pk), selectors.plan_with_contents(plan.pk)),
        key=lambda version: version.version,
    )
    return PlanChangesOut(
        from_plan=older.public_id,
        from_version=older.version,
        to_plan=newer.public_id,
        to_version=newer.version,
        changes=[
            ItemChangeOut(
                level=change.level,
                kind=change.kind,
                title=change.title,
                fields=[
                    FieldChangeOut(field=field.field, before=field.before, after=field.after)
                    for field in change.fields
                ],
            )
            for change in selectors.plan_diff(older, newer)
        ],
    )


@router.get("/{uuid:treatment_plan_id}/reviews", response=list[PlanReviewOut])
@requires(Capability.VIEW_CLINICAL)
def plan_reviews(request: MemberRequest, treatment_plan_id: uuid.UUID) -> list[PlanReviewOut]:
    """The signed reviews of every version of this plan, newest first, with each
    objective's progress as the data suggested it and as the clinician decided."""
    plan = plan_for_user(request.tenancy, request.user, treatment_plan_id).plan
    reviews = selectors.plan_reviews(plan)
    _record_view(request, plan, plan.client)
    return [
        PlanReviewOut(
            id=review.public_id,
            plan=review.plan.public_id,
            plan_version=review.plan.version,
            reviewed_on=review.reviewed_on,
            signed_by=review.signed_by.display_name,
            signed_at=review.signed_at,
            summary=review.summary,
            objectives=[
                ObjectiveReviewOut(
                    objective=row.objective.public_id,
                    objective_lineage_id=row.objective.lineage_id,
                    source=row.source,
                    latest_value=row.latest_value,
                    latest_on=row.latest_on,
                    change_from_baseline=row.change_from_baseline,
                    target_met=row.target_met,
                    suggested_status=row.suggested_status,
                    status=row.status,
                    override_reason=row.override_reason,
                )
                for row in review.objectives.all()
            ],
        )
        for review in reviews
    ]


@router.post("/objectives/{uuid:objective_id}/progress", response={201: ProgressOut})
@requires(Capability.WRITE_CLINICAL)
def objective_progress(
    request: MemberRequest, objective_id: uuid.UUID, payload: ProgressIn
) -> tuple[int, ProgressOut]:
    """Record a value of an objective's metric (of an active or earlier plan version); the
    next review pre-fills from the latest one."""
    objective = objective_for_user(request.tenancy, request.user, objective_id)
    if payload.value is None:
        raise ValidationError({"value": "Give the value of the objective's metric."})
    organization = objective.goal.problem.plan.client.organization
    entry = services.objective_progress_record(
        objective=objective,
        actor=request.user,
        recorded_on=payload.recorded_on or services.organization_today(organization),
        value=payload.value,
    )
    return 201, ProgressOut(
        id=entry.public_id,
        objective=objective.public_id,
        objective_lineage_id=objective.lineage_id,
        recorded_on=entry.recorded_on,
        value=entry.value,
    )
