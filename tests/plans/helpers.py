"""Building blocks for the plan tests: a client on the whole clinical cast's caseload and
plans built through the plan services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tend.accounts.models import User
from tend.clients.models import Client
from tend.clients.services import care_team_member_add, client_create, episode_open
from tend.plans import services
from tend.plans.models import Goal, Objective, TreatmentPlan
from tend.supervision.models import SupervisionRelationship
from tend.supervision.services import supervision_relationship_start
from tests.conftest import Cast


def make_client(cast: Cast, first: str = "Rowan", last: str = "Quill") -> Client:
    """A client whose primary clinician is the associate, with the licensed clinician as
    co-therapist and the supervisor supervising the associate: on every clinical role's
    caseload."""
    client = client_create(
        organization=cast.organization,
        actor=cast.owner,
        primary_clinician=cast.associate,
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=date(1990, 4, 2),
        allow_duplicate=True,
    )
    episode_open(client=client, actor=cast.associate, admission_date=date(2026, 1, 5))
    care_team_member_add(
        client=client,
        actor=cast.owner,
        user=cast.clinician,
        role="co_therapist",
        started_on=date(2026, 1, 5),
    )
    if not SupervisionRelationship.objects.filter(
        supervisor=cast.supervisor, supervisee=cast.associate, ended_on__isnull=True
    ).exists():
        supervision_relationship_start(
            organization=cast.organization,
            actor=cast.owner,
            supervisor=cast.supervisor,
            supervisee=cast.associate,
            started_on=date(2026, 1, 5),
        )
    return client


def add_goal(plan: TreatmentPlan, actor: User) -> Goal:
    problem = services.problem_add(plan=plan, actor=actor, statement="Low mood most days.")
    return services.goal_add(
        problem=problem,
        actor=actor,
        client_words="I want to enjoy things again.",
        statement="Reduce depressive symptoms to the mild range.",
    )


def add_phq9_objective(
    goal: Goal, actor: User, *, baseline: str | None = "18", target: str = "9"
) -> Objective:
    return services.objective_add(
        goal=goal,
        actor=actor,
        description="PHQ-9 total below 10.",
        metric_kind="instrument_score",
        instrument_id="phq9",
        baseline=Decimal(baseline) if baseline is not None else None,
        target=Decimal(target),
        direction="at_most",
        target_date=date(2026, 12, 31),
    )


def add_intervention(goal: Goal, actor: User) -> None:
    services.intervention_add(
        goal=goal,
        actor=actor,
        modality="behavioral_activation",
        modality_other="",
        description="Weekly activity scheduling.",
        frequency="Weekly sessions",
        responsible_person="Clinician and client",
    )


def activate(plan: TreatmentPlan, actor: User, *, agreed_on: date, review_days: int = 90) -> None:
    services.plan_activate(
        plan=plan,
        actor=actor,
        signature=actor.display_name,
        agreement_kind="typed_signature",
        agreed_by_name="Rowan Quill",
        agreed_on=agreed_on,
        review_days=review_days,
    )


def make_active_plan(
    cast: Cast, client: Client | None = None, *, agreed_on: date = date(2026, 1, 12)
) -> TreatmentPlan:
    """An active plan with one problem, goal, PHQ-9 objective and intervention."""
    client = client or make_client(cast)
    plan = services.plan_create(client=client, actor=cast.clinician)
    goal = add_goal(plan, cast.clinician)
    add_phq9_objective(goal, cast.clinician)
    add_intervention(goal, cast.clinician)
    activate(plan, cast.clinician, agreed_on=agreed_on)
    plan.refresh_from_db()
    return plan
