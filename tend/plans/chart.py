"""What plans contribute to the client chart and the dashboard (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from tend.clients.access import ClientAccess
from tend.core.typing import MemberRequest
from tend.plans import selectors
from tend.plans.models import Objective, TreatmentPlan
from tend.plans.services import organization_today


def _current_plans(access: ClientAccess) -> dict[str, TreatmentPlan]:
    plans = TreatmentPlan.objects.filter(
        client=access.client,
        status__in=[TreatmentPlan.Status.ACTIVE, TreatmentPlan.Status.DRAFT],
    )
    return {plan.status: plan for plan in plans}


def chart_section(access: ClientAccess, request: Any) -> dict[str, Any]:
    """The active plan's objectives, whether a draft is open and when the review falls due
    (the section and the header's "Plan review"), in two queries."""
    current = _current_plans(access)
    active = current.get(TreatmentPlan.Status.ACTIVE)
    objectives = (
        list(
            Objective.objects.filter(goal__problem__plan=active).order_by(
                "goal__problem__position", "goal__position", "position", "id"
            )
        )
        if active
        else []
    )
    today = organization_today(access.client.organization)
    return {
        "client": access.client,
        "active_plan": active,
        "draft_plan": current.get(TreatmentPlan.Status.DRAFT),
        "objectives": objectives,
        "review": selectors.review_status(active.next_review_on, today) if active else None,
    }


def dashboard_panel(request: MemberRequest) -> dict[str, Any] | None:
    """Plan reviews due or overdue on the signed-in clinician's caseload."""
    today = organization_today(request.organization)
    rows, total = selectors.plans_due_for_review(request.tenancy, request.user, today)
    return {"rows": rows, "total": total}
