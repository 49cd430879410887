# ruff: noqa: RUF001  (the pages print the multiplication sign and en dash as asserted)
from __future__ import annotations

from decimal import Decimal

import pytest

from tend.careers.pay import annualize, onet_code_for, wage_fact_for
from tests.careers.factories import make_posting
from tests.conftest import Cast


def test_a_salary_is_already_annual() -> None:
    pay = annualize(
        pay_basis="salary",
        pay_min=Decimal("58000"),
        pay_max=Decimal("64500.50"),
        sessions_per_week=25,
        hours_per_week=None,
        working_weeks_per_year=48,
        collected_fee_per_session=None,
    )

    assert (pay.low, pay.high) == (58000, 64501)
    assert pay.assumptions == "Stated as an annual salary."


def test_an_hourly_rate_is_multiplied_by_hours_and_working_weeks() -> None:
    pay = annualize(
        pay_basis="hourly",
        pay_min=Decimal("32.50"),
        pay_max=Decimal("40"),
        sessions_per_week=20,
        hours_per_week=30,
        working_weeks_per_year=50,
        collected_fee_per_session=None,
    )

    assert (pay.low, pay.high) == (48750, 60000)
    assert pay.assumptions == "hourly rate × 30 hours/week × 50 working weeks/year"


def test_a_per_session_rate_is_multiplied_by_the_stated_caseload() -> None:
    pay = annualize(
        pay_basis="per_session",
        pay_min=Decimal("55"),
        pay_max=Decimal("70"),
        sessions_per_week=25,
        hours_per_week=None,
        working_weeks_per_year=46,
        collected_fee_per_session=None,
    )

    assert (pay.low, pay.high) == (63250, 80500)
    assert pay.assumptions == "per-session rate × 25 sessions/week × 46 working weeks/year"


def test_a_fee_split_is_a_share_of_the_collected_fee_at_the_stated_caseload() -> None:
    pay = annualize(
        pay_basis="fee_split",
        pay_min=Decimal("60"),
        pay_max=Decimal("70"),
        sessions_per_week=20,
        hours_per_week=None,
        working_weeks_per_year=48,
        collected_fee_per_session=Decimal("120"),
    )

    assert (pay.low, pay.high) == (69120, 80640)
    assert pay.assumptions == (
        "split % × $120.00 collected per session × 20 sessions/week × 48 working weeks/year"
    )


def test_a_fee_split_without_the_collected_fee_cannot_be_compared() -> None:
    with pytest.raises(ValueError, match="collected_fee_per_session"):
        annualize(
            pay_basis="fee_split",
            pay_min=Decimal("60"),
            pay_max=Decimal("70"),
            sessions_per_week=20,
            hours_per_week=None,
            working_weeks_per_year=48,
            collected_fee_per_session=None,
        )


def test_the_bls_median_comes_from_the_occupations_data_with_period_and_confidence() -> None:
    counselor = wage_fact_for("counselor")

    assert (counselor.soc_code, counselor.onet_code) == ("21-1018", "21-1014.00")
    assert (counselor.annual_median_usd, counselor.reference_period) == (59350, "May 2025")
    assert counselor.confidence == "medium"
    assert onet_code_for("mft") == "21-1013.00"
    assert wage_fact_for("social_work").annual_median_usd == 60280


def test_a_low_confidence_median_says_so() -> None:
    psychology = wage_fact_for("psychology")

    assert psychology.is_low_confidence
    assert psychology.label.endswith("confidence low (low confidence: verify before relying on it)")


def test_the_posting_stores_the_normalized_range_for_sorting_and_the_pay_floor(
    cast: Cast,
) -> None:
    posting = make_posting(
        cast.organization,
        cast.owner,
        pay_basis="per_session",
        pay_min=Decimal("60"),
        pay_max=Decimal("75"),
        sessions_per_week=24,
        working_weeks_per_year=48,
    )

    assert (posting.annual_pay_min, posting.annual_pay_max) == (69120, 86400)
