"""Scheduled questionnaires sent by `tend send_scheduled_measures`, and caseload outcomes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tend.audit.models import AuditEvent
from tend.clients.models import Client
from tend.measures.models import ClientLink, MeasureResponse, MeasureSchedule
from tend.measures.selectors import caseload_outcomes, score_endpoints
from tend.measures.services import response_void, schedule_create, schedule_stop
from tests.conftest import Cast, signed_in
from tests.measures.factories import make_client, score

TZ = ZoneInfo("America/Chicago")

TODAY = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.get_fixed_timezone(-360))


def _run() -> str:
    out = StringIO()
    call_command("send_scheduled_measures", base_url="https://tend.example.org", stdout=out)
    return out.getvalue()


@time_machine.travel(TODAY, tick=False)
def test_a_due_schedule_sends_one_link_per_due_date_however_often_cron_runs(cast: Cast) -> None:
    client = make_client(cast, email="rowan@example.org")
    schedule = schedule_create(
        client=client,
        actor=cast.clinician,
        instrument_id="phq9",
        interval_days=14,
        first_due_on=date(2026, 11, 20),
    )

    assert _run() == ("Sent 1 questionnaire link(s); 0 due for clients without an email address.\n")
    assert _run().startswith("Sent 0 ")

    link = ClientLink.objects.get()
    assert (link.schedule, link.due_on, link.instrument_id) == (
        schedule,
        date(2026, 11, 20),
        "phq9",
    )
    assert link.emailed_at == TODAY
    assert [message.to for message in mail.outbox] == [["rowan@example.org"]]
    assert "https://tend.example.org/measures/l/" in mail.outbox[0].body
    schedule.refresh_from_db()
    assert schedule.next_due_on == date(2026, 12, 4)
    assert AuditEvent.objects.filter(action="measures.link_sent", actor_id=None).count() == 1


def test_missed_dates_send_one_link_for_the_latest_and_the_next_comes_on_time(
    cast: Cast,
) -> None:
    client = make_client(cast)
    with time_machine.travel(TODAY, tick=False):
        schedule = schedule_create(
            client=client,
            actor=cast.clinician,
            instrument_id="gad7",
            interval_days=7,
            first_due_on=date(2026, 11, 20),
        )
    with time_machine.travel(TODAY + timedelta(days=16), tick=False):
        _run()
    assert list(ClientLink.objects.values_list("due_on", flat=True)) == [date(2026, 12, 4)]
    schedule.refresh_from_db()
    assert schedule.next_due_on == date(2026, 12, 11)
    with time_machine.travel(TODAY + timedelta(days=21), tick=False):
        _run()
    assert ClientLink.objects.count() == 2


@time_machine.travel(TODAY, tick=False)
def test_a_stopped_schedule_sends_nothing(cast: Cast) -> None:
    schedule = schedule_create(
        client=make_client(cast),
        actor=cast.clinician,
        instrument_id="phq9",
        interval_days=14,
        first_due_on=date(2026, 11, 20),
    )
    schedule_stop(schedule=schedule, actor=cast.clinician)
    _run()
    assert ClientLink.objects.count() == 0
    assert mail.outbox == []


@time_machine.travel(TODAY, tick=False)
def test_a_schedule_needs_an_email_and_a_sendable_instrument(cast: Cast) -> None:
    without_email = make_client(cast, email="")
    with pytest.raises(ValidationError) as error:
        schedule_create(
            client=without_email,
            actor=cast.clinician,
            instrument_id="phq9",
            interval_days=14,
            first_due_on=date(2026, 11, 20),
        )
    assert error.value.message_dict == {
        "instrument_id": ["Add the client's email address before scheduling questionnaires."]
    }
    with pytest.raises(ValidationError) as error:
        schedule_create(
            client=make_client(cast),
            actor=cast.clinician,
            instrument_id="k10",
            interval_days=14,
            first_due_on=date(2026, 11, 20),
        )
    assert list(error.value.message_dict) == ["instrument_id"]
    assert MeasureSchedule.objects.count() == 0


def test_the_command_refuses_to_run_without_a_base_url(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("send_scheduled_measures", base_url="")


@time_machine.travel(TODAY, tick=False)
def test_the_schedule_form_shows_bad_input_next_to_the_field(cast: Cast) -> None:
    client = make_client(cast)
    page = signed_in(cast.clinician).post(
        reverse("measures:schedule_create", args=[client.public_id]),
        {"instrument_id": "phq9", "interval_days": "0", "first_due_on": "2026-11-20"},
    )
    assert page.status_code == 400
    assert 'id="schedule_interval_days_error">' in page.content.decode()
    assert MeasureSchedule.objects.count() == 0


def _with_history(cast: Cast, first: str, totals: list[int], start: datetime) -> Client:
    client = make_client(cast, first=first)
    for index, total in enumerate(totals):
        score(client, "phq9", start + timedelta(days=14 * index), total=total)
    return client


@time_machine.travel(TODAY, tick=False)
def test_caseload_outcomes_count_change_labels_median_and_recent_measures(cast: Cast) -> None:
    old = datetime(2026, 6, 1, 10, tzinfo=TZ)
    _with_history(cast, "Recovers", [18, 12, 6], old)  # 12 better, case -> not: recovered
    _with_history(cast, "Improves", [24, 20, 17], old)  # 7 better, still a case: improved
    _with_history(cast, "Same", [12, 11, 13], old)  # 1 worse: no reliable change
    _with_history(cast, "Worse", [6, 9, 14], datetime(2026, 10, 10, 10, tzinfo=TZ))  # 8 worse
    make_client(cast, first="Unmeasured")
    make_client(cast, first="Gone", status=Client.Status.DISCHARGED)

    outcomes = caseload_outcomes(
        Client.objects.filter(organization=cast.organization), today=TODAY.date()
    )

    assert (outcomes.active_clients, outcomes.measured_recently) == (5, 1)
    assert outcomes.measured_share == 0.2
    [phq9] = outcomes.instruments
    assert (
        phq9.clients_with_change,
        phq9.median_improvement,
        phq9.recovered,
        phq9.improved,
        phq9.no_reliable_change,
        phq9.deteriorated,
    ) == (4, 3.0, 1, 1, 1, 1)


def _void(response: MeasureResponse, cast: Cast) -> None:
    response_void(response=response, actor=cast.clinician, reason="Entered for the wrong client")


@time_machine.travel(TODAY, tick=False)
def test_outcomes_judge_the_first_and_latest_valid_scores_whatever_lies_between(
    cast: Cast,
) -> None:
    def at(month: int, day: int, hour: int = 10) -> datetime:
        return datetime(2026, month, day, hour, tzinfo=TZ)

    voided_ends = make_client(cast, first="VoidedEnds")
    _void(score(voided_ends, "phq9", at(6, 1), total=6), cast)
    for when, total in ((at(6, 15), 18), (at(7, 1), 14), (at(11, 10), 12)):
        score(voided_ends, "phq9", when, total=total)
    _void(score(voided_ends, "phq9", at(11, 12), total=25), cast)  # 18 -> 12: improved

    long_history = make_client(cast, first="LongHistory")
    score(long_history, "phq9", at(6, 1), total=22)
    for index in range(30):  # swings in between change nothing: 22 -> 21
        score(long_history, "phq9", at(6, 2) + timedelta(days=index), total=(5, 27)[index % 2])
    score(long_history, "phq9", at(8, 1), total=21)
    score(long_history, "gad7", at(6, 1), total=15)
    score(long_history, "gad7", at(11, 15), total=7)  # case -> not, 8 better: recovered

    same_time = make_client(cast, first="SameTime")
    score(same_time, "phq9", at(9, 1), total=10)
    score(same_time, "phq9", at(11, 1), total=16)
    score(same_time, "phq9", at(11, 1), total=8)  # recorded last, so the latest: 10 -> 8

    one_valid = make_client(cast, first="OneValid")
    score(one_valid, "phq9", at(6, 1), total=15)
    _void(score(one_valid, "phq9", at(11, 10), total=9), cast)  # a void score is not a measure

    discharged = make_client(cast, first="Gone", status=Client.Status.DISCHARGED)
    score(discharged, "phq9", at(6, 1), total=20)
    score(discharged, "phq9", at(11, 10), total=5)
    make_client(cast, first="Unmeasured")

    outcomes = caseload_outcomes(
        Client.objects.filter(organization=cast.organization), today=TODAY.date()
    )

    assert (outcomes.active_clients, outcomes.measured_recently) == (5, 3)
    summary = [
        (
            row.instrument.abbreviation,
            row.clients_with_change,
            row.median_improvement,
            row.recovered,
            row.improved,
            row.no_reliable_change,
            row.deteriorated,
        )
        for row in outcomes.instruments
    ]
    assert summary == [("GAD-7", 1, 8.0, 1, 0, 0, 0), ("PHQ-9", 3, 2.0, 0, 1, 2, 0)]


@time_machine.travel(TODAY, tick=False)
def test_score_endpoints_fetch_three_scores_per_client_and_instrument_however_long_the_history(
    cast: Cast,
) -> None:
    start = datetime(2025, 1, 6, 10, tzinfo=TZ)
    short = _with_history(cast, "Short", [15, 9], start)
    long_history = _with_history(cast, "Long", [24, *range(1, 20), 17, 11], start)
    active = Client.objects.filter(organization=cast.organization)

    def fetched() -> list[tuple[int, float | None]]:
        return list(score_endpoints(active).values_list("client_id", "total"))

    endpoints = [
        (short.pk, 15),
        (short.pk, 9),
        (long_history.pk, 24),
        (long_history.pk, 17),
        (long_history.pk, 11),
    ]
    assert fetched() == endpoints
    for index in range(40):
        score(long_history, "phq9", start + timedelta(days=3 + index), total=index % 27)
    assert fetched() == endpoints


def _outcome_queries(cast: Cast) -> int:
    browser = signed_in(cast.clinician)
    browser.get(reverse("measures:outcomes"))
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(reverse("measures:outcomes")).status_code == 200
    return len(queries)


@time_machine.travel(TODAY, tick=False)
def test_the_outcomes_page_runs_the_same_queries_for_small_and_large_caseloads_and_histories(
    cast: Cast,
) -> None:
    start = datetime(2026, 9, 1, 10, tzinfo=TZ)
    _with_history(cast, "One", [15, 9], start)
    small = _outcome_queries(cast)
    for index in range(12):
        _with_history(cast, f"Many{index}", [20, 15, 10, 8], start)
    large = _outcome_queries(cast)
    history = [20 - index % 7 for index in range(40)]
    _with_history(cast, "LongHistory", history, datetime(2024, 1, 8, 10, tzinfo=TZ))
    long_history = _outcome_queries(cast)
    assert small == large == long_history
    html = signed_in(cast.clinician).get(reverse("measures:outcomes")).content.decode()
    assert "<strong>0</strong> of <strong>14</strong> active clients" in html


def test_practice_outcomes_are_for_those_who_run_the_organization(cast: Cast) -> None:
    assert signed_in(cast.owner).get(reverse("measures:organization_outcomes")).status_code == 200
    assert (
        signed_in(cast.clinician).get(reverse("measures:organization_outcomes")).status_code == 403
    )
    assert signed_in(cast.owner).get(reverse("measures:outcomes")).status_code == 403
