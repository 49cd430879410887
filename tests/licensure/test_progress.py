"""Progress on the associate's path from the ledger, measured by the requirement data:
caps and minimums, time windows, projection, "what if", exams, confidence labels."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from tend.licensure.models import HoursEntry
from tend.licensure.requirements import exams_catalogue
from tend.licensure.selectors import progress_for, supervised_hours_for
from tend.licensure.services import exam_attempt_record, hours_verify_period
from tests.conftest import Cast, signed_in
from tests.supervision.factories import make_relationship

TODAY = date(2026, 11, 24)


def _log(cast: Cast, category: str, hours: float, on: date) -> None:
    HoursEntry.objects.create(
        organization=cast.organization,
        associate=cast.associate,
        category=category,
        worked_on=on,
        minutes=round(hours * 60),
        source="manual",
        description="Work",
    )


@time_machine.travel(TODAY, tick=False)
def test_group_supervision_over_the_cap_is_not_credited(cast: Cast) -> None:
    # NC counselor: supervision 100 h, at least 75 individual, group capped at 25.
    make_relationship(cast, path_state="NC")
    _log(cast, "supervision_individual", 40, date(2026, 1, 10))
    _log(cast, "supervision_group", 30, date(2026, 1, 10))
    report = progress_for(cast.associate, today=TODAY)
    assert report is not None and report.progress is not None
    supervision = report.progress.line("supervision_hours")
    assert (supervision.required, supervision.credited, supervision.uncredited) == (100, 65.0, 5.0)
    individual = report.progress.line("supervision_individual_hours")
    assert (individual.required, individual.credited, individual.remaining) == (75, 40.0, 35.0)


@time_machine.travel(TODAY, tick=False)
def test_the_time_window_runs_from_the_first_entry(cast: Cast) -> None:
    # TX counselor: at least 18 months, at most 60 months.
    make_relationship(cast)
    _log(cast, "direct_individual", 2, date(2025, 3, 5))
    report = progress_for(cast.associate, today=TODAY)
    assert report is not None and report.progress is not None
    assert report.progress.min_months.boundary_on == date(2026, 9, 5)
    assert report.progress.min_months.met is True
    assert report.progress.max_months.boundary_on == date(2030, 3, 5)
    assert report.progress.window.months_elapsed == 20


@time_machine.travel(TODAY, tick=False)
def test_projection_uses_the_last_eight_weeks_pace(cast: Cast) -> None:
    # TX counselor: 3000 h total, 1500 direct. Eight weeks of 20 h direct + 5 h indirect.
    make_relationship(cast)
    _log(cast, "direct_individual", 1000, date(2025, 1, 6))
    for week in range(8):
        day = TODAY - timedelta(weeks=week, days=1)
        _log(cast, "direct_individual", 20, day)
        _log(cast, "indirect", 5, day)
    report = progress_for(cast.associate, today=TODAY)
    assert report is not None and report.progress is not None
    total = report.progress.line("total_hours")
    assert (total.credited, total.remaining) == (1200.0, 1800.0)
    # 1800 h at 25 h/week is 72 weeks, later than the 340 h direct at 20 h/week (17 weeks).
    assert report.progress.projection.completes_on == TODAY + timedelta(weeks=72)
    assert report.progress.projection.binding_rule == "total_hours"


@time_machine.travel(TODAY, tick=False)
def test_what_if_recomputes_with_the_other_states_row(cast: Cast) -> None:
    make_relationship(cast)
    _log(cast, "direct_individual", 1600, date(2025, 1, 6))
    report = progress_for(cast.associate, today=TODAY, what_if_state="ca")
    assert report is not None and report.progress is not None and report.what_if is not None
    assert report.progress.line("direct_client_hours").met is True  # TX: 1500
    other = report.what_if.progress
    assert (other.requirement.state, other.requirement.license_family) == ("CA", "counselor")
    assert other.line("direct_client_hours").remaining == 150.0  # CA: 1750
    assert report.what_if_state == "CA"


@time_machine.travel(TODAY, tick=False)
def test_the_exams_still_needed_follow_the_attempts(cast: Cast) -> None:
    make_relationship(cast)
    exam_attempt_record(candidate=cast.associate, exam_code="NCE", taken_on=date(2026, 5, 1),
                        result="passed")  # fmt: skip
    exam_attempt_record(candidate=cast.associate, exam_code="TX_JURISPRUDENCE",
                        taken_on=date(2026, 5, 2), result="failed")  # fmt: skip
    report = progress_for(cast.associate, today=TODAY)
    assert report is not None and report.progress is not None
    assert [choice.label for choice in report.progress.exams_outstanding] == ["TX_JURISPRUDENCE"]
    page = signed_in(cast.associate).get(reverse("licensure:my_progress")).content.decode()
    assert f"{exams_catalogue()['TX_JURISPRUDENCE'].name}\n" in page


@time_machine.travel(TODAY, tick=False)
def test_low_confidence_rows_are_labelled_on_the_page(cast: Cast) -> None:
    make_relationship(cast, path_state="GA")
    _log(cast, "direct_individual", 10, date(2026, 10, 1))
    page = signed_in(cast.associate).get(reverse("licensure:my_progress")).content.decode()
    assert "Low confidence: check with the board" in page
    assert "confidence: low" in page
    high = signed_in(cast.associate).get(reverse("licensure:my_progress") + "?state=TX")
    assert "confidence: high" in high.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_what_if_form_answers_htmx_with_the_fragment(cast: Cast) -> None:
    make_relationship(cast)
    _log(cast, "direct_individual", 10, date(2026, 10, 1))
    response = signed_in(cast.associate).get(
        reverse("licensure:my_progress") + "?state=CA", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="what-if">')
    assert "The same hours measured against CA" in body


@time_machine.travel(TODAY, tick=False)
def test_the_selector_for_other_apps_separates_verified_hours(cast: Cast) -> None:
    make_relationship(cast)
    _log(cast, "direct_individual", 3, date(2026, 3, 3))
    _log(cast, "supervision_group", 1, date(2026, 4, 3))
    hours_verify_period(organization=cast.organization, supervisor=cast.supervisor,
                        associate=cast.associate, period="month",
                        containing=date(2026, 3, 3))  # fmt: skip
    hours = supervised_hours_for(cast.associate, today=TODAY)
    assert (hours.path_state, hours.path_family, hours.has_entries) == ("TX", "counselor", True)
    assert (hours.verified.all_logged, hours.total.all_logged) == (3.0, 4.0)


@pytest.mark.parametrize("state", ["", "ZZ"])
@time_machine.travel(TODAY, tick=False)
def test_no_path_or_an_unknown_state_is_said_plainly(cast: Cast, state: str) -> None:
    response = signed_in(cast.associate).get(reverse("licensure:my_progress") + f"?state={state}")
    assert response.status_code == 200
    assert "No licence path is chosen yet" in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_api_serves_the_callers_totals_and_rules_with_their_source(cast: Cast) -> None:
    make_relationship(cast)
    _log(cast, "direct_individual", 12, date(2026, 10, 1))
    body = signed_in(cast.associate).get("/api/v1/licensure/progress").json()
    assert (body["path_state"], body["license_title"]) == (
        "TX",
        "Licensed Professional Counselor (LPC)",
    )
    assert body["categories"][0] == {
        "category": "direct_individual",
        "logged_hours": 12.0,
        "verified_hours": 0.0,
    }
    direct = next(rule for rule in body["rules"] if rule["rule"] == "direct_client_hours")
    assert (direct["required_hours"], direct["remaining_hours"]) == (1500, 1488.0)
    assert (direct["as_of"], direct["confidence"], direct["low_confidence"]) == (
        "2025-03-28",
        "high",
        False,
    )
    assert signed_in(cast.supervisor).get("/api/v1/licensure/progress").status_code == 403
