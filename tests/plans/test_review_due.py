"""Reviews fall due by cadence, by the calendar date in the organization's time zone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory

from tend.accounts.models import User
from tend.core.dashboard import panels_for
from tend.core.tenancy import load_tenancy
from tend.plans import services
from tend.plans.selectors import ReviewStatus, plans_due_for_review, review_status
from tests.conftest import Cast
from tests.plans.helpers import make_active_plan, make_client

CHICAGO = ZoneInfo("America/Chicago")
UTC = ZoneInfo("UTC")


def test_due_and_overdue_follow_the_calendar_date_across_the_end_of_daylight_saving(
    cast: Cast,
) -> None:
    # Activated on Oct 5, 2026 (CDT, UTC-5) with a 30-day cadence: due Nov 4, after clocks
    # fall back on Nov 1 (CST, UTC-6).
    with time_machine.travel(datetime(2026, 10, 5, 9, 0, tzinfo=CHICAGO), tick=False):
        plan = make_active_plan(cast, agreed_on=date(2026, 10, 5))
        draft = services.plan_revise(plan=plan, actor=cast.clinician)
        services.plan_activate(
            plan=draft,
            actor=cast.clinician,
            signature="Cleo Clinician",
            agreement_kind="verbal_telehealth",
            agreed_by_name="Rowan Quill",
            agreed_on=date(2026, 10, 5),
            review_days=30,
        )
        draft.refresh_from_db()
    assert draft.next_review_on == date(2026, 11, 4)
    # 23:30 in Chicago on Nov 4 is already Nov 5 in UTC: still due today, not overdue.
    with time_machine.travel(datetime(2026, 11, 4, 23, 30, tzinfo=CHICAGO), tick=False):
        assert datetime.now(UTC).date() == date(2026, 11, 5)
        today = services.organization_today(cast.organization)
        assert review_status(draft.next_review_on, today) == ReviewStatus(
            due_on=date(2026, 11, 4), state="due", days=0
        )
    # Half an hour later it is Nov 5 in Chicago too, and the review is overdue.
    with time_machine.travel(datetime(2026, 11, 5, 0, 0, tzinfo=CHICAGO), tick=False):
        today = services.organization_today(cast.organization)
        status = review_status(draft.next_review_on, today)
        assert status == ReviewStatus(due_on=date(2026, 11, 4), state="overdue", days=-1)
        assert status is not None and status.label == "Review overdue by 1 day"
    # Fifteen days before it falls due the review is only scheduled.
    assert review_status(date(2026, 11, 4), date(2026, 10, 20)).state == "scheduled"  # type: ignore[union-attr]
    assert review_status(date(2026, 11, 4), date(2026, 10, 21)).state == "due"  # type: ignore[union-attr]


def test_the_organization_default_cadence_applies_to_new_plans(cast: Cast) -> None:
    services.plan_settings_update(
        organization=cast.organization, actor=cast.owner, default_review_days=60
    )
    plan = services.plan_create(client=make_client(cast), actor=cast.clinician)
    assert plan.review_days == 60


def test_the_dashboard_lists_due_and_overdue_reviews_of_the_caseload(cast: Cast) -> None:
    with time_machine.travel(datetime(2026, 1, 12, 9, 0, tzinfo=CHICAGO), tick=False):
        overdue = make_active_plan(cast, make_client(cast, "Ada", "Brook"))
    with time_machine.travel(datetime(2026, 1, 26, 9, 0, tzinfo=CHICAGO), tick=False):
        due = make_active_plan(cast, make_client(cast, "Ben", "Cole"))
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=CHICAGO), tick=False):
        make_active_plan(cast, make_client(cast, "Cal", "Dunn"))  # due May 30: scheduled
    with time_machine.travel(datetime(2026, 4, 20, 9, 0, tzinfo=CHICAGO), tick=False):
        rows, total = plans_due_for_review(
            load_tenancy(cast.clinician, None), cast.clinician, date(2026, 4, 20)
        )
        assert [(row.plan, row.status.state, row.status.days) for row in rows] == [
            (overdue, "overdue", -8),
            (due, "due", 6),
        ]
        assert total == 2
        shown = {entry["panel"].key: entry for entry in panels_for(_request(cast.clinician))}
        html = render_to_string(
            shown["plan_reviews_due"]["panel"].template,
            {"panel": shown["plan_reviews_due"]["context"]},
        )
    assert "Review overdue by 8 days" in html and "Review due in 6 days" in html
    assert "Ada Brook" in html and "Ben Cole" in html and "Cal Dunn" not in html
    # Front desk never gets the panel.
    keys = {entry["panel"].key for entry in panels_for(_request(cast.front_desk))}
    assert "plan_reviews_due" not in keys


def _request(user: User) -> Any:
    # The dashboard view does not pass the registered panels to its template yet, so the
    # panel is exercised through the registry the view will call.
    request: Any = RequestFactory().get("/")
    request.user = user
    request.tenancy = load_tenancy(user, None)
    request.organization = request.tenancy.current
    return request
