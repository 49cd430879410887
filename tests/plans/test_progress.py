"""The pre-fill rules on explicit data: latest score, change from baseline, target met."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tend.plans.progress import ProgressPrefill, instrument_progress, recorded_progress

CHICAGO = ZoneInfo("America/Chicago")


def test_the_latest_score_by_time_is_compared_with_the_baseline() -> None:
    prefill = instrument_progress(
        instrument_id="gad7",
        baseline=Decimal(15),
        target=Decimal(7),
        direction="at_most",
        scores=[
            (datetime(2026, 3, 2, 4, 30, tzinfo=UTC), 12),  # Mar 1 in Chicago
            (datetime(2026, 2, 1, 16, 0, tzinfo=UTC), 14),
        ],
        current_status="not_started",
        timezone=CHICAGO,
    )
    # 3 points is below GAD-7's reliable-change size in the data (4).
    assert prefill == ProgressPrefill(
        source="measure",
        latest_value=Decimal("12.0"),
        latest_on=date(2026, 3, 1),
        change_from_baseline=Decimal("-3.0"),
        target_met=False,
        suggested_status="no_change",
        band_label="Moderate",
        change_label="no reliable change",
    )


def test_a_reliable_worsening_suggests_regressed() -> None:
    prefill = instrument_progress(
        instrument_id="phq9",
        baseline=Decimal(10),
        target=Decimal(9),
        direction="at_most",
        scores=[(datetime(2026, 3, 2, 16, tzinfo=UTC), 16)],
        current_status="progressing",
        timezone=CHICAGO,
    )
    assert (prefill.change_from_baseline, prefill.suggested_status, prefill.change_label) == (
        Decimal("6.0"),
        "regressed",
        "deteriorated",
    )


def test_without_scores_the_current_status_stands() -> None:
    prefill = instrument_progress(
        instrument_id="phq9",
        baseline=Decimal(10),
        target=Decimal(9),
        direction="at_most",
        scores=[],
        current_status="progressing",
        timezone=CHICAGO,
    )
    assert (prefill.source, prefill.latest_value, prefill.suggested_status) == (
        "none",
        None,
        "progressing",
    )


def test_a_reached_milestone_is_achieved() -> None:
    prefill = recorded_progress(
        baseline=Decimal(0),
        target=Decimal(1),
        direction="at_least",
        values=[(date(2026, 2, 9), Decimal(0)), (date(2026, 2, 16), Decimal(1))],
        current_status="not_started",
    )
    assert (prefill.latest_value, prefill.target_met, prefill.suggested_status) == (
        Decimal(1),
        True,
        "achieved",
    )


def test_a_frequency_going_the_wrong_way_is_regressed() -> None:
    prefill = recorded_progress(
        baseline=Decimal(3),
        target=Decimal(1),
        direction="at_most",
        values=[(date(2026, 2, 9), Decimal(5))],
        current_status="progressing",
    )
    assert (prefill.change_from_baseline, prefill.target_met, prefill.suggested_status) == (
        Decimal(2),
        False,
        "regressed",
    )
