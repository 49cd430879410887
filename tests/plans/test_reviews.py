"""Plan reviews: progress per objective pre-filled from scores and notes, signed."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tend.audit.models import AuditEvent
from tend.measures.services import response_record
from tend.plans import selectors, services
from tend.plans.models import ObjectiveReview, TreatmentPlan
from tend.plans.services import ObjectiveDecision
from tests.conftest import Cast, signed_in
from tests.plans.helpers import (
    activate,
    add_goal,
    add_intervention,
    add_phq9_objective,
    make_client,
)

CHICAGO = ZoneInfo("America/Chicago")


def _phq9(cast: Cast, client, when: datetime, total: int) -> None:  # type: ignore[no-untyped-def]
    response_record(
        client=client,
        instrument_id="phq9",
        mode="in_session",
        actor=cast.clinician,
        administered_at=when,
        total=total,
    )


def _plan_with_two_objectives(cast: Cast) -> TreatmentPlan:
    plan = services.plan_create(client=make_client(cast), actor=cast.clinician)
    goal = add_goal(plan, cast.clinician)
    add_phq9_objective(goal, cast.clinician, baseline="18", target="9")
    services.objective_add(
        goal=goal,
        actor=cast.clinician,
        description="Pleasant activities per week.",
        metric_kind="frequency_per_week",
        instrument_id="",
        baseline=Decimal(0),
        target=Decimal(3),
        direction="at_least",
        target_date=date(2026, 6, 30),
    )
    add_intervention(goal, cast.clinician)
    activate(plan, cast.clinician, agreed_on=date(2026, 1, 12))
    plan.refresh_from_db()
    return plan


@time_machine.travel(datetime(2026, 4, 13, 9, 0, tzinfo=CHICAGO), tick=False)
def test_the_review_is_prefilled_with_the_latest_phq9_against_the_baseline(cast: Cast) -> None:
    plan = _plan_with_two_objectives(cast)
    _phq9(cast, plan.client, datetime(2026, 1, 12, 10, tzinfo=CHICAGO), 18)
    _phq9(cast, plan.client, datetime(2026, 3, 30, 10, tzinfo=CHICAGO), 11)
    _phq9(cast, plan.client, datetime(2026, 2, 16, 10, tzinfo=CHICAGO), 14)
    rows = selectors.review_prefill(plan)
    phq9 = rows[0].prefill
    assert (phq9.source, phq9.latest_value, phq9.latest_on) == (
        "measure",
        Decimal("11.0"),
        date(2026, 3, 30),
    )
    assert (phq9.change_from_baseline, phq9.target_met) == (Decimal("-7.0"), False)
    # 7 points down is at least the data's reliable-change size for PHQ-9 (6).
    assert (phq9.change_label, phq9.suggested_status, phq9.band_label) == (
        "improved",
        "progressing",
        "Moderate",
    )
    frequency = rows[1].prefill
    assert (frequency.source, frequency.latest_value, frequency.suggested_status) == (
        "none",
        None,
        "not_started",
    )


@time_machine.travel(datetime(2026, 4, 13, 9, 0, tzinfo=CHICAGO), tick=False)
def test_a_latest_score_at_the_target_suggests_achieved(cast: Cast) -> None:
    plan = _plan_with_two_objectives(cast)
    _phq9(cast, plan.client, datetime(2026, 4, 6, 10, tzinfo=CHICAGO), 9)
    prefill = selectors.review_prefill(plan)[0].prefill
    assert (prefill.latest_value, prefill.change_from_baseline, prefill.target_met) == (
        Decimal("9.0"),
        Decimal("-9.0"),
        True,
    )
    assert prefill.suggested_status == "achieved"


@time_machine.travel(datetime(2026, 4, 13, 9, 0, tzinfo=CHICAGO), tick=False)
def test_progress_recorded_from_notes_prefills_the_other_metrics(cast: Cast) -> None:
    plan = _plan_with_two_objectives(cast)
    objectives = selectors.objectives_active_on(plan.client, date(2026, 4, 13))
    for day, value in ((date(2026, 3, 2), Decimal(1)), (date(2026, 3, 9), Decimal(2))):
        services.objective_progress_record(
            objective=objectives[1], actor=cast.clinician, recorded_on=day, value=value
        )
    prefill = selectors.review_prefill(plan)[1].prefill
    assert (prefill.source, prefill.latest_value, prefill.latest_on) == (
        "note",
        Decimal(2),
        date(2026, 3, 9),
    )
    assert (prefill.change_from_baseline, prefill.target_met, prefill.suggested_status) == (
        Decimal(2),
        False,
        "progressing",
    )


@time_machine.travel(datetime(2026, 4, 13, 9, 0, tzinfo=CHICAGO), tick=False)
def test_a_status_other_than_the_suggestion_needs_a_reason(cast: Cast) -> None:
    plan = _plan_with_two_objectives(cast)
    _phq9(cast, plan.client, datetime(2026, 4, 6, 10, tzinfo=CHICAGO), 11)
    first, second = (row.objective for row in selectors.review_prefill(plan))
    with pytest.raises(ValidationError) as refused:
        services.plan_review_record(
            plan=plan,
            actor=cast.clinician,
            signature="Cleo Clinician",
            summary="",
            decisions=[
                ObjectiveDecision(first, "achieved", ""),
                ObjectiveDecision(second, "not_started", ""),
            ],
        )
    assert refused.value.message_dict == {
        f"reason_{first.public_id}": [
            "Give a reason for a status that differs from the data's suggestion."
        ]
    }
    assert PlanReview_count(plan) == 0


def PlanReview_count(plan: TreatmentPlan) -> int:
    return plan.reviews.count()


@time_machine.travel(datetime(2026, 4, 13, 9, 0, tzinfo=CHICAGO), tick=False)
def test_a_signed_review_keeps_suggestion_and_decision_and_schedules_the_next(
    cast: Cast,
) -> None:
    plan = _plan_with_two_objectives(cast)
    _phq9(cast, plan.client, datetime(2026, 4, 6, 10, tzinfo=CHICAGO), 11)
    first, second = (row.objective for row in selectors.review_prefill(plan))
    outcome = services.plan_review_record(
        plan=plan,
        actor=cast.clinician,
        signature="cleo clinician",
        summary="Steady gains.",
        decisions=[
            ObjectiveDecision(first, "progressing", ""),
            ObjectiveDecision(second, "progressing", "Reports two walks a week in session."),
        ],
    )
    assert outcome.next_version is None
    review = outcome.review
    assert (review.reviewed_on, review.signed_by, review.summary) == (
        date(2026, 4, 13),
        cast.clinician,
        "Steady gains.",
    )
    rows = list(
        ObjectiveReview.objects.filter(review=review)
        .order_by("objective__position")
        .values_list("latest_value", "target_met", "suggested_status", "status", "override_reason")
    )
    assert rows == [
        (Decimal("11.0"), False, "progressing", "progressing", ""),
        (None, None, "not_started", "progressing", "Reports two walks a week in session."),
    ]
    plan.refresh_from_db()
    assert plan.next_review_on == date(2026, 7, 12)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("progressing", "progressing")
    event = AuditEvent.objects.filter(action="plans.reviewed").get()
    assert event.extra == {"review": str(review.public_id), "objectives": 2, "overrides": 1}


@time_machine.travel(datetime(2026, 4, 13, 9, 0, tzinfo=CHICAGO), tick=False)
def test_a_review_may_open_the_next_version(cast: Cast) -> None:
    plan = _plan_with_two_objectives(cast)
    first, second = (row.objective for row in selectors.review_prefill(plan))
    response = signed_in(cast.clinician).post(
        f"/plans/{plan.public_id}/review/",
        {
            f"status_{first.public_id}": "not_started",
            f"reason_{first.public_id}": "",
            f"status_{second.public_id}": "not_started",
            f"reason_{second.public_id}": "",
            "summary": "",
            "revise": "on",
            "signature": "Cleo Clinician",
        },
    )
    draft = TreatmentPlan.objects.get(status="draft")
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{draft.public_id}/"
    assert (draft.version, plan.reviews.count()) == (2, 1)


@time_machine.travel(datetime(2026, 4, 13, 9, 0, tzinfo=CHICAGO), tick=False)
def test_the_review_page_shows_the_prefilled_phq9_progress(cast: Cast) -> None:
    plan = _plan_with_two_objectives(cast)
    _phq9(cast, plan.client, datetime(2026, 3, 30, 10, tzinfo=CHICAGO), 11)
    response = signed_in(cast.associate).get(f"/plans/{plan.public_id}/review/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "11 on Mar 30, 2026" in text
    assert "(Moderate)" in text
    assert re.search(r"-7\s+\(improved\)", text)
    # An unsigned review page refuses a missing signature next to the field.
    first, second = (row.objective for row in selectors.review_prefill(plan))
    refused = signed_in(cast.associate).post(
        f"/plans/{plan.public_id}/review/",
        {
            f"status_{first.public_id}": "progressing",
            f"status_{second.public_id}": "not_started",
            "signature": "Someone Else",
        },
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors == {
        "signature": ["Sign by typing your name exactly as “Asa Associate”."]
    }
    assert plan.reviews.count() == 0
