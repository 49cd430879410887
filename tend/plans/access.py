"""The door to treatment plans: a plan is as visible as its client's clinical record.

Outside the user's organizations a plan does not exist (404); inside, the client's
clinical access decides (403 for front desk, billing, owners and admins off the case).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404

from tend.accounts.models import User
from tend.clients.access import ClientAccess, client_for_user
from tend.core.tenancy import Tenancy
from tend.plans.models import (
    Goal,
    InterventionTemplate,
    Objective,
    ObjectiveTemplate,
    PlanTemplate,
    Problem,
    TreatmentPlan,
)


@dataclass(frozen=True)
class PlanAccess:
    plan: TreatmentPlan
    client_access: ClientAccess


def _fetch[Item: Model](queryset: QuerySet[Item], public_id: uuid.UUID, **scope: Any) -> Item:
    item = queryset.filter(public_id=public_id, **scope).first()
    if item is None:
        raise Http404
    return item


def plan_for_user(
    tenancy: Tenancy, user: User, plan_id: uuid.UUID, *, write: bool = False
) -> PlanAccess:
    """A plan the user may read (or, with `write=True`, change); Http404 / PermissionDenied."""
    plan = _fetch(
        TreatmentPlan.objects.select_related("client"),
        plan_id,
        client__organization__in=tenancy.organizations,
    )
    access = client_for_user(tenancy, user, plan.client.public_id, clinical=True, write=write)
    return PlanAccess(plan=plan, client_access=access)


def problem_for_user(tenancy: Tenancy, user: User, problem_id: uuid.UUID) -> Problem:
    """A problem of a plan the user may change."""
    problem = _fetch(
        Problem.objects.select_related("plan__client"),
        problem_id,
        plan__client__organization__in=tenancy.organizations,
    )
    client_for_user(tenancy, user, problem.plan.client.public_id, clinical=True, write=True)
    return problem


def goal_for_user(tenancy: Tenancy, user: User, goal_id: uuid.UUID) -> Goal:
    """A goal of a plan the user may change."""
    goal = _fetch(
        Goal.objects.select_related("problem__plan__client"),
        goal_id,
        problem__plan__client__organization__in=tenancy.organizations,
    )
    client_for_user(tenancy, user, goal.problem.plan.client.public_id, clinical=True, write=True)
    return goal


def objective_for_user(tenancy: Tenancy, user: User, objective_id: uuid.UUID) -> Objective:
    """An objective of a plan the user may change."""
    objective = _fetch(
        Objective.objects.select_related("goal__problem__plan__client"),
        objective_id,
        goal__problem__plan__client__organization__in=tenancy.organizations,
    )
    client_for_user(
        tenancy, user, objective.goal.problem.plan.client.public_id, clinical=True, write=True
    )
    return objective


def template_for_user(tenancy: Tenancy, template_id: uuid.UUID) -> PlanTemplate:
    """A library template of the current organization (the view checks the capability)."""
    return _fetch(
        PlanTemplate.objects.select_related("organization"),
        template_id,
        organization=tenancy.current,
    )


def objective_template_for_user(tenancy: Tenancy, objective_id: uuid.UUID) -> ObjectiveTemplate:
    """An objective of a library template of the current organization."""
    return _fetch(
        ObjectiveTemplate.objects.select_related("template__organization"),
        objective_id,
        template__organization=tenancy.current,
    )


def intervention_template_for_user(
    tenancy: Tenancy, intervention_id: uuid.UUID
) -> InterventionTemplate:
    """An intervention of a library template of the current organization."""
    return _fetch(
        InterventionTemplate.objects.select_related("template__organization"),
        intervention_id,
        template__organization=tenancy.current,
    )
