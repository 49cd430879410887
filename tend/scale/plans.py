"""Step 6: an active, signed treatment plan for every active client past their first two
weeks — one problem, one goal in the client's words, a PHQ-9 objective and a self-rating
objective, one intervention — reviewed every 90 days since activation, each review
suggesting each objective's progress from the client's PHQ-9 totals (step 5) as the
review form does."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from tend.plans.models import (
    Direction,
    Goal,
    Intervention,
    MetricKind,
    Objective,
    ObjectiveReview,
    ObjectiveStatus,
    PlanReview,
    Problem,
    TreatmentPlan,
)
from tend.plans.progress import objective_prefill
from tend.plans.services import objective_review_build
from tend.scale.run import EpisodePlan, SeedRun

REVIEW_DAYS = 90
_PROBLEMS = (
    ("Depressed mood with withdrawal from activities.", "F32.1", "I want to enjoy things again."),
    ("Excessive worry interfering with work and sleep.", "F41.1", "I want to worry less."),
    ("Trauma-related avoidance and nightmares.", "F43.10", "I want to feel safe driving again."),
)  # fmt: skip
_INTERVENTIONS = (
    ("cbt", "Cognitive restructuring of worry and self-critical thoughts."),
    ("behavioral_activation", "Weekly activity scheduling with graded tasks."),
    ("dbt", "Distress tolerance and emotion regulation skills coaching."),
)


def seed_plans(run: SeedRun) -> None:
    planned = [
        plan for plan in run.episodes if plan.active and run.this_week - plan.first_week >= 2
    ]
    run.start_step("treatment plans", len(planned) * 9)
    plans = run.save(TreatmentPlan, (_plan(run, plan) for plan in planned))
    problems = run.save(Problem, (_problem(run, plan) for plan in plans))
    goals = run.save(
        Goal,
        (
            Goal(
                problem=problem,
                client_words=run.rng.choice(_PROBLEMS)[2],
                statement="Reduce symptoms to the mild range and return to usual activities.",
            )
            for problem in problems
        ),
    )
    objectives_of: dict[int, list[Objective]] = defaultdict(list)
    for goal in goals:
        objectives_of[goal.problem.plan_id].extend(_objectives(goal))
    reviewed = [review for plan in plans for review in _reviews(run, plan, objectives_of[plan.pk])]
    run.save(Objective, (row for rows in objectives_of.values() for row in rows))
    run.save(Intervention, (_intervention(run, goal) for goal in goals))
    run.save(PlanReview, (review for review, _ in reviewed))
    run.save(ObjectiveReview, (row for _, rows in reviewed for row in rows))
    run.finish_step()


def _reviews(
    run: SeedRun, plan: TreatmentPlan, objectives: list[Objective]
) -> list[tuple[PlanReview, list[ObjectiveReview]]]:
    """Every REVIEW_DAYS since activation, a signed review that takes the data's
    suggestion for each objective, from the client's totals known that day, as
    `plan_review_record` records it; each objective keeps its latest review's status."""
    assert plan.activated_on is not None  # noqa: S101  (set by _plan)
    history = run.scores.get(plan.client_id, {})
    reviews = []
    day = plan.activated_on + timedelta(days=REVIEW_DAYS)
    while day < run.today:
        signed_at = datetime.combine(day, time(17), tzinfo=run.zone)
        review = PlanReview(
            plan=plan,
            reviewed_on=day,
            summary="Reviewed with the client; continuing the current plan.",
            signed_by=plan.signed_by,
            signed_at=signed_at,
        )
        known = {
            instrument_id: [score for score in scores if score[0] <= signed_at]
            for instrument_id, scores in history.items()
        }
        rows = []
        for objective in objectives:
            suggestion = objective_prefill(objective, scores=known, values={}, timezone=run.zone)
            rows.append(
                objective_review_build(
                    review=review,
                    objective=objective,
                    suggestion=suggestion,
                    status=suggestion.suggested_status,
                )
            )
            objective.status = suggestion.suggested_status
        reviews.append((review, rows))
        day += timedelta(days=REVIEW_DAYS)
    return reviews


def _plan(run: SeedRun, plan: EpisodePlan) -> TreatmentPlan:
    activated = run.day_of(plan.first_week, plan.weekday) + timedelta(days=14)
    # As `_reviews` holds them: on each REVIEW_DAYS-th day before today, so one falling
    # due today is still to do.
    reviews_done = max(0, (run.today - activated).days - 1) // REVIEW_DAYS
    return TreatmentPlan(
        client=plan.client,
        episode=plan.episode,
        status=TreatmentPlan.Status.ACTIVE,
        review_days=REVIEW_DAYS,
        created_by=plan.clinician,
        signed_by=plan.clinician,
        signed_at=datetime.combine(activated, time(16), tzinfo=run.zone),
        agreement_kind=TreatmentPlan.AgreementKind.TYPED_SIGNATURE,
        agreed_by_name=plan.client.legal_name,
        agreed_on=activated,
        activated_on=activated,
        next_review_on=activated + timedelta(days=REVIEW_DAYS * (reviews_done + 1)),
    )


def _problem(run: SeedRun, plan: TreatmentPlan) -> Problem:
    statement, code, _ = run.rng.choice(_PROBLEMS)
    return Problem(plan=plan, statement=statement, diagnosis_code=code)


def _objectives(goal: Goal) -> list[Objective]:
    activated = goal.problem.plan.activated_on
    assert activated is not None  # noqa: S101  (set by _plan)
    return [
        Objective(
            goal=goal,
            position=0,
            description="PHQ-9 total below 10 (out of the moderate range).",
            metric_kind=MetricKind.INSTRUMENT_SCORE,
            instrument_id="phq9",
            baseline=Decimal(16),
            target=Decimal(9),
            direction=Direction.AT_MOST,
            target_date=activated + timedelta(weeks=16),
            status=ObjectiveStatus.PROGRESSING,
        ),
        Objective(
            goal=goal,
            position=1,
            description="Rates their ability to cope with stress at 7 or more out of 10.",
            metric_kind=MetricKind.SELF_RATING,
            baseline=Decimal(3),
            target=Decimal(7),
            direction=Direction.AT_LEAST,
            target_date=activated + timedelta(weeks=20),
            status=ObjectiveStatus.PROGRESSING,
        ),
    ]


def _intervention(run: SeedRun, goal: Goal) -> Intervention:
    modality, description = run.rng.choice(_INTERVENTIONS)
    return Intervention(
        goal=goal,
        modality=modality,
        description=description,
        frequency="Weekly individual sessions",
        responsible_person="Primary clinician",
    )
