"""Demo treatment plans: every active client with a clinician gets an active plan built from
the organization's starter library (2 to 4 objectives, always one on PHQ-9 or GAD-7, with
baselines taken from the client's first demo score). Some plans were reviewed, some
reviews are due soon and some are overdue. Deterministic: one seeded generator per
organization. Runs after the clients and measures demos.

Services write everything as of today; the demo then moves the plan's dates back in time
(activation, agreement, review) so that the history reads as months of real use.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from tend.accounts.models import Organization, User
from tend.clients.models import Client
from tend.measures.models import MeasureResponse
from tend.plans import selectors, services
from tend.plans.models import (
    InterventionTemplate,
    Objective,
    ObjectiveTemplate,
    PlanReview,
    PlanTemplate,
    TreatmentPlan,
)

# (template, extra PHQ-9/GAD-7 objective for templates measured by another instrument)
_PLAN_KINDS = (
    ("depression", None),
    ("anxiety", None),
    ("depression", None),
    ("trauma", "phq9"),
    ("anxiety", None),
    ("substance_use", "gad7"),
)
# (days since activation, cadence, days since the last review or None): overdue, due soon,
# reviewed and on schedule, recently activated.
_REVIEW_STORIES = ((104, 90, None), (80, 90, None), (130, 90, 35), (40, 90, None), (75, 60, 52))

_EXTRA_OBJECTIVES = {
    "phq9": ("PHQ-9 total below 10 (out of the moderate range).", Decimal(9)),
    "gad7": ("GAD-7 total below 8 (below the caseness threshold).", Decimal(7)),
}


def _first_scores(clients: list[Client]) -> dict[tuple[int, str], float]:
    first: dict[tuple[int, str], float] = {}
    for client_id, instrument_id, total in (
        MeasureResponse.objects.filter(
            client__in=clients, voided_at__isnull=True, total__isnull=False
        )
        .order_by("administered_at", "id")
        .values_list("client_id", "instrument_id", "total")
    ):
        if total is not None:
            first.setdefault((client_id, instrument_id), total)
    return first


def _baseline(
    rng: random.Random, objective: Objective, first: dict[tuple[int, str], float], client: Client
) -> Decimal:
    if objective.metric_kind == "instrument_score":
        known = first.get((client.pk, objective.instrument_id))
        if known is not None:
            return Decimal(str(known))
        low, high = {"phq9": (12, 20), "gad7": (10, 17), "pcl5": (36, 58), "audit": (12, 22)}[
            objective.instrument_id
        ]
        return Decimal(rng.randint(low, high))
    if objective.metric_kind == "self_rating":
        return Decimal(rng.randint(2, 4))
    if objective.metric_kind == "milestone":
        return Decimal(0)
    if objective.direction == "at_most":
        return Decimal(rng.randint(4, 6))
    return Decimal(rng.randint(0, 1))


def _set_baselines(
    rng: random.Random,
    plan: TreatmentPlan,
    actor: User,
    first: dict[tuple[int, str], float],
) -> None:
    for objective in Objective.objects.filter(goal__problem__plan=plan):
        values = {name: getattr(objective, name) for name in services.OBJECTIVE_FIELDS}
        values["baseline"] = _baseline(rng, objective, first, plan.client)
        services.objective_update(objective=objective, actor=actor, **values)


def _backdate(plan: TreatmentPlan, activated: date, zone: ZoneInfo) -> None:
    signed_at = datetime.combine(activated, time(11, 0), tzinfo=zone)
    TreatmentPlan.objects.filter(pk=plan.pk).update(
        activated_on=activated,
        agreed_on=activated,
        signed_at=signed_at,
        next_review_on=activated + timedelta(days=plan.review_days),
    )


def _review(plan: TreatmentPlan, actor: User, reviewed_on: date, zone: ZoneInfo) -> None:
    outcome = services.plan_review_record(
        plan=plan,
        actor=actor,
        signature=actor.display_name,
        summary="Reviewed progress with the client; continuing the plan.",
        decisions=[
            services.ObjectiveDecision(row.objective, row.prefill.suggested_status, "")
            for row in selectors.review_prefill(plan)
        ],
    )
    PlanReview.objects.filter(pk=outcome.review.pk).update(
        reviewed_on=reviewed_on,
        signed_at=datetime.combine(reviewed_on, time(16, 0), tzinfo=zone),
    )
    TreatmentPlan.objects.filter(pk=plan.pk).update(
        next_review_on=reviewed_on + timedelta(days=plan.review_days)
    )


def _plan_for(
    rng: random.Random,
    client: Client,
    index: int,
    templates: dict[str, PlanTemplate],
    first: dict[tuple[int, str], float],
    today: date,
    zone: ZoneInfo,
) -> None:
    actor = client.primary_clinician
    episode = client.episodes.filter(discharge_date__isnull=True).first()
    if actor is None or episode is None:
        return
    template_key, extra = _PLAN_KINDS[index % len(_PLAN_KINDS)]
    days_active, cadence, reviewed_days_ago = _REVIEW_STORIES[index % len(_REVIEW_STORIES)]
    plan = services.plan_create(client=client, actor=actor, template=templates[template_key])
    if extra is not None:
        description, target = _EXTRA_OBJECTIVES[extra]
        goal = plan.problems.get().goals.get()
        services.objective_add(
            goal=goal,
            actor=actor,
            description=description,
            metric_kind="instrument_score",
            instrument_id=extra,
            baseline=None,
            target=target,
            direction="at_most",
            target_date=today + timedelta(weeks=12),
        )
    _set_baselines(rng, plan, actor, first)
    services.plan_activate(
        plan=plan,
        actor=actor,
        signature=actor.display_name,
        agreement_kind=rng.choice(TreatmentPlan.AgreementKind.values),
        agreed_by_name=client.legal_name,
        agreed_on=today,
        review_days=cadence,
    )
    activated = max(today - timedelta(days=days_active), episode.admission_date)
    _backdate(plan, activated, zone)
    if reviewed_days_ago is not None and activated < today - timedelta(days=reviewed_days_ago):
        plan.refresh_from_db()
        _review(plan, actor, today - timedelta(days=reviewed_days_ago), zone)


def _own_templates(organization: Organization, actor: User) -> None:
    """An organization-written template beside the starters, and an older one it retired:
    the library as a practice keeps it. Self-ratings and milestones only, so no clinical
    threshold is needed."""
    grief = services.plan_template_create(
        organization=organization,
        actor=actor,
        title="Grief and loss",
        problem_statement=(
            "Since a close bereavement, persistent yearning and withdrawal from friends are "
            "making ordinary days hard to get through."
        ),
        goal_client_words="I want to remember her without it flattening me.",
        goal_statement="Integrate the loss and return to valued relationships and routines.",
    )
    services.library_part_add(
        template=grief,
        model=ObjectiveTemplate,
        actor=actor,
        description="Rates ability to carry out a normal day (0 to 10).",
        metric_kind="self_rating",
        instrument_id="",
        target=Decimal(6),
        direction="at_least",
        weeks_to_target=12,
    )
    services.library_part_add(
        template=grief,
        model=ObjectiveTemplate,
        actor=actor,
        description="Reconnects with one friend or relative she has avoided.",
        metric_kind="milestone",
        instrument_id="",
        target=Decimal(1),
        direction="at_least",
        weeks_to_target=8,
    )
    services.library_part_add(
        template=grief,
        model=InterventionTemplate,
        actor=actor,
        modality="other",
        modality_other="Grief-focused therapy",
        description="Telling the story of the loss; continuing-bonds and memory work.",
        frequency="Weekly sessions",
        responsible_person="Clinician",
    )
    retired = services.plan_template_create(
        organization=organization,
        actor=actor,
        title="Adjustment after a move (old wording)",
        problem_statement="Low mood and isolation since relocating for work.",
        goal_client_words="I want this place to feel like home.",
        goal_statement="Build routines and connections in the new community.",
    )
    services.library_part_add(
        template=retired,
        model=InterventionTemplate,
        actor=actor,
        modality="solution_focused",
        modality_other="",
        description="Small weekly steps toward local activities.",
        frequency="Every other week",
        responsible_person="Client",
    )
    services.library_item_retire(item=retired, actor=actor)


def load(organizations: dict[str, Organization]) -> None:
    for name, organization in organizations.items():
        rng = random.Random(f"tend-plans-{name}")  # noqa: S311  (synthetic data, not secrets)
        clients = list(
            Client.objects.filter(
                organization=organization,
                status=Client.Status.ACTIVE,
                primary_clinician__isnull=False,
            )
            .select_related("primary_clinician", "organization")
            .order_by("id")
        )
        if not clients:
            continue
        zone = ZoneInfo(organization.timezone)
        today = services.organization_today(organization)
        with transaction.atomic():
            services.plan_library_seed(organization=organization, actor=None)
            templates = {
                template.key: template
                for template in PlanTemplate.objects.filter(organization=organization)
            }
            first = _first_scores(clients)
            for index, client in enumerate(clients):
                _plan_for(rng, client, index, templates, first, today, zone)
            actor = clients[0].primary_clinician
            if actor is not None:  # the query asked for a primary clinician
                _own_templates(organization, actor)
