"""The licensure requirements engine against the shipped data file.

Expected requirement numbers are read from the YAML here, so a data update does not
silently change what a test means. Two anchors were checked by reading the file: TX
counselor total_hours is 3000 and CA mft direct_client_hours is 1750.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from tend.licensure.requirements import (
    DEFAULT_PATH,
    NOT_STATED,
    ExamChoice,
    HoursTotals,
    LedgerWindow,
    RequirementNotFound,
    compact_allows,
    compacts,
    exams_catalogue,
    load_requirements,
    progress,
    requirement_for,
    states,
    weekly_pace,
    what_if,
)

RAW: dict[str, Any] = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
NUMERIC_FIELDS = (
    "total_hours",
    "direct_client_hours",
    "supervision_hours",
    "supervision_individual_hours",
    "supervision_group_max_hours",
    "postdoctoral_hours",
    "min_months",
    "max_months",
)
NO_PACE = HoursTotals()


def raw_row(state: str, family: str) -> dict[str, Any]:
    (row,) = [
        r for r in RAW["requirements"] if r["state"] == state and r["license_family"] == family
    ]
    return row


def raw_compact(code: str) -> dict[str, Any]:
    (compact,) = [c for c in RAW["compacts"] if c["code"] == code]
    return compact


def write_yaml(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "requirements.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------------- loading


def test_it_loads_every_row_with_the_numbers_in_the_file() -> None:
    data = load_requirements()

    assert len(data.requirements) == len(RAW["requirements"]) == 60
    for row in data.requirements:
        raw = raw_row(row.state, row.license_family)
        assert {name: getattr(row, name) for name in NUMERIC_FIELDS} == {
            name: raw[name] for name in NUMERIC_FIELDS
        }
        assert row.exams == tuple(ExamChoice(tuple(e.split("|"))) for e in raw["exams"])
        assert row.unverified_fields == tuple(raw["unverified_fields"])
        assert row.confidence == raw["confidence"]


def test_it_lists_the_fifteen_states_and_the_catalogues() -> None:
    assert states() == tuple(sorted({r["state"] for r in RAW["requirements"]}))
    assert len(states()) == 15
    assert list(exams_catalogue()) == [e["code"] for e in RAW["exams"]]
    assert list(compacts()) == [c["code"] for c in RAW["compacts"]]


def test_it_reads_the_file_once_per_path() -> None:
    assert load_requirements() is load_requirements(DEFAULT_PATH)


def test_it_accepts_a_lower_case_state_and_refuses_an_unknown_row() -> None:
    assert requirement_for("tx", "counselor").state == "TX"
    with pytest.raises(RequirementNotFound, match="no requirement row for TX dentistry"):
        requirement_for("TX", "dentistry")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["requirements"][0].update(total_hours="3,000"), "total_hours must be a"),
        (lambda d: d["requirements"][0].update(total_hours=True), "total_hours must be a"),
        (lambda d: d["requirements"][0].update(exams=["NCE|NOPE"]), r"not in exams\[\]"),
        (lambda d: d["requirements"].append(d["requirements"][0]), "duplicate row for CA"),
        (lambda d: d["requirements"][0].pop("board"), r"missing fields \['board'\]"),
        (lambda d: d["requirements"][0].update(hours=1), r"unknown fields \['hours'\]"),
        (lambda d: d["requirements"][0].update(min_months=99), "min_months .99. exceeds"),
        (lambda d: d["requirements"][0].update(confidence="certain"), "confidence must be"),
        (lambda d: d["requirements"][0].update(unverified_fields=["pay"]), "unknown fields"),
        (lambda d: d["requirements"][0].update(as_of="March 2025"), "as_of must be"),
        (lambda d: d["requirements"][0].update(compacts=["PSYPACT"]), "does not show CA"),
        (lambda d: d["requirements"][0].update(direct_client_hours=9000), "exceeds total"),
        (lambda d: d.update(schema_version=2), "schema_version 2 is not supported"),
    ],
)
def test_it_refuses_a_malformed_file_with_a_clear_message(
    tmp_path: Path, mutate: Any, message: str
) -> None:
    document = copy.deepcopy(RAW)
    mutate(document)

    with pytest.raises(ValueError, match=message):
        load_requirements(write_yaml(tmp_path, document))


def test_it_names_the_row_that_is_malformed(tmp_path: Path) -> None:
    document = copy.deepcopy(RAW)
    document["requirements"][1]["supervision_hours"] = -5

    with pytest.raises(ValueError, match=r"requirements\[1\] \(TX counselor\): supervision_hours"):
        load_requirements(write_yaml(tmp_path, document))


def test_it_refuses_text_that_is_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("requirements: [unclosed\n", encoding="utf-8")

    with pytest.raises(ValueError, match="not valid YAML"):
        load_requirements(path)


# -------------------------------------------------------------------- required numbers


def test_the_texas_counselor_row_requires_the_numbers_in_the_file() -> None:
    raw = raw_row("TX", "counselor")
    assert raw["total_hours"] == 3000  # anchor, checked by reading the file

    report = progress(
        requirement_for("TX", "counselor"),
        HoursTotals(),
        started_on=date(2025, 1, 1),
        as_of=date(2025, 1, 1),
        recent_weekly_pace=NO_PACE,
    )

    assert [(line.rule, line.required) for line in report.lines] == [
        ("total_hours", raw["total_hours"]),
        ("direct_client_hours", raw["direct_client_hours"]),
        ("supervision_hours", raw["supervision_hours"]),
        ("supervision_individual_hours", raw["supervision_individual_hours"]),
    ]
    assert report.line("total_hours").required_text == "3,000 h"
    assert report.line("supervision_hours").required_text == NOT_STATED == "not stated in the data"
    assert report.line("supervision_hours").met is None
    assert (report.min_months.months, report.max_months.months) == (
        raw["min_months"],
        raw["max_months"],
    )


def test_the_california_mft_row_requires_the_numbers_in_the_file() -> None:
    raw = raw_row("CA", "mft")
    assert raw["direct_client_hours"] == 1750  # anchor, checked by reading the file
    totals = HoursTotals(direct_individual=1000, direct_couples_family=400, indirect=600)

    report = progress(
        requirement_for("CA", "mft"),
        totals,
        started_on=date(2024, 1, 1),
        as_of=date(2025, 1, 1),
        recent_weekly_pace=NO_PACE,
    )

    total, direct = report.line("total_hours"), report.line("direct_client_hours")
    assert (total.required, total.credited, total.remaining) == (
        raw["total_hours"],
        2000,
        raw["total_hours"] - 2000,
    )
    assert (direct.required, direct.credited, direct.remaining) == (
        raw["direct_client_hours"],
        1400,
        raw["direct_client_hours"] - 1400,
    )
    assert report.line("supervision_individual_hours").required is None


def test_a_row_with_no_hour_numbers_says_so_and_projects_nothing() -> None:
    raw = raw_row("MA", "counselor")
    assert [raw[name] for name in ("total_hours", "direct_client_hours")] == [None, None]

    report = progress(
        requirement_for("MA", "counselor"),
        HoursTotals(direct_individual=100),
        started_on=date(2025, 1, 1),
        as_of=date(2025, 3, 1),
        recent_weekly_pace=HoursTotals(direct_individual=20),
    )

    assert {line.required_text for line in report.lines} == {"not stated in the data"}
    assert report.projection.completes_on is None
    assert report.projection.reason == "The data states no hour numbers to project against."


def test_psychology_post_doctoral_hours_are_shown_but_not_computed() -> None:
    texas = progress(
        requirement_for("TX", "psychology"),
        HoursTotals(direct_individual=500),
        started_on=date(2025, 1, 1),
        as_of=date(2025, 6, 1),
        recent_weekly_pace=NO_PACE,
    ).line("postdoctoral_hours")
    ohio = progress(
        requirement_for("OH", "psychology"),
        HoursTotals(),
        started_on=date(2025, 1, 1),
        as_of=date(2025, 6, 1),
        recent_weekly_pace=NO_PACE,
    ).line("postdoctoral_hours")

    assert (texas.required, texas.credited, texas.met) == (
        raw_row("TX", "psychology")["postdoctoral_hours"],
        None,
        None,
    )
    assert texas.note == "The hour totals do not separate post-doctoral hours; not computed."
    assert (ohio.required, ohio.met) == (0, True)


# ------------------------------------------------------------------------- supervision


def test_group_supervision_counts_only_up_to_the_cap() -> None:
    raw = raw_row("NC", "counselor")
    totals = HoursTotals(supervision_individual=50, supervision_group=40)

    line = progress(
        requirement_for("NC", "counselor"),
        totals,
        started_on=date(2025, 1, 1),
        as_of=date(2025, 6, 1),
        recent_weekly_pace=NO_PACE,
    ).line("supervision_hours")

    assert line.credited == 50 + raw["supervision_group_max_hours"]
    assert line.uncredited == 40 - raw["supervision_group_max_hours"]
    assert line.remaining == raw["supervision_hours"] - 50 - raw["supervision_group_max_hours"]
    assert line.note == f"Group supervision counts up to {raw['supervision_group_max_hours']} h."


def test_a_group_cap_of_zero_means_group_supervision_is_not_credited() -> None:
    assert raw_row("MA", "social_work")["supervision_group_max_hours"] == 0

    line = progress(
        requirement_for("MA", "social_work"),
        HoursTotals(supervision_individual=60, supervision_group=30),
        started_on=date(2025, 1, 1),
        as_of=date(2025, 6, 1),
        recent_weekly_pace=NO_PACE,
    ).line("supervision_hours")

    assert (line.credited, line.uncredited) == (60, 30)
    assert line.note == "The data allows no group supervision for this license (cap 0 h)."


def test_the_individual_supervision_minimum_is_measured_on_individual_hours_only() -> None:
    raw = raw_row("NC", "counselor")
    report = progress(
        requirement_for("NC", "counselor"),
        HoursTotals(supervision_individual=50, supervision_group=25),
        started_on=date(2025, 1, 1),
        as_of=date(2025, 6, 1),
        recent_weekly_pace=NO_PACE,
    )

    line = report.line("supervision_individual_hours")
    assert (line.required, line.credited, line.remaining, line.met) == (
        raw["supervision_individual_hours"],
        50,
        raw["supervision_individual_hours"] - 50,
        False,
    )


def test_a_free_text_supervision_rate_is_carried_through_and_not_computed() -> None:
    raw = raw_row("TX", "counselor")
    report = progress(
        requirement_for("TX", "counselor"),
        HoursTotals(),
        started_on=date(2025, 1, 1),
        as_of=date(2025, 1, 1),
        recent_weekly_pace=NO_PACE,
    )

    assert [(line.rule, line.text) for line in report.rules_not_expressed_numerically] == [
        ("supervision_ratio", raw["supervision_ratio"]),
        ("degree", raw["degree"]),
        ("notes", raw["notes"]),
    ]


# ---------------------------------------------------------------------- time windows


@pytest.mark.parametrize(("days_after_boundary", "is_elapsed"), [(-1, False), (0, True), (1, True)])
def test_the_minimum_months_count_from_the_first_ledger_entry(
    days_after_boundary: int, is_elapsed: bool
) -> None:
    started_on = date(2024, 1, 15)
    boundary = started_on + relativedelta(months=raw_row("TX", "counselor")["min_months"])

    report = progress(
        requirement_for("TX", "counselor"),
        HoursTotals(),
        started_on=started_on,
        as_of=boundary + timedelta(days=days_after_boundary),
        recent_weekly_pace=NO_PACE,
    )

    assert report.min_months.boundary_on == boundary
    assert report.min_months_elapsed is is_elapsed


def test_the_month_count_is_whole_calendar_months() -> None:
    window = LedgerWindow(first_entry_on=date(2024, 1, 15), as_of=date(2025, 7, 14))

    assert window.months_elapsed == 17
    assert LedgerWindow(date(2024, 1, 15), date(2025, 7, 15)).months_elapsed == 18


@pytest.mark.parametrize(("days_after_boundary", "is_exceeded"), [(0, False), (1, True)])
def test_the_maximum_window_is_exceeded_the_day_after_it_ends(
    days_after_boundary: int, is_exceeded: bool
) -> None:
    started_on = date(2024, 1, 15)
    boundary = started_on + relativedelta(months=raw_row("TX", "counselor")["max_months"])

    report = progress(
        requirement_for("TX", "counselor"),
        HoursTotals(),
        started_on=started_on,
        as_of=boundary + timedelta(days=days_after_boundary),
        recent_weekly_pace=NO_PACE,
    )

    assert report.max_months.boundary_on == boundary
    assert report.max_months_exceeded is is_exceeded


def test_a_row_without_a_maximum_window_cannot_be_exceeded() -> None:
    assert raw_row("FL", "counselor")["max_months"] is None

    report = progress(
        requirement_for("FL", "counselor"),
        HoursTotals(),
        started_on=date(2010, 1, 1),
        as_of=date(2025, 1, 1),
        recent_weekly_pace=NO_PACE,
    )

    assert report.max_months_exceeded is None
    assert report.max_months.required_text == "not stated in the data"


def test_a_ledger_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="as_of is before the first ledger entry"):
        LedgerWindow(first_entry_on=date(2025, 2, 1), as_of=date(2025, 1, 31))


# ------------------------------------------------------------------------- projection


def test_it_projects_completion_from_the_binding_hour_rule() -> None:
    # TX counselor: 1,500 experience hours to go at 30 h/week is 50 weeks; 500 direct
    # hours at 20 h/week is 25 weeks, so total_hours binds.
    report = progress(
        requirement_for("TX", "counselor"),
        HoursTotals(direct_individual=1000, indirect=500),
        started_on=date(2024, 1, 15),
        as_of=date(2025, 3, 1),
        recent_weekly_pace=HoursTotals(direct_individual=20, indirect=10),
    )

    assert report.projection.completes_on == date(2026, 2, 14)
    assert report.projection.binding_rule == "total_hours"
    assert report.projection.exceeds_max_window is False


def test_the_projection_is_never_earlier_than_the_minimum_months() -> None:
    started_on = date(2025, 1, 1)

    report = progress(
        requirement_for("TX", "counselor"),
        HoursTotals(direct_individual=2000, indirect=900),
        started_on=started_on,
        as_of=date(2025, 3, 1),
        recent_weekly_pace=HoursTotals(direct_individual=20, indirect=10),
    )

    assert report.projection.completes_on == started_on + relativedelta(
        months=raw_row("TX", "counselor")["min_months"]
    )
    assert report.projection.binding_rule == "min_months"
    # 100 experience hours at 30 h/week take 24 days from 2025-03-01.
    assert report.projection.reason == (
        "The hour rules would be met by 2025-03-25; the 18-month minimum ends later."
    )


def test_the_projection_flags_a_finish_after_the_maximum_window() -> None:
    started_on = date(2020, 1, 1)

    report = progress(
        requirement_for("CA", "mft"),
        HoursTotals(direct_individual=1000, indirect=500),
        started_on=started_on,
        as_of=date(2025, 6, 1),
        recent_weekly_pace=HoursTotals(direct_individual=5, indirect=5),
    )

    max_end = started_on + relativedelta(months=raw_row("CA", "mft")["max_months"])
    assert report.projection.completes_on is not None
    assert report.projection.completes_on > max_end
    assert report.projection.exceeds_max_window is True


def test_there_is_no_projection_at_zero_pace() -> None:
    report = progress(
        requirement_for("TX", "counselor"),
        HoursTotals(direct_individual=1000, indirect=500),
        started_on=date(2024, 1, 15),
        as_of=date(2025, 3, 1),
        recent_weekly_pace=NO_PACE,
    )

    assert report.projection.completes_on is None
    assert report.projection.binding_rule == "total_hours"
    assert report.projection.reason == (
        "At the recent 8-week pace no hours are credited toward supervised experience "
        "(client and indirect hours), so no completion date can be projected."
    )


def test_group_hours_past_the_cap_do_not_speed_up_the_projection() -> None:
    raw = raw_row("GA", "social_work")
    as_of = date(2025, 1, 1)

    report = progress(
        requirement_for("GA", "social_work"),
        HoursTotals(
            supervision_individual=20, supervision_group=raw["supervision_group_max_hours"]
        ),
        started_on=date(2020, 1, 1),
        as_of=as_of,
        recent_weekly_pace=HoursTotals(supervision_individual=2, supervision_group=5),
    )

    weeks = (raw["supervision_hours"] - 20 - raw["supervision_group_max_hours"]) / 2
    assert report.projection.completes_on == as_of + timedelta(days=weeks * 7)
    assert report.projection.binding_rule == "supervision_hours"


def test_group_hours_speed_up_the_projection_until_the_cap_is_reached() -> None:
    raw = raw_row("GA", "social_work")
    cap, required = raw["supervision_group_max_hours"], raw["supervision_hours"]
    as_of = date(2025, 1, 1)

    report = progress(
        requirement_for("GA", "social_work"),
        HoursTotals(supervision_individual=20, supervision_group=cap - 10),
        started_on=date(2020, 1, 1),
        as_of=as_of,
        recent_weekly_pace=HoursTotals(supervision_individual=2, supervision_group=5),
    )

    # 10 group hours of room at 5/week is 2 weeks of 7 h/week; the rest at 2 h/week.
    weeks = 2 + (required - (20 + cap - 10) - 2 * 7) / 2
    assert report.projection.completes_on == as_of + timedelta(days=weeks * 7)


def test_the_weekly_pace_divides_the_last_eight_weeks() -> None:
    window = LedgerWindow(first_entry_on=date(2024, 1, 1), as_of=date(2025, 3, 1))

    assert weekly_pace(HoursTotals(direct_individual=160, indirect=40), window=window) == (
        HoursTotals(direct_individual=20, indirect=5)
    )


def test_a_ledger_younger_than_eight_weeks_is_divided_by_its_own_age() -> None:
    window = LedgerWindow(first_entry_on=date(2025, 2, 8), as_of=date(2025, 3, 1))

    assert weekly_pace(HoursTotals(direct_individual=60), window=window) == HoursTotals(
        direct_individual=20
    )


# ------------------------------------------------------------------------------ exams


@pytest.mark.parametrize(
    ("passed", "outstanding"),
    [
        (set(), [("NCE", "NCMHCE"), ("TX_JURISPRUDENCE",)]),
        ({"NCMHCE"}, [("TX_JURISPRUDENCE",)]),
        ({"NCE", "TX_JURISPRUDENCE"}, []),
        ({"NCMHCE", "TX_JURISPRUDENCE"}, []),
    ],
)
def test_either_alternative_satisfies_an_exam_written_a_or_b(
    passed: set[str], outstanding: list[tuple[str, ...]]
) -> None:
    assert raw_row("TX", "counselor")["exams"] == ["NCE|NCMHCE", "TX_JURISPRUDENCE"]

    report = progress(
        requirement_for("TX", "counselor"),
        HoursTotals(),
        started_on=date(2025, 1, 1),
        as_of=date(2025, 1, 1),
        recent_weekly_pace=NO_PACE,
        passed_exams=passed,
    )

    assert [choice.codes for choice in report.exams_outstanding] == outstanding


def test_a_three_way_alternative_reads_as_any_one_of_them() -> None:
    (choice,) = requirement_for("AZ", "counselor").exams

    assert choice.label == "NCE or NCMHCE or CRC"
    catalogue = exams_catalogue()
    assert choice.title == " or ".join(catalogue[code].name for code in ("NCE", "NCMHCE", "CRC"))
    assert choice.is_satisfied_by({"CRC"}) is True
    assert choice.is_satisfied_by({"ASWB_CLINICAL"}) is False


# ------------------------------------------------------------------ provenance labels


def test_low_confidence_rows_are_labelled() -> None:
    low = {
        (r.state, r.license_family) for r in load_requirements().requirements if r.is_low_confidence
    }

    assert low == {
        (r["state"], r["license_family"]) for r in RAW["requirements"] if r["confidence"] == "low"
    }
    assert len(low) == 6


def test_each_line_carries_the_rows_provenance_and_unverified_fields() -> None:
    raw = raw_row("AZ", "counselor")
    report = progress(
        requirement_for("AZ", "counselor"),
        HoursTotals(),
        started_on=date(2025, 1, 1),
        as_of=date(2025, 1, 1),
        recent_weekly_pace=NO_PACE,
    )

    expected = f"Source: {raw['board']}, as of {raw['as_of']}, confidence: low"
    assert report.requirement.provenance == expected
    assert {line.provenance for line in report.lines} == {expected}
    assert all(line.is_low_confidence for line in report.lines)
    assert {line.rule: line.unverified_label for line in report.lines} == {
        "total_hours": "unverified: total_hours",
        "direct_client_hours": "",
        "supervision_hours": "",
        "supervision_individual_hours": "unverified: supervision_individual_hours",
    }
    assert set(raw["unverified_fields"]) == {"total_hours", "supervision_individual_hours"}


def test_an_undated_row_says_its_source_is_undated() -> None:
    raw = raw_row("GA", "psychology")
    assert raw["as_of"] is None

    assert requirement_for("GA", "psychology").provenance == (
        f"Source: {raw['board']}, as of an undated source, confidence: {raw['confidence']}"
    )


def test_unverified_exams_and_ratio_are_labelled() -> None:
    report = progress(
        requirement_for("CA", "mft"),
        HoursTotals(),
        started_on=date(2025, 1, 1),
        as_of=date(2025, 1, 1),
        recent_weekly_pace=NO_PACE,
    )

    assert raw_row("CA", "mft")["unverified_fields"] == ["supervision_ratio"]
    assert [line.unverified_label for line in report.informational] == [
        "unverified: supervision_ratio",
        "",
        "",
    ]
    assert [status.is_unverified for status in report.exams] == [False, False]


# ---------------------------------------------------------------------------- what if


def test_what_if_measures_the_same_hours_against_the_other_states_numbers() -> None:
    totals = HoursTotals(direct_individual=1200, indirect=600, supervision_individual=80)
    pace = HoursTotals(direct_individual=15, indirect=5, supervision_individual=1)
    started_on, as_of = date(2024, 1, 15), date(2025, 3, 1)
    texas = requirement_for("TX", "counselor")
    raw = raw_row("CA", "counselor")

    result = what_if(
        "CA",
        "counselor",
        totals,
        started_on=started_on,
        as_of=as_of,
        recent_weekly_pace=pace,
        current=texas,
    )

    assert [(line.rule, line.required) for line in result.progress.lines] == [
        (rule, raw[rule])
        for rule in (
            "total_hours",
            "direct_client_hours",
            "supervision_hours",
            "supervision_individual_hours",
        )
    ]
    assert result.progress.line("direct_client_hours").remaining == (
        raw["direct_client_hours"] - 1200
    )
    assert result.progress == progress(
        requirement_for("CA", "counselor"),
        totals,
        started_on=started_on,
        as_of=as_of,
        recent_weekly_pace=pace,
    )
    assert result.transfer_notes == (
        f"The data has no field saying whether {raw['board']} credits hours accrued in another "
        f"state; these totals are counted as if it did. Check with the board: {raw['board_url']}",
        f"The data lists '{raw['associate_title']}' as the credential held while accruing "
        "hours in CA.",
        "Conditions on which hours count are only in the row notes (shown as text).",
    )


def test_what_if_says_when_the_license_family_differs_and_no_associate_title_exists() -> None:
    result = what_if(
        "TX",
        "psychology",
        HoursTotals(),
        started_on=date(2025, 1, 1),
        as_of=date(2025, 1, 1),
        recent_weekly_pace=NO_PACE,
        current=requirement_for("TX", "counselor"),
    )

    assert result.transfer_notes[0] == (
        f"The hours were logged toward {raw_row('TX', 'counselor')['license_title']}; the data "
        f"does not say whether they count toward {raw_row('TX', 'psychology')['license_title']}."
    )
    assert (
        what_if(
            "PA",
            "counselor",
            HoursTotals(),
            started_on=date(2025, 1, 1),
            as_of=date(2025, 1, 1),
            recent_weekly_pace=NO_PACE,
        ).transfer_notes[1]
        == "The data lists no associate credential for PA."
    )


# ---------------------------------------------------------------------------- compacts


def test_compact_membership_is_as_sourced_with_the_compact_status() -> None:
    counseling = raw_compact("COUNSELING_COMPACT")
    assert "AZ" in counseling["members_in_scope"]
    assert "CA" in counseling["not_members_in_scope"]

    member = compact_allows("COUNSELING_COMPACT", "AZ")
    assert member.is_member is True
    assert member.explanation == (
        "The data lists AZ as a member of the Counseling Compact "
        f"(status: {counseling['status']}). {counseling['status_detail']}"
    )
    assert compact_allows("COUNSELING_COMPACT", "ca").is_member is False


def test_compact_membership_the_data_does_not_establish_is_unknown() -> None:
    social_work = raw_compact("SWLC")
    assert "TX" not in social_work["members_sourced"] + social_work["not_members_in_scope"]

    assert compact_allows("SWLC", "TX").is_member is None
    with pytest.raises(RequirementNotFound, match="no compact 'NOPE'"):
        compact_allows("NOPE", "TX")


# ------------------------------------------------------------------------- invariants

hours = st.integers(min_value=0, max_value=5000)
rates = st.integers(min_value=0, max_value=40)


@settings(max_examples=150, deadline=None)
@given(
    row_index=st.integers(min_value=0, max_value=59),
    totals=st.builds(HoursTotals, hours, hours, hours, hours, hours, hours),
    pace=st.builds(HoursTotals, rates, rates, rates, rates, rates, rates),
    months_in=st.integers(min_value=0, max_value=130),
)
def test_no_row_credits_more_than_was_logged_or_projects_before_the_minimum(
    row_index: int, totals: HoursTotals, pace: HoursTotals, months_in: int
) -> None:
    started_on = date(2020, 1, 31)
    as_of = started_on + relativedelta(months=months_in)
    report = progress(
        load_requirements().requirements[row_index],
        totals,
        started_on=started_on,
        as_of=as_of,
        recent_weekly_pace=pace,
    )

    for line in report.lines:
        if line.credited is not None:
            assert line.credited + line.uncredited <= totals.all_logged
        if line.remaining is not None and line.credited is not None:
            assert line.met is (line.remaining == 0)
    completes_on = report.projection.completes_on
    if completes_on is not None:
        assert completes_on >= as_of
        if report.min_months.boundary_on is not None:
            assert completes_on >= report.min_months.boundary_on
