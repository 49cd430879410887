from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import time_machine

from tend.careers.display import associate_outlook
from tend.careers.eligibility import (
    NO_HOURS_LOGGED,
    HoursStanding,
    Outcome,
    credentials_for,
    eligibility_for,
    hours_standing_for,
)
from tend.careers.selectors import JobSearch, search_postings
from tend.licensure.requirements import HoursTotals
from tend.licensure.services import compact_privilege_add, hours_entry_add
from tests.careers.factories import make_license, make_posting
from tests.conftest import Cast, signed_in

TODAY = date(2026, 11, 27)
travel = time_machine.travel("2026-11-27 10:00 -06:00", tick=False)


@travel
def test_an_active_licence_in_the_posting_state_is_eligible(cast: Cast) -> None:
    make_license(cast.clinician, state="TX", title="LPC", expires_on=date(2028, 1, 31))
    posting = make_posting(cast.organization, cast.owner, licensed_states=["TX"])

    result = eligibility_for(posting, credentials_for(cast.clinician, today=TODAY))

    assert result.outcome == Outcome.ELIGIBLE
    assert result.reasons == ["Your active LPC licence in TX (expires Jan 31, 2028) covers TX."]


@travel
def test_a_licence_in_another_state_is_not_eligible(cast: Cast) -> None:
    make_license(cast.clinician, state="CA", title="LPCC")
    posting = make_posting(cast.organization, cast.owner, licensed_states=["TX"])

    result = eligibility_for(posting, credentials_for(cast.clinician, today=TODAY))

    assert result.outcome == Outcome.NOT_ELIGIBLE
    assert result.reasons == ["You hold no licence or compact privilege for TX."]


@travel
def test_a_compact_member_home_licence_is_eligible_with_the_condition_of_a_privilege(
    cast: Cast,
) -> None:
    make_license(cast.clinician, state="FL", title="LMHC")
    posting = make_posting(cast.organization, cast.owner, licensed_states=["GA"])

    result = eligibility_for(posting, credentials_for(cast.clinician, today=TODAY))

    assert result.outcome == Outcome.CONDITIONS
    assert result.reasons == [
        "Needs a Counseling Compact privilege for GA, which your FL LMHC licence allows "
        "per the data (compact status: partially_operational)."
    ]


@travel
def test_a_compact_privilege_already_held_is_eligible(cast: Cast) -> None:
    home = make_license(cast.clinician, state="FL", title="LMHC")
    compact_privilege_add(
        holder=cast.clinician,
        home_license=home,
        compact_code="COUNSELING_COMPACT",
        state="GA",
        expires_on=date(2027, 6, 30),
    )
    posting = make_posting(cast.organization, cast.owner, licensed_states=["GA"])

    result = eligibility_for(posting, credentials_for(cast.clinician, today=TODAY))

    assert result.outcome == Outcome.ELIGIBLE
    assert result.reasons == [
        "Your COUNSELING_COMPACT privilege covers GA (home licence LMHC, FL)."
    ]


@travel
def test_a_texas_licence_gets_no_counseling_compact_route_because_texas_is_not_a_member(
    cast: Cast,
) -> None:
    make_license(cast.clinician, state="TX", title="LPC")
    posting = make_posting(cast.organization, cast.owner, licensed_states=["GA"])

    result = eligibility_for(posting, credentials_for(cast.clinician, today=TODAY))

    assert result.outcome == Outcome.NOT_ELIGIBLE


@travel
def test_an_expired_licence_is_not_eligible_and_says_when_it_expired(cast: Cast) -> None:
    make_license(cast.clinician, state="TX", title="LPC", expires_on=date(2026, 10, 31))
    posting = make_posting(cast.organization, cast.owner, licensed_states=["TX"])

    result = eligibility_for(posting, credentials_for(cast.clinician, today=TODAY))

    assert result.outcome == Outcome.NOT_ELIGIBLE
    assert result.reasons == [
        "You hold no licence or compact privilege for TX.",
        "Your LPC licence in TX expired on Oct 31, 2026.",
    ]


@travel
def test_an_associate_is_not_eligible_where_no_supervision_is_provided(cast: Cast) -> None:
    make_license(cast.associate, state="TX", title="LPC Associate", status="associate")
    posting = make_posting(
        cast.organization, cast.owner, accepts_associates=True, supervision_provided=False
    )

    result = eligibility_for(posting, credentials_for(cast.associate, today=TODAY))

    assert result.outcome == Outcome.NOT_ELIGIBLE
    assert result.reasons == [
        "You hold an associate registration (LPC Associate) in TX, and this posting provides "
        "no supervision toward licensure."
    ]


@travel
def test_an_associate_is_eligible_with_conditions_where_supervision_is_provided(
    cast: Cast,
) -> None:
    make_license(cast.associate, state="TX", title="LPC Associate", status="associate")
    posting = make_posting(
        cast.organization,
        cast.owner,
        accepts_associates=True,
        supervision_provided=True,
        supervisor_credential="LPC-S",
        supervision_hours_per_week=Decimal("1"),
    )

    result = eligibility_for(posting, credentials_for(cast.associate, today=TODAY))

    assert result.outcome == Outcome.CONDITIONS
    assert result.reasons == [
        "As an associate (LPC Associate, TX) under the supervision the employer provides "
        "(LPC-S, 1 h/week)."
    ]


@travel
def test_a_licence_in_a_family_the_posting_does_not_accept_is_not_eligible(cast: Cast) -> None:
    make_license(cast.clinician, state="TX", family="mft", title="LMFT")
    posting = make_posting(cast.organization, cast.owner, license_families=["counselor"])

    result = eligibility_for(posting, credentials_for(cast.clinician, today=TODAY))

    assert result.outcome == Outcome.NOT_ELIGIBLE
    assert result.reasons == [
        "None of your licences is in a family this posting accepts (Professional counselor)."
    ]


@travel
def test_without_ledger_entries_the_hours_are_said_to_be_missing(cast: Cast) -> None:
    standing = hours_standing_for(cast.associate, today=TODAY)

    assert standing.is_recorded is False
    assert standing.totals.all_logged == 0
    assert standing.note == NO_HOURS_LOGGED == "no hours logged in your ledger yet"


def _log(cast: Cast, category: str, first_day: date, days: int, hours_a_day: int) -> None:
    for day in range(days):
        hours_entry_add(
            organization=cast.organization,
            associate=cast.associate,
            category=category,
            worked_on=first_day + timedelta(days=day),
            minutes=hours_a_day * 60,
            site="Previous agency",
            description="Outpatient counseling",
        )


@travel
def test_hours_come_from_the_associates_ledger_and_move_the_projected_date(cast: Cast) -> None:
    make_license(
        cast.associate, state="TX", title="LPC Associate", status="associate",
        issued_on=date(2025, 6, 1),
    )  # fmt: skip
    _log(cast, "direct_individual", date(2025, 7, 1), days=40, hours_a_day=8)
    _log(cast, "supervision_individual", date(2025, 7, 1), days=8, hours_a_day=2)
    posting = make_posting(
        cast.organization,
        cast.owner,
        accepts_associates=True,
        supervision_provided=True,
        supervision_hours_per_week=Decimal("1"),
    )
    credentials = credentials_for(cast.associate, today=TODAY)

    standing = hours_standing_for(cast.associate, today=TODAY)
    with_hours = associate_outlook(posting, credentials, standing=standing)
    from_zero = associate_outlook(
        posting, credentials, standing=HoursStanding(HoursTotals(), False, NO_HOURS_LOGGED)
    )

    assert standing.is_recorded
    assert (standing.totals.direct_individual, standing.totals.supervision_individual) == (320, 16)
    assert standing.started_on == date(2025, 7, 1)
    assert standing.note == "336 h logged in your hours ledger, 0 h of them verified"
    [outlook] = with_hours
    [baseline] = from_zero
    assert outlook.completes_on is not None and baseline.completes_on is not None
    assert outlook.completes_on < baseline.completes_on
    page = signed_in(cast.associate).get(f"/careers/jobs/{posting.public_id}/")
    html = page.content.decode()
    assert "336 h logged in your hours ledger, 0 h of them verified." in html
    assert outlook.completes_on.strftime("%b %-d, %Y") in html


@travel
def test_only_jobs_i_qualify_for_matches_the_eligibility_shown_on_each_posting(
    cast: Cast,
) -> None:
    make_license(cast.clinician, state="FL", title="LMHC")
    make_license(cast.clinician, state="TX", family="mft", title="LMFT", status="associate")
    combinations = [
        {"licensed_states": ["FL"]},
        {"licensed_states": ["GA"]},
        {"licensed_states": ["CA"]},
        {"licensed_states": ["CA", "OH"]},
        {"licensed_states": ["TX"], "license_families": ["mft"]},
        {
            "licensed_states": ["TX"],
            "license_families": ["mft"],
            "accepts_associates": True,
            "supervision_provided": True,
            "supervision_hours_per_week": Decimal("2"),
        },
        {"licensed_states": ["FL"], "license_families": ["psychology"]},
    ]
    postings = [
        make_posting(cast.organization, cast.owner, title=f"Job {index}", **changes)
        for index, changes in enumerate(combinations)
    ]
    credentials = credentials_for(cast.clinician, today=TODAY)

    found = search_postings(
        JobSearch(only_qualifying=True, sort="date"), today=TODAY, credentials=credentials
    )

    expected = {
        posting.title
        for posting in postings
        if eligibility_for(posting, credentials).outcome != Outcome.NOT_ELIGIBLE
    }
    assert expected == {"Job 0", "Job 1", "Job 3", "Job 5"}
    assert {posting.title for posting in found.postings} == expected
