"""`tend seed` plan reviews: each takes the data's suggestion from the scores known that day.

The small profile's history is too short for a 90-day review, so this module seeds a
small organization with thirty-six weeks of history.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import Max
from rich.console import Console

from tend.measures.models import MeasureResponse
from tend.plans.models import (
    MetricKind,
    ObjectiveReview,
    ObjectiveStatus,
    PlanReview,
    TreatmentPlan,
)
from tend.scale.people import ORGANIZATION_TIMEZONE
from tend.scale.plans import REVIEW_DAYS
from tend.scale.profiles import PROFILES
from tend.scale.seed import seed_organization

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytest_django import DjangoDbBlocker

LONG_HISTORY = replace(
    PROFILES["small"],
    name="long-history",
    clinicians=3,
    clients=40,
    caseload=(6, 9),
    history_weeks=36,
    future_weeks=1,
    job_postings=10,
)
TODAY = date(2026, 3, 18)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        seed_organization(LONG_HISTORY, console=Console(file=StringIO()), today=TODAY)
        yield
        transaction.set_rollback(True)


def _totals() -> dict[tuple[int, str], list[tuple[datetime, float]]]:
    totals: dict[tuple[int, str], list[tuple[datetime, float]]] = defaultdict(list)
    for client_id, instrument_id, administered_at, total in MeasureResponse.objects.values_list(
        "client_id", "instrument_id", "administered_at", "total"
    ):
        totals[(client_id, instrument_id)].append((administered_at, total))
    return totals


def test_reviews_fall_every_ninety_days_since_activation(seeded: None) -> None:
    reviews = PlanReview.objects.select_related("plan").order_by("plan_id", "reviewed_on")
    per_plan = Counter(reviews.values_list("plan_id", flat=True))
    assert max(per_plan.values()) >= 2
    for review in reviews:
        assert review.plan.activated_on is not None
        since = (review.reviewed_on - review.plan.activated_on).days
        assert since % REVIEW_DAYS == 0 and since > 0
        assert review.reviewed_on < TODAY


def test_each_plan_is_next_due_one_interval_after_its_latest_review(seeded: None) -> None:
    latest = dict(
        PlanReview.objects.values("plan_id")
        .annotate(last=Max("reviewed_on"))
        .values_list("plan_id", "last")
    )
    plans = TreatmentPlan.objects.filter(status=TreatmentPlan.Status.ACTIVE)
    assert plans.exists()
    for plan in plans:
        assert plan.activated_on is not None and plan.next_review_on is not None
        since = latest.get(plan.pk, plan.activated_on)
        assert plan.next_review_on == since + timedelta(days=plan.review_days)
        assert plan.next_review_on >= TODAY  # a review due today is still to do


def test_each_review_takes_the_phq9_suggestion_from_the_scores_known_that_day(
    seeded: None,
) -> None:
    totals = _totals()
    zone = ZoneInfo(ORGANIZATION_TIMEZONE)
    rows = ObjectiveReview.objects.select_related("review", "objective__goal__problem__plan")
    suggested: Counter[str] = Counter()
    for row in rows.filter(objective__metric_kind=MetricKind.INSTRUMENT_SCORE):
        objective = row.objective
        client_id = objective.goal.problem.plan.client_id
        known = [
            score
            for score in totals[(client_id, objective.instrument_id)]
            if score[0] <= row.review.signed_at
        ]
        taken_at, latest = max(known)
        assert row.source == ObjectiveReview.Source.MEASURE
        assert row.latest_value == Decimal(str(latest)).quantize(Decimal("0.1"))
        assert row.latest_on == taken_at.astimezone(zone).date()
        assert objective.baseline is not None and objective.target is not None
        assert row.change_from_baseline == row.latest_value - objective.baseline
        assert row.target_met == (row.latest_value <= objective.target)
        if row.target_met:
            assert row.suggested_status == ObjectiveStatus.ACHIEVED
        assert row.status == row.suggested_status
        suggested[row.suggested_status] += 1
    # The suggestion follows the data: improving, unchanged and worsening clients differ.
    assert len(suggested) >= 2


def test_objectives_without_recorded_values_keep_their_status_and_end_at_the_latest_review(
    seeded: None,
) -> None:
    rows = ObjectiveReview.objects.select_related("objective", "review").order_by(
        "objective_id", "review__reviewed_on"
    )
    latest: dict[int, ObjectiveReview] = {}
    for row in rows:
        if row.objective.metric_kind == MetricKind.SELF_RATING:
            assert row.source == ObjectiveReview.Source.NONE
            assert row.latest_value is None and row.target_met is None
            assert row.suggested_status == row.status == ObjectiveStatus.PROGRESSING
        latest[row.objective_id] = row
    assert latest
    for row in latest.values():
        assert row.objective.status == row.status
