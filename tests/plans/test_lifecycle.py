"""Draft → active (signed, agreed, dated) → superseded; edits to an active plan are versions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tend.audit.models import AuditEvent
from tend.plans import services
from tend.plans.models import Objective, TreatmentPlan
from tests.conftest import Cast, signed_in
from tests.plans.helpers import (
    activate,
    add_goal,
    add_intervention,
    add_phq9_objective,
    make_active_plan,
    make_client,
)

CHICAGO = ZoneInfo("America/Chicago")


def _draft(cast: Cast) -> TreatmentPlan:
    plan = services.plan_create(client=make_client(cast), actor=cast.clinician)
    goal = add_goal(plan, cast.clinician)
    add_phq9_objective(goal, cast.clinician)
    add_intervention(goal, cast.clinician)
    return plan


@time_machine.travel(datetime(2026, 3, 2, 15, 0, tzinfo=CHICAGO), tick=False)
def test_activation_requires_the_clinicians_signature_and_the_clients_agreement(
    cast: Cast,
) -> None:
    plan = _draft(cast)
    with pytest.raises(ValidationError) as refused:
        services.plan_activate(
            plan=plan,
            actor=cast.clinician,
            signature="",
            agreement_kind="",
            agreed_by_name=" ",
            agreed_on=None,
            review_days=90,
        )
    assert refused.value.message_dict == {
        "signature": ["Sign by typing your name exactly as “Cleo Clinician”."],
        "agreement_kind": ["Record how the client agreed to the plan."],
        "agreed_by_name": ["Record the name of the person who agreed."],
        "agreed_on": ["Record the date the client agreed."],
    }
    plan.refresh_from_db()
    assert (plan.status, plan.signed_at, plan.activated_on) == ("draft", None, None)


@time_machine.travel(datetime(2026, 3, 2, 15, 0, tzinfo=CHICAGO), tick=False)
def test_activation_refuses_a_future_agreement_date_and_another_persons_signature(
    cast: Cast,
) -> None:
    plan = _draft(cast)
    with pytest.raises(ValidationError) as refused:
        services.plan_activate(
            plan=plan,
            actor=cast.clinician,
            signature="Sage Supervisor",
            agreement_kind="verbal_telehealth",
            agreed_by_name="Rowan Quill",
            agreed_on=date(2026, 3, 3),
            review_days=90,
        )
    assert refused.value.message_dict == {
        "signature": ["Sign by typing your name exactly as “Cleo Clinician”."],
        "agreed_on": ["The agreement date cannot be in the future."],
    }


@time_machine.travel(datetime(2026, 3, 2, 15, 0, tzinfo=CHICAGO), tick=False)
def test_activation_requires_a_baseline_for_every_objective(cast: Cast) -> None:
    plan = services.plan_create(client=make_client(cast), actor=cast.clinician)
    add_phq9_objective(add_goal(plan, cast.clinician), cast.clinician, baseline=None)
    with pytest.raises(ValidationError) as refused:
        activate(plan, cast.clinician, agreed_on=date(2026, 3, 2))
    assert refused.value.message_dict == {
        "__all__": ["Record a baseline for 1 objective(s) before activation: PHQ-9 total below 10."]
    }


@time_machine.travel(datetime(2026, 3, 2, 15, 0, tzinfo=CHICAGO), tick=False)
def test_a_signed_and_agreed_plan_becomes_active_with_its_first_review_scheduled(
    cast: Cast,
) -> None:
    plan = _draft(cast)
    activate(plan, cast.clinician, agreed_on=date(2026, 3, 1), review_days=60)
    plan.refresh_from_db()
    assert plan.status == "active"
    assert plan.signed_by == cast.clinician
    assert plan.signed_at == datetime(2026, 3, 2, 15, 0, tzinfo=CHICAGO)
    assert (plan.agreement_kind, plan.agreed_by_name, plan.agreed_on) == (
        "typed_signature",
        "Rowan Quill",
        date(2026, 3, 1),
    )
    assert (plan.activated_on, plan.next_review_on, plan.review_days) == (
        date(2026, 3, 2),
        date(2026, 5, 1),
        60,
    )
    event = AuditEvent.objects.filter(action="plans.activated").get()
    assert event.extra == {"version": 1, "agreement_kind": "typed_signature"}
    assert event.subject_id == str(plan.public_id)


def test_activating_through_the_page_shows_what_is_missing_next_to_each_field(
    cast: Cast,
) -> None:
    plan = _draft(cast)
    response = signed_in(cast.clinician).post(
        f"/plans/{plan.public_id}/activate/",
        {"review_days": "90", "agreed_by_name": "Rowan Quill", "signature": "Cleo Clinician"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "agreement_kind": ["This field is required."],
        "agreed_on": ["This field is required."],
    }
    assert response.context["form"]["agreed_by_name"].value() == "Rowan Quill"
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_editing_an_active_plan_creates_a_new_version_and_leaves_the_old_one_intact(
    cast: Cast,
) -> None:
    plan = make_active_plan(cast)
    objective = Objective.objects.get(goal__problem__plan=plan)
    response = signed_in(cast.clinician).post(
        f"/plans/objectives/{objective.public_id}/edit/",
        {
            "description": "PHQ-9 total below 5 (remission).",
            "metric_kind": "instrument_score",
            "instrument_id": "phq9",
            "baseline": "18",
            "target": "4",
            "direction": "at_most",
            "target_date": "2026-12-31",
        },
    )
    draft = TreatmentPlan.objects.get(status="draft")
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{draft.public_id}/"
    assert (draft.version, draft.previous_id, draft.lineage_id) == (2, plan.pk, plan.lineage_id)
    old = Objective.objects.get(pk=objective.pk)
    assert (old.description, old.target) == ("PHQ-9 total below 10.", Decimal(9))
    plan.refresh_from_db()
    assert plan.status == "active"
    new = Objective.objects.get(goal__problem__plan=draft)
    assert (new.description, new.target, new.lineage_id) == (
        "PHQ-9 total below 5 (remission).",
        Decimal(4),
        objective.lineage_id,
    )
    assert new.public_id != objective.public_id
    # The whole tree was copied, not only the edited objective.
    assert draft.problems.get().goals.get().interventions.count() == 1
    actions = list(
        AuditEvent.objects.filter(action__in=["plans.revised", "plans.updated"])
        .order_by("-id")
        .values_list("action", "extra")[:2]
    )
    assert actions == [
        (
            "plans.updated",
            {"objective": str(objective.lineage_id), "fields": ["description", "target"]},
        ),
        ("plans.revised", {"from_version": 1}),
    ]


def test_a_second_edit_lands_in_the_same_draft_version(cast: Cast) -> None:
    plan = make_active_plan(cast)
    goal = plan.problems.get().goals.get()
    services.intervention_add(
        goal=goal,
        actor=cast.clinician,
        modality="other",
        modality_other="Sleep hygiene coaching",
        description="Regular wake time.",
        frequency="Daily",
        responsible_person="Client",
    )
    services.goal_add(
        problem=plan.problems.get(), actor=cast.clinician, client_words="Sleep", statement="Sleep"
    )
    assert list(
        TreatmentPlan.objects.filter(client=plan.client).values_list("version", "status")
    ) == [(2, "draft"), (1, "active")]


@time_machine.travel(datetime(2026, 4, 6, 10, 0, tzinfo=CHICAGO), tick=False)
def test_activating_the_new_version_supersedes_the_old_one(cast: Cast) -> None:
    plan = make_active_plan(cast)
    draft = services.plan_revise(plan=plan, actor=cast.clinician)
    activate(draft, cast.clinician, agreed_on=date(2026, 4, 6))
    plan.refresh_from_db()
    draft.refresh_from_db()
    assert (plan.status, plan.superseded_on, plan.next_review_on) == (
        "superseded",
        date(2026, 4, 6),
        None,
    )
    assert (draft.status, draft.activated_on) == ("active", date(2026, 4, 6))
    with pytest.raises(ValidationError) as refused:
        services.problem_add(plan=plan, actor=cast.clinician, statement="Too late.")
    assert refused.value.messages == [
        "This version was superseded; change the current plan instead."
    ]
