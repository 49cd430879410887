"""The demo plans: every active client has one, measured on PHQ-9 or GAD-7, in every
review state."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

from tend.clients import demo as clients_demo
from tend.clients.models import Client
from tend.demo.people import create_demo_people
from tend.measures import demo as measures_demo
from tend.plans import demo as plans_demo
from tend.plans.models import TreatmentPlan
from tend.plans.selectors import review_status
from tend.plans.services import organization_today


@pytest.mark.django_db
def test_every_active_demo_client_has_an_active_plan_in_one_of_every_review_state() -> None:
    organizations = create_demo_people()
    clients_demo.load(organizations)
    measures_demo.load(organizations)
    plans_demo.load(organizations)
    active_clients = Client.objects.filter(status="active", primary_clinician__isnull=False)
    plans = TreatmentPlan.objects.filter(status="active").annotate(
        objectives=Count("problems__goals__objectives"),
        measured=Count(
            "problems__goals__objectives",
            filter=Q(problems__goals__objectives__instrument_id__in=["phq9", "gad7"]),
        ),
    )
    assert sorted(plans.values_list("client_id", flat=True)) == sorted(
        active_clients.values_list("id", flat=True)
    )
    assert {plan.objectives for plan in plans} <= {2, 3, 4}
    assert all(plan.measured >= 1 for plan in plans)
    states = {
        review_status(plan.next_review_on, organization_today(plan.client.organization)).state  # type: ignore[union-attr]
        for plan in plans.select_related("client__organization")
    }
    assert states == {"overdue", "due", "scheduled"}
    assert TreatmentPlan.objects.filter(reviews__isnull=False).distinct().count() >= 2
    # Each library holds an own template beside the starters, and a retired one.
    libraries = [org for org in organizations.values() if org.plan_templates.exists()]
    assert len(libraries) == TreatmentPlan.objects.values("client__organization").distinct().count()
    for organization in libraries:
        in_use = organization.plan_templates.filter(retired_at__isnull=True)
        assert sorted(in_use.values_list("key", flat=True)) == [
            "anxiety",
            "depression",
            "grief-and-loss",
            "substance_use",
            "trauma",
        ]
        assert list(
            organization.plan_templates.filter(retired_at__isnull=False).values_list(
                "title", flat=True
            )
        ) == ["Adjustment after a move (old wording)"]
