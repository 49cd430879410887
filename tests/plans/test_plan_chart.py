"""The plan on the client chart: a "Plan review" header fact and a "Treatment plan" section."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tend.clients.access import client_for_user
from tend.core.tenancy import load_tenancy
from tend.plans import chart
from tend.plans.selectors import ReviewStatus
from tests.conftest import Cast, signed_in
from tests.plans.helpers import make_active_plan, make_client

CHICAGO = ZoneInfo("America/Chicago")


def test_the_chart_shows_when_the_plan_review_falls_due(cast: Cast) -> None:
    with time_machine.travel(datetime(2026, 1, 12, 9, 0, tzinfo=CHICAGO), tick=False):
        plan = make_active_plan(cast)
    with time_machine.travel(datetime(2026, 4, 20, 9, 0, tzinfo=CHICAGO), tick=False):
        access = client_for_user(
            load_tenancy(cast.clinician, None), cast.clinician, plan.client.public_id, clinical=True
        )
        with CaptureQueriesContext(connection) as captured:
            section = chart.chart_section(access, None)
        assert len(captured.captured_queries) == 2
        assert section["review"] == ReviewStatus(due_on=date(2026, 4, 12), state="overdue", days=-8)
        assert [objective.description for objective in section["objectives"]] == [
            "PHQ-9 total below 10."
        ]
        page = signed_in(cast.clinician).get(f"/clients/{plan.client.public_id}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Review overdue by 8 days" in text
    assert "Treatment plan" in text


def test_front_desk_does_not_see_the_plan_on_the_chart(cast: Cast) -> None:
    client = make_client(cast)
    page = signed_in(cast.front_desk).get(f"/clients/{client.public_id}/")
    assert page.status_code == 200
    assert "Plan review" not in page.content.decode()
