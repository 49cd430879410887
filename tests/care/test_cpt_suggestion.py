"""CPT suggestion for psychotherapy sessions, checked minute by minute against the data file.

Expected codes are derived here from a plain yaml.safe_load of the data, not through the
engine's own loader, so a bug in the engine's parsing cannot hide itself.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tend.care.cpt import (
    CptAddOn,
    CptDataError,
    CptSuggestion,
    parse_cpt_data,
    suggest_cpt,
)

DATA_PATH = Path(__file__).resolve().parents[2] / "data" / "cpt_psychotherapy.yaml"
RAW: dict[str, Any] = yaml.safe_load(DATA_PATH.read_text(encoding="utf-8"))
CODES: dict[str, dict[str, Any]] = {entry["code"]: entry for entry in RAW["codes"]}
MINUTES = range(241)


def _row_for(table: list[dict[str, Any]], minutes: int) -> dict[str, Any]:
    matches = [
        row
        for row in table
        if row["min_minutes"] <= minutes
        and (row["max_minutes"] is None or minutes <= row["max_minutes"])
    ]
    assert len(matches) == 1, f"{minutes} minutes matches {len(matches)} rows"
    return matches[0]


def _expected_individual(minutes: int) -> str | None:
    return _row_for(RAW["psychotherapy_time_table"], minutes)["code"]


def _expected_crisis(minutes: int) -> tuple[str | None, int]:
    """(primary code, units of the crisis add-on), worked out by counting units one by one."""
    row = _row_for(RAW["crisis_time_table"], minutes)
    if CODES[row["code"]]["category"] != "crisis":
        # The row's note: short crisis time is reported as ordinary psychotherapy.
        return _expected_individual(minutes), 0
    if "add_on" not in row:
        return row["code"], 0
    covered = CODES[row["code"]]["max_minutes"]
    unit = CODES[row["add_on"]]["nominal_minutes"]
    units = 0
    while covered < minutes:
        units += 1
        covered += unit
    return row["code"], units


def test_the_data_file_keeps_its_sources_and_ama_notice() -> None:
    text = DATA_PATH.read_text(encoding="utf-8")

    assert "CPT® codes are © American Medical Association" in text
    assert (
        RAW["sources"][0]
        == "https://www.apaservices.org/practice/reimbursement/health-codes/psychotherapy"
    )
    assert len(RAW["sources"]) == 6


@pytest.mark.parametrize("minutes", MINUTES)
def test_individual_code_follows_the_psychotherapy_time_table(minutes: int) -> None:
    expected = _expected_individual(minutes)

    suggestion = suggest_cpt(service="individual", minutes=minutes)

    assert (suggestion.code, suggestion.reportable) == (expected, expected is not None)
    assert suggestion.units == (0 if expected is None else 1)


@pytest.mark.parametrize("minutes", MINUTES)
def test_crisis_code_and_add_on_units_follow_the_crisis_time_table(minutes: int) -> None:
    code, add_on_units = _expected_crisis(minutes)
    expected_add_ons = (CptAddOn("90840", add_on_units),) if add_on_units else ()

    suggestion = suggest_cpt(service="crisis", minutes=minutes)

    assert (suggestion.code, suggestion.add_ons) == (code, expected_add_ons)
    assert suggestion.reportable is (code is not None)


@pytest.mark.parametrize("minutes", MINUTES)
@pytest.mark.parametrize(
    ("service", "client_present", "code"),
    [
        ("family", True, "90847"),
        ("family", False, "90846"),
        ("couples", True, "90847"),
        ("couples", False, "90846"),
        ("collateral", False, "90846"),
    ],
)
def test_family_codes_follow_the_family_time_rule(
    minutes: int, service: str, client_present: bool, code: str
) -> None:
    reportable = minutes >= RAW["family_time_rule"]["min_minutes"]

    suggestion = suggest_cpt(service=service, minutes=minutes, client_present=client_present)

    assert (suggestion.code, suggestion.reportable) == (code if reportable else None, reportable)


@pytest.mark.parametrize("minutes", [0, 1, 45, 240])
@pytest.mark.parametrize(("service", "code"), [("intake", "90791"), ("group", "90853")])
def test_untimed_services_get_their_code_at_any_length(
    minutes: int, service: str, code: str
) -> None:
    suggestion = suggest_cpt(service=service, minutes=minutes)

    assert (suggestion.code, suggestion.units, suggestion.reportable) == (code, 1, True)


@pytest.mark.parametrize(
    ("minutes", "code"),
    [
        (15, None),
        (16, "90832"),
        (37, "90832"),
        (38, "90834"),
        (45, "90834"),
        (52, "90834"),
        (53, "90837"),
        (60, "90837"),
        (240, "90837"),
    ],
)
def test_individual_anchor_minutes_give_the_published_codes(minutes: int, code: str | None) -> None:
    assert suggest_cpt(service="individual", minutes=minutes).code == code


def test_it_explains_an_individual_session_in_plain_english() -> None:
    suggestion = suggest_cpt(service="individual", minutes=45)

    assert suggestion == CptSuggestion(
        code="90834",
        units=1,
        add_ons=(),
        place_of_service="11",
        modifiers=(),
        explanation=(
            "45 minutes of individual psychotherapy falls in 38\u201352 minutes \u2192 90834. "
            "In person in the office \u2192 place of service 11 (Office)."
        ),
        reportable=True,
    )


def test_a_15_minute_individual_session_is_not_reportable_and_has_no_claim_fields() -> None:
    suggestion = suggest_cpt(
        service="individual",
        minutes=15,
        telehealth=True,
        client_at_home=True,
        interactive_complexity=True,
    )

    assert suggestion == CptSuggestion(
        code=None,
        units=0,
        add_ons=(),
        place_of_service=None,
        modifiers=(),
        explanation=(
            "15 minutes of individual psychotherapy falls in 0\u201315 minutes \u2192 not "
            "reportable as psychotherapy (90832 needs at least 16 minutes)."
        ),
        reportable=False,
    )


def test_family_with_the_client_present_is_90847_and_without_is_90846() -> None:
    with_client = suggest_cpt(service="family", minutes=50)
    without_client = suggest_cpt(service="family", minutes=50, client_present=False)

    assert (with_client.code, without_client.code) == ("90847", "90846")
    assert with_client.explanation.startswith(
        "50 minutes of family psychotherapy with the client present meets the 26-minute "
        "minimum for 90847 \u2192 90847."
    )


def test_family_under_the_minimum_is_not_reportable() -> None:
    suggestion = suggest_cpt(service="family", minutes=25)

    assert suggestion.reportable is False
    assert suggestion.explanation == (
        "25 minutes of family psychotherapy with the client present is under the 26-minute "
        "minimum for 90847 \u2192 not reportable."
    )


def test_a_60_minute_crisis_is_90839_alone() -> None:
    suggestion = suggest_cpt(service="crisis", minutes=60)

    assert (suggestion.code, suggestion.units, suggestion.add_ons) == ("90839", 1, ())


@pytest.mark.parametrize(
    ("minutes", "units"), [(74, 0), (75, 1), (104, 1), (105, 2), (134, 2), (135, 3)]
)
def test_crisis_add_on_units_match_the_examples_in_the_data(minutes: int, units: int) -> None:
    # 90840 units_rule: "75-104 min = 1 unit, 105-134 = 2, ..." — 105 minutes is 2 units.
    expected = (CptAddOn("90840", units),) if units else ()

    assert suggest_cpt(service="crisis", minutes=minutes).add_ons == expected


def test_it_explains_the_crisis_add_on_units() -> None:
    suggestion = suggest_cpt(service="crisis", minutes=105)

    assert suggestion.explanation == (
        "105 minutes of crisis psychotherapy falls in 75 minutes or more \u2192 90839 for the "
        "first 74 minutes plus 2 units of 90840 for the remaining 31 minutes (one unit per 30 "
        "minutes or part of it). In person in the office \u2192 place of service 11 (Office)."
    )


def test_a_short_crisis_is_coded_as_ordinary_psychotherapy() -> None:
    suggestion = suggest_cpt(service="crisis", minutes=20)

    assert suggestion.code == "90832"
    assert suggestion.explanation.startswith(
        "20 minutes of crisis psychotherapy is under the 30-minute minimum for 90839, so it is "
        "coded as ordinary psychotherapy. 20 minutes of individual psychotherapy falls in "
        "16\u201337 minutes \u2192 90832."
    )


def test_intake_is_90791() -> None:
    suggestion = suggest_cpt(service="intake", minutes=90)

    assert (suggestion.code, suggestion.place_of_service) == ("90791", "11")
    assert suggestion.explanation.startswith(
        "An intake assessment \u2192 90791; the code is not time-based, so the session length "
        "(90 minutes) does not change it."
    )


@pytest.mark.parametrize(
    ("client_at_home", "place_of_service"), [(True, "10"), (False, "02"), (None, None)]
)
def test_video_telehealth_uses_the_client_location_and_modifier_95(
    client_at_home: bool | None, place_of_service: str | None
) -> None:
    suggestion = suggest_cpt(
        service="individual", minutes=53, telehealth=True, client_at_home=client_at_home
    )

    assert (suggestion.place_of_service, suggestion.modifiers) == (place_of_service, ("95",))
    assert suggestion.reportable is True


def test_audio_only_telehealth_uses_modifier_93() -> None:
    suggestion = suggest_cpt(
        service="individual",
        minutes=45,
        telehealth=True,
        telehealth_audio_only=True,
        client_at_home=True,
    )

    assert (suggestion.place_of_service, suggestion.modifiers) == ("10", ("93",))
    assert suggestion.explanation.endswith(
        "Audio-only telehealth with the client at home \u2192 place of service 10 (Telehealth "
        "\u2014 patient in their home) and modifier 93 (Synchronous telemedicine via telephone "
        "/ audio-only)."
    )


def test_telehealth_without_the_client_location_asks_for_it() -> None:
    suggestion = suggest_cpt(service="individual", minutes=45, telehealth=True)

    assert suggestion.explanation.endswith(
        "Place of service depends on where the client was: 10 at home, 02 elsewhere; record "
        "the client's location."
    )


def test_an_in_person_visit_at_the_client_home_is_place_of_service_12() -> None:
    suggestion = suggest_cpt(service="individual", minutes=45, client_at_home=True)

    assert (suggestion.place_of_service, suggestion.modifiers) == ("12", ())


@pytest.mark.parametrize(
    ("service", "minutes", "add_ons"),
    [
        ("individual", 45, (CptAddOn("90785", 1),)),
        ("intake", 60, (CptAddOn("90785", 1),)),
        ("group", 90, (CptAddOn("90785", 1),)),
        ("family", 50, ()),
        ("crisis", 60, ()),
        ("crisis", 80, (CptAddOn("90840", 1),)),
        ("crisis", 20, (CptAddOn("90785", 1),)),
    ],
)
def test_interactive_complexity_is_added_only_where_the_data_allows(
    service: str, minutes: int, add_ons: tuple[CptAddOn, ...]
) -> None:
    suggestion = suggest_cpt(service=service, minutes=minutes, interactive_complexity=True)

    assert suggestion.add_ons == add_ons


def test_it_says_why_interactive_complexity_was_left_off() -> None:
    suggestion = suggest_cpt(service="family", minutes=50, interactive_complexity=True)

    assert "Interactive complexity (90785) may not be added to 90847, so it is left off." in (
        suggestion.explanation
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"service": "individual", "minutes": -1}, "minutes cannot be negative, got -1."),
        (
            {"service": "individual", "minutes": 1441},
            "1441 minutes is longer than a day (1440 minutes); check the session times.",
        ),
        (
            {"service": "massage", "minutes": 45},
            "Unknown service 'massage'; expected one of intake, individual, couples, family, "
            "group, crisis, collateral.",
        ),
        (
            {"service": "individual", "minutes": 45, "telehealth_audio_only": True},
            "telehealth_audio_only needs telehealth=True.",
        ),
        (
            {"service": "individual", "minutes": 45, "client_present": False},
            "individual psychotherapy needs the client present for all or part of the session; "
            "use service='collateral' (or family/couples with client_present=False) instead.",
        ),
    ],
)
def test_it_rejects_impossible_input(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        suggest_cpt(**arguments)

    assert str(raised.value) == message


def test_it_accepts_exactly_one_day() -> None:
    assert suggest_cpt(service="individual", minutes=1440).code == "90837"


def test_it_rejects_minutes_that_are_not_whole_numbers() -> None:
    with pytest.raises(TypeError, match=r"minutes must be a whole number, got 45\.5\."):
        suggest_cpt(service="individual", minutes=45.5)  # type: ignore[arg-type]


def _broken(edit: str) -> dict[str, Any]:
    raw = copy.deepcopy(RAW)
    match edit:
        case "gap":
            raw["psychotherapy_time_table"][2]["min_minutes"] = 39
        case "drift":
            raw["codes"][2]["max_minutes"] = 36
        case "unquoted":
            raw["place_of_service"]["codes"][0]["code"] = 2
        case "rule":
            raw["crisis_time_table"][2]["add_on_units_rule"] = "minutes // 30"
        case "family":
            raw["family_time_rule"]["min_minutes"] = 30
    return raw


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            "gap",
            "cpt_psychotherapy.yaml: psychotherapy_time_table[2]: starts at 39 minutes but the "
            "band before ends at 37; bands must not leave gaps or overlap",
        ),
        (
            "drift",
            "cpt_psychotherapy.yaml: psychotherapy_time_table[1]: says 90832 is 16\u201337 "
            "minutes but its code entry says 16..36",
        ),
        (
            "unquoted",
            "cpt_psychotherapy.yaml: place_of_service.codes[0]: 'code' must be a non-empty "
            'string (quote codes like "02"), got 2',
        ),
        (
            "rule",
            "cpt_psychotherapy.yaml: crisis_time_table[2]: add_on_units_rule 'minutes // 30' is "
            "not of the form 'ceil((minutes - N) / M)'",
        ),
        (
            "family",
            "cpt_psychotherapy.yaml: family_time_rule: min_minutes disagrees with code 90846",
        ),
    ],
)
def test_it_rejects_a_data_file_with_a_clear_error(edit: str, message: str) -> None:
    with pytest.raises(CptDataError) as raised:
        parse_cpt_data(_broken(edit))

    assert str(raised.value) == message


def test_the_shipped_data_file_passes_validation() -> None:
    data = parse_cpt_data(copy.deepcopy(RAW))

    assert (data.family_min_minutes, len(data.psychotherapy_time_table)) == (26, 4)
