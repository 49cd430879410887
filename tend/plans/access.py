"""The door to treatment plans: a plan is as visible as its client's clinical record.

Outside the user's organizations a plan does not exist (404); inside, the client's
clinical access decides (403 for front desk, billing, owners and admins off the case).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.http import Http404

from tend.accounts.models import User
from tend.clients.access import ClientAccess, client_for_user
from tend.core.tenancy import Tenancy
from tend.plans.models import Goal, Objective, PlanTemplate, Problem, TreatmentPlan


@dataclass(frozen=True)
class PlanAccess:
    plan: TreatmentPlan
    client_access: ClientAccess


def _fetch[Item: Model](
    queryset: QuerySet[Item], tenancy: Tenancy, path: str, public_id: uuid.UUID
) -> Item:
    item = (
        queryset.filter(public_id=public_id)
        .filter(**{f"{path}client__organization__in": tenancy.organizations})
        .first()
    )
    if item is None:
        raise Http404
    return item


def plan_for_user(
    tenancy: Tenancy, user: User, plan_id: uuid.UUID, *, write: bool = False
) -> PlanAccess:
    """A plan the user may read (or, with `write=True`, change); Http404 / PermissionDenied."""
    plan = _fetch(TreatmentPlan.objects.select_related("client"), tenancy, "", plan_id)
    access = client_for_user(tenancy, user, plan.client.public_id, clinical=True, write=write)
    return PlanAccess(plan=plan, client_access=access)


def problem_for_user(tenancy: Tenancy, user: User, problem_id: uuid.UUID) -> Problem:
    """A problem of a plan the user may change."""
    problem = _fetch(Problem.objects.select_related("plan__client"), tenancy, "plan__", problem_id)
    client_for_user(tenancy, user, problem.plan.client.public_id, clinical=True, write=True)
    return problem


def goal_for_user(tenancy: Tenancy, user: User, goal_id: uuid.UUID) -> Goal:
    """A goal of a plan the user may change."""
    goal = _fetch(
        Goal.objects.select_related("problem__plan__client"), tenancy, "problem__plan__", goal_id
    )
    client_for_user(tenancy, user, goal.problem.plan.client.public_id, clinical=True, write=True)
    return goal


def objective_for_user(tenancy: Tenancy, user: User, objective_id: uuid.UUID) -> Objective:
    """An objective of a plan the user may change."""
    objective = _fetch(
        Objective.objects.select_related("goal__problem__plan__client"),
        tenancy,
        "goal__problem__plan__",
        objective_id,
    )
    client_for_user(
        tenancy, user, objective.goal.problem.plan.client.public_id, clinical=True, write=True
    )
    return objective


def template_for_user(tenancy: Tenancy, template_id: uuid.UUID) -> PlanTemplate:
    """A library template of the current organization (the view checks the capability)."""
    template = PlanTemplate.objects.filter(
        public_id=template_id, organization=tenancy.current
    ).first()
    if template is None:
        raise Http404
    return template
