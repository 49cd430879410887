"""An objective must be measurable: a target, a direction and, for scores, an instrument."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tend.audit.models import AuditEvent
from tend.plans import services
from tend.plans.models import Objective
from tests.conftest import Cast, signed_in
from tests.plans.helpers import add_goal, make_client


@pytest.fixture
def goal(cast: Cast):  # type: ignore[no-untyped-def]
    plan = services.plan_create(client=make_client(cast), actor=cast.clinician)
    return add_goal(plan, cast.clinician)


def _objective(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "description": "Fewer panic attacks.",
        "metric_kind": "frequency_per_week",
        "instrument_id": "",
        "baseline": Decimal(4),
        "target": Decimal(1),
        "direction": "at_most",
        "target_date": date(2026, 6, 30),
    }
    return {**values, **overrides}


def test_it_refuses_an_objective_without_a_target(cast: Cast, goal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        services.objective_add(goal=goal, actor=cast.clinician, **_objective(target=None))
    assert refused.value.message_dict == {
        "target": [
            "An objective needs a measurable target (a number to reach), otherwise progress "
            "cannot be judged."
        ]
    }
    assert Objective.objects.count() == 0


def test_the_form_says_why_an_objective_without_a_target_is_refused(cast: Cast, goal) -> None:  # type: ignore[no-untyped-def]
    events_before = AuditEvent.objects.filter(action__startswith="plans.").count()
    response = signed_in(cast.clinician).post(
        f"/plans/goals/{goal.public_id}/objectives/add/",
        {
            "description": "Feel better.",
            "metric_kind": "self_rating",
            "instrument_id": "",
            "baseline": "3",
            "target": "",
            "direction": "at_least",
            "target_date": "2026-06-30",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "target": [
            "An objective needs a measurable target (a number to reach), otherwise progress "
            "cannot be judged."
        ]
    }
    # The rest of what was typed is kept.
    assert response.context["form"]["description"].value() == "Feel better."
    assert Objective.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="plans.").count() == events_before


def test_it_refuses_an_instrument_score_outside_the_instruments_range(cast: Cast, goal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        services.objective_add(
            goal=goal,
            actor=cast.clinician,
            **_objective(metric_kind="instrument_score", instrument_id="phq9", target=Decimal(30)),
        )
    assert refused.value.message_dict == {"target": ["PHQ-9: total 30.0 is outside 0-27"]}


def test_it_requires_the_instrument_of_an_instrument_score(cast: Cast, goal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        services.objective_add(
            goal=goal, actor=cast.clinician, **_objective(metric_kind="instrument_score")
        )
    assert refused.value.message_dict == {
        "instrument_id": ["Choose the instrument whose total score is the measure."]
    }


def test_a_self_rating_is_between_0_and_10(cast: Cast, goal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        services.objective_add(
            goal=goal,
            actor=cast.clinician,
            **_objective(metric_kind="self_rating", target=Decimal(12), direction="at_least"),
        )
    assert refused.value.message_dict == {"target": ["A self-rating is between 0 and 10."]}


def test_a_milestone_is_reached_or_not(cast: Cast, goal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        services.objective_add(
            goal=goal,
            actor=cast.clinician,
            **_objective(metric_kind="milestone", baseline=Decimal(2), target=Decimal(3)),
        )
    assert refused.value.message_dict == {
        "target": ["A milestone's target is reached (1)."],
        "baseline": ["A milestone's baseline is 0 (not yet) or 1 (reached)."],
        "direction": ["A milestone is met when it is reached (at or above 1)."],
    }


def test_a_measurable_objective_is_saved_and_audited(cast: Cast, goal) -> None:  # type: ignore[no-untyped-def]
    objective = services.objective_add(goal=goal, actor=cast.clinician, **_objective())
    assert (objective.position, objective.target, objective.status) == (
        1,
        Decimal(1),
        "not_started",
    )
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert (event.action, event.extra) == ("plans.updated", {"added": "objective"})
    assert event.client_id == goal.problem.plan.client.public_id
