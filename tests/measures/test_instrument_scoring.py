"""The measurement-instrument engine against the shipped data/instruments.yaml.

Expected band edges, critical-item tests and change thresholds are written out by hand
from the data file, so a data edit that moves a clinical number fails here. The property
tests' oracle reads the raw YAML and sums the answers without the engine.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tend.measures.instruments import (
    DEFAULT_PATH,
    CriticalFlag,
    ItemNumber,
    change_between,
    load_instruments,
)

RAW: dict[str, Any] = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
RAW_BY_ID: dict[str, dict[str, Any]] = {entry["id"]: entry for entry in RAW["instruments"]}
INSTRUMENTS = load_instruments()

PHQ_BANDS: list[tuple[float, float, str]] = [
    (0, 4, "Minimal"),
    (5, 9, "Mild"),
    (10, 14, "Moderate"),
    (15, 19, "Moderately severe"),
    (20, 27, "Severe"),
]
# (first, last reachable-or-inclusive total, label); for the visual-analogue scales the
# last total of a max_exclusive band is one tenth below the edge.
BANDS: dict[str, list[tuple[float, float, str]]] = {
    "phq9": PHQ_BANDS,
    "phq_a": PHQ_BANDS,
    "phq2": [(0, 2, "Negative screen"), (3, 6, "Positive screen — administer PHQ-9")],
    "gad7": [(0, 4, "Minimal"), (5, 9, "Mild"), (10, 14, "Moderate"), (15, 21, "Severe")],
    "gad2": [(0, 2, "Negative screen"), (3, 6, "Positive screen — administer GAD-7")],
    "pcl5": [
        (0, 30, "Below provisional PTSD cut-point"),
        (31, 80, "Probable PTSD (cut-point 31-33; use 33 for a conservative setting)"),
    ],
    "audit": [
        (0, 7, "Zone I — low risk (alcohol education)"),
        (8, 15, "Zone II — hazardous use (simple advice)"),
        (16, 19, "Zone III — harmful use (advice plus brief counselling, monitoring)"),
        (20, 40, "Zone IV — possible dependence (refer for diagnostic evaluation)"),
    ],
    "dast10": [
        (0, 0, "No problems reported"),
        (1, 2, "Low level"),
        (3, 5, "Moderate level"),
        (6, 8, "Substantial level"),
        (9, 10, "Severe level"),
    ],
    "epds": [
        (0, 9, "Below screening threshold"),
        (10, 12, "Possible depression — repeat / assess"),
        (13, 30, "Probable depression — clinical assessment"),
    ],
    "who5": [
        (0, 28, "Likely depression — assess"),
        (29, 50, "Poor well-being — screen for depression"),
        (51, 100, "Adequate well-being"),
    ],
    "k10": [
        (10, 15, "Low distress"),
        (16, 21, "Moderate distress"),
        (22, 29, "High distress"),
        (30, 50, "Very high distress"),
    ],
    "core10": [
        (0, 5, "Healthy"),
        (6, 10, "Low level"),
        (11, 14, "Mild"),
        (15, 19, "Moderate"),
        (20, 24, "Moderate-to-severe"),
        (25, 40, "Severe"),
    ],
    "ors": [(0, 24.9, "Clinical range (adult)"), (25, 40, "Non-clinical range (adult)")],
    "srs": [
        (0, 35.9, "Below cut-off — discuss alliance with client"),
        (36, 40, "At/above cut-off"),
    ],
}
AUDIT_C_POSITIVE = "Positive — hazardous drinking or active AUD possible"
AUDIT_C_BANDS: dict[str, list[tuple[float, float, str]]] = {
    "male": [(0, 3, "Negative"), (4, 12, AUDIT_C_POSITIVE)],
    "female": [(0, 2, "Negative"), (3, 12, AUDIT_C_POSITIVE)],
}
SUMMED = [*sorted(BANDS), "audit_c"]
VISUAL_ANALOGUE = {"ors", "srs"}
# K10 follow-up item -> the item whose answer 1 ("none of the time") skips it.
K10_FOLLOW_UPS: dict[ItemNumber, int] = {3: 2, 6: 5, 9: 7}


def boundaries(table: dict[str, list[tuple[float, float, str]]]) -> list[tuple[str, float, str]]:
    return [
        (key, edge, label)
        for key, bands in table.items()
        for low, high, label in bands
        for edge in (low, high)
    ]


def raw_scored_items(instrument_id: str) -> list[dict[str, Any]]:
    raw = RAW_BY_ID[instrument_id]
    return [item for item in raw["items"] if item["n"] in raw["scoring"]["items"]]


def raw_values(item: dict[str, Any]) -> list[int]:
    options = item.get("options") or RAW["response_sets"][item["response_set"]]
    return [option["value"] for option in options]


def write_yaml(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "instruments.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def raw_instrument(document: dict[str, Any], instrument_id: str) -> dict[str, Any]:
    (entry,) = [entry for entry in document["instruments"] if entry["id"] == instrument_id]
    return entry


def all_answered(instrument_id: str, value: float) -> dict[ItemNumber, float]:
    return dict.fromkeys(RAW_BY_ID[instrument_id]["scoring"]["items"], value)


def flag_ids(flags: tuple[CriticalFlag, ...]) -> list[tuple[str, str]]:
    return [(flag.id, flag.status) for flag in flags]


# ------------------------------------------------------------------------- loading


def test_it_loads_every_instrument_in_the_data() -> None:
    assert list(INSTRUMENTS) == [
        "phq9",
        "phq2",
        "gad7",
        "gad2",
        "pcl5",
        "audit",
        "audit_c",
        "dast10",
        "cssrs_screener",
        "epds",
        "who5",
        "k10",
        "ors",
        "srs",
        "core10",
        "phq_a",
    ]


def test_it_reads_the_default_file_once() -> None:
    assert load_instruments()["phq9"] is load_instruments()["phq9"]


def test_it_carries_codes_licence_and_sources_through() -> None:
    phq9 = INSTRUMENTS["phq9"]
    epds = INSTRUMENTS["epds"]

    assert (phq9.loinc_panel, phq9.loinc_total) == ("44249-1", "44261-6")
    assert (INSTRUMENTS["k10"].loinc_panel, INSTRUMENTS["k10"].loinc_total) == (None, None)
    assert epds.loinc_unverified == ("99046-5",)
    assert phq9.sources[0] == "https://www.phqscreeners.com/"
    assert epds.required_citation is not None
    assert epds.required_citation.startswith("Cox, J.L., Holden, J.M., and Sagovsky, R. 1987.")
    assert phq9.license_statement.endswith(
        "No permission required to reproduce, translate, display or distribute."
    )


def test_it_shows_item_text_only_where_the_licence_includes_it() -> None:
    phq9 = INSTRUMENTS["phq9"]
    k10 = INSTRUMENTS["k10"]

    assert phq9.item(1).display_text == "Little interest or pleasure in doing things"
    assert phq9.instructions == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert phq9.why_text_withheld is None
    assert k10.item(1).display_text is None
    assert k10.item(1).construct == "unexplained fatigue"
    assert k10.why_text_withheld == (
        "K10 item wording is not shown (licence: free use terms unverified). "
        + RAW_BY_ID["k10"]["license"]["statement"]
    )
    withheld = {key for key, instrument in INSTRUMENTS.items() if not instrument.text_included}
    assert withheld == {"dast10", "cssrs_screener", "k10", "ors", "srs", "core10", "phq_a"}
    for key in withheld:
        instrument = INSTRUMENTS[key]
        assert [item.display_text for item in instrument.items] == [None] * len(instrument.items)
        assert (instrument.instructions, instrument.stem) == (None, None)


def test_it_treats_higher_as_better_only_for_who5_ors_and_srs() -> None:
    better_high = {key for key, instrument in INSTRUMENTS.items() if instrument.higher_is_better}

    assert better_high == {"who5", "ors", "srs"}


def test_it_reads_response_option_labels_and_codes() -> None:
    options = INSTRUMENTS["phq9"].item(1).options

    assert [(o.value, o.label, o.loinc) for o in options] == [
        (0, "Not at all", "LA6568-5"),
        (1, "Several days", "LA6569-3"),
        (2, "More than half the days", "LA6570-1"),
        (3, "Nearly every day", "LA6571-9"),
    ]


@pytest.mark.parametrize(
    ("instrument_id", "edit", "message"),
    [
        (
            "phq9",
            lambda entry: entry["bands"][1].update(min=6),
            "instrument 'phq9' bands: band 'Mild' starts at 6; after 'Minimal' it must start at 5",
        ),
        (
            "ors",
            lambda entry: entry["bands"][1].update(min=26),
            "instrument 'ors' bands: band 'Non-clinical range (adult)' starts at 26; after "
            "'Clinical range (adult)' it must start at 25",
        ),
        (
            "gad7",
            lambda entry: entry["scoring"].update(range=[0, 20]),
            "instrument 'gad7': scoring.range [0, 20] disagrees with the items' answers, "
            "which sum to [0, 21]",
        ),
        (
            "k10",
            lambda entry: entry["items"][0].update(text="Any wording"),
            "instrument 'k10' item 1: carries item text but license.text_included is false",
        ),
        (
            "epds",
            lambda entry: entry["critical_items"][0]["condition"].update(item=11),
            "instrument 'epds' critical_items[0]: condition names item 11, which is not on "
            "the form",
        ),
        (
            "epds",
            lambda entry: entry["critical_items"][0]["condition"].update(op="=>"),
            "instrument 'epds' critical_items[0]: op must be one of",
        ),
        (
            "phq9",
            lambda entry: entry["change_thresholds"][2].update(rule="total under 5"),
            "instrument 'phq9' change_thresholds[2]: cannot read the remission rule "
            "'total under 5'",
        ),
        (
            "ors",
            lambda entry: entry["change_thresholds"][0].update(kind="reliable_chnage"),
            "instrument 'ors' change_thresholds[0]: unknown kind 'reliable_chnage'",
        ),
        (
            "core10",
            lambda entry: entry["scoring"].update(reverse_items=[2]),
            "instrument 'core10': scoring.reverse_items disagrees with the items' reverse flags",
        ),
        (
            "pcl5",
            lambda entry: entry["provisional_dsm5_rule"]["require"].update(C=3),
            "instrument 'pcl5' provisional_dsm5_rule: cluster 'C' has 2 items, needs 3",
        ),
    ],
)
def test_it_rejects_a_malformed_definition_naming_the_instrument(
    tmp_path: Path, instrument_id: str, edit: Any, message: str
) -> None:
    document = copy.deepcopy(RAW)
    edit(raw_instrument(document, instrument_id))

    with pytest.raises(ValueError, match=re.escape(message)):
        load_instruments(write_yaml(tmp_path, document))


def test_it_rejects_an_unsupported_schema_version(tmp_path: Path) -> None:
    document = copy.deepcopy(RAW) | {"schema_version": 2}

    with pytest.raises(ValueError, match="schema_version must be 1, got 2"):
        load_instruments(write_yaml(tmp_path, document))


# ------------------------------------------------------------------------- bands


def test_it_covers_every_banded_instrument() -> None:
    banded = {key for key, instrument in INSTRUMENTS.items() if instrument.bands}

    assert banded == set(BANDS)
    assert set(INSTRUMENTS["audit_c"].bands_by_sex) == set(AUDIT_C_BANDS)


@pytest.mark.parametrize(("instrument_id", "total", "label"), boundaries(BANDS))
def test_it_bands_every_boundary_total(instrument_id: str, total: float, label: str) -> None:
    band = INSTRUMENTS[instrument_id].band_for(total)

    assert band is not None
    assert band.label == label


@pytest.mark.parametrize(("sex", "total", "label"), boundaries(AUDIT_C_BANDS))
def test_it_bands_audit_c_by_sex(sex: str, total: float, label: str) -> None:
    assert INSTRUMENTS["audit_c"].score_total(total, sex=sex).band_label == label


def test_it_leaves_audit_c_unbanded_without_sex() -> None:
    score = INSTRUMENTS["audit_c"].score({1: 1, 2: 1, 3: 1})

    assert (score.total, score.band_label) == (3, None)
    with pytest.raises(ValueError, match=re.escape("AUDIT-C bands by sex ['female', 'male']")):
        INSTRUMENTS["audit_c"].band_for(3, sex="unknown")


def test_it_keeps_the_visual_analogue_edge_out_of_the_band_below() -> None:
    ors = INSTRUMENTS["ors"]
    clinical = ors.bands[0]

    assert (clinical.min, clinical.upper, clinical.upper_inclusive) == (0, 25, False)
    assert clinical.includes(24.9) is True
    assert clinical.includes(25) is False
    assert ors.score({1: 10, 2: 10, 3: 5, 4: 0}).band_label == "Non-clinical range (adult)"


# ------------------------------------------------------------------------- scoring


def test_it_sums_phq9_items_1_to_9_and_leaves_out_the_difficulty_item() -> None:
    score = INSTRUMENTS["phq9"].score({1: 3, 2: 3, 3: 2, 4: 2, 5: 1, 6: 1, 7: 0, 8: 0, 9: 0, 10: 3})

    assert (score.total, score.band_label, score.complete) == (12, "Moderate", True)
    assert score.critical_flags == ()


def test_it_reverse_scores_core10_items_2_and_3() -> None:
    core10 = INSTRUMENTS["core10"]

    assert core10.score(all_answered("core10", 0)).total == 8
    assert core10.score(all_answered("core10", 0)).band_label == "Low level"
    assert core10.score(all_answered("core10", 4) | {6: 0}).total == 28
    assert core10.score(all_answered("core10", 0) | {2: 4, 3: 4}).total == 0


def test_it_scores_a_no_to_dast10_item_3_as_one_point() -> None:
    dast10 = INSTRUMENTS["dast10"]

    assert dast10.score(all_answered("dast10", 0)).total == 1
    assert dast10.score(all_answered("dast10", 0)).band_label == "Low level"
    assert dast10.score(all_answered("dast10", 1)).total == 9
    assert dast10.score(all_answered("dast10", 0) | {3: 1}).total == 0


def test_it_takes_epds_values_as_printed_without_reversing() -> None:
    # Item 3 is printed highest-score-first; "Yes, most of the time" already carries 3.
    score = INSTRUMENTS["epds"].score(all_answered("epds", 0) | {3: 3})

    assert score.total == 3
    assert INSTRUMENTS["epds"].item(3).reverse is False


@pytest.mark.parametrize(
    ("answers", "raw_total", "total", "label"),
    [
        ([0, 0, 0, 0, 0], 0, 0, "Likely depression — assess"),
        ([2, 2, 1, 1, 1], 7, 28, "Likely depression — assess"),
        ([2, 2, 2, 1, 1], 8, 32, "Poor well-being — screen for depression"),
        ([3, 3, 2, 2, 2], 12, 48, "Poor well-being — screen for depression"),
        ([3, 3, 3, 2, 2], 13, 52, "Adequate well-being"),
        ([5, 5, 5, 5, 5], 25, 100, "Adequate well-being"),
    ],
)
def test_it_scales_the_who5_raw_score_by_four(
    answers: list[int], raw_total: int, total: int, label: str
) -> None:
    score = INSTRUMENTS["who5"].score(dict(enumerate(answers, start=1)))

    assert (score.raw_total, score.total, score.band_label) == (raw_total, total, label)


def test_it_sums_ors_marks_to_the_exact_tenth() -> None:
    score = INSTRUMENTS["ors"].score({1: 7.3, 2: 8.2, 3: 5.1, 4: 4.3})

    assert (score.total, score.band_label) == (24.9, "Clinical range (adult)")


def test_it_scores_a_skipped_k10_follow_up_item_as_one() -> None:
    k10 = INSTRUMENTS["k10"]
    skipped = {1: 1, 2: 1, 4: 1, 5: 1, 7: 1, 8: 1, 10: 1}

    score = k10.score(skipped)

    assert (score.total, score.complete, score.band_label) == (10, True, "Low distress")
    assert k10.score(skipped | {3: 1}).total == 10


def test_it_needs_a_k10_follow_up_when_its_lead_item_was_endorsed() -> None:
    score = INSTRUMENTS["k10"].score({1: 1, 2: 3, 4: 1, 5: 1, 7: 1, 8: 1, 10: 1})

    assert (score.total, score.complete, score.missing_items) == (None, False, (3,))


def test_it_totals_the_pcl5_clusters() -> None:
    answers = [2, 0, 0, 0, 0, 0, 3, 2, 2, 0, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0]

    score = INSTRUMENTS["pcl5"].score(dict(enumerate(answers, start=1)))

    assert score.total == 17
    assert score.band_label == "Below provisional PTSD cut-point"
    assert dict(score.subscale_totals) == {
        "B_intrusion": 2,
        "C_avoidance": 3,
        "D_cognition_mood": 4,
        "E_arousal_reactivity": 8,
    }


@pytest.mark.parametrize(
    ("changes", "met", "endorsed"),
    [
        ({}, True, {"B": 1, "C": 1, "D": 2, "E": 2}),
        ({9: 1}, False, {"B": 1, "C": 1, "D": 1, "E": 2}),
        ({1: 1}, False, {"B": 0, "C": 1, "D": 2, "E": 2}),
        ({7: 1}, False, {"B": 1, "C": 0, "D": 2, "E": 2}),
        ({16: 1}, False, {"B": 1, "C": 1, "D": 2, "E": 1}),
        ({9: 1, 10: 2}, True, {"B": 1, "C": 1, "D": 2, "E": 2}),
    ],
)
def test_it_applies_the_dsm5_provisional_rule_to_pcl5(
    changes: dict[int, int], met: bool, endorsed: dict[str, int]
) -> None:
    # One endorsed (>=2) symptom in B and C, two in D and E: the minimum the rule needs.
    answers = dict.fromkeys(range(1, 21), 1) | {1: 2, 7: 2, 8: 2, 9: 2, 15: 2, 16: 3}

    diagnosis = INSTRUMENTS["pcl5"].score(answers | changes).provisional_diagnosis

    assert diagnosis is not None
    assert (diagnosis.met, dict(diagnosis.endorsed)) == (met, endorsed)
    assert dict(diagnosis.required) == {"B": 1, "C": 1, "D": 2, "E": 2}


def test_it_leaves_the_pcl5_rule_open_while_a_missing_item_could_decide_it() -> None:
    answers = dict.fromkeys(range(1, 21), 1) | {1: 2, 7: 2, 8: 2, 15: 2, 16: 2}
    del answers[9]
    pcl5 = INSTRUMENTS["pcl5"]

    open_score = pcl5.score(answers)
    closed_score = pcl5.score(answers | {7: 0})

    assert open_score.provisional_diagnosis is not None
    assert open_score.provisional_diagnosis.met is None
    assert (open_score.total, open_score.subscale_totals["D_cognition_mood"]) == (None, None)
    assert open_score.subscale_totals["B_intrusion"] == 6
    assert closed_score.provisional_diagnosis is not None
    assert closed_score.provisional_diagnosis.met is False


def test_it_withholds_the_total_when_a_scored_item_is_missing() -> None:
    score = INSTRUMENTS["gad7"].score({1: 3, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3})

    assert (score.total, score.band_label, score.complete, score.missing_items) == (
        None,
        None,
        False,
        (7,),
    )


def test_it_prorates_core10_with_one_item_missing() -> None:
    answers = all_answered("core10", 1)
    del answers[10]

    score = INSTRUMENTS["core10"].score(answers)

    # Seven answers of 1, items 2 and 3 reversed to 3: mean 13/9, times 10.
    assert score.total == pytest.approx(130 / 9)
    assert (score.prorated, score.complete, score.missing_items) == (True, False, (10,))
    # 14.4 lies between "Mild" (11-14) and "Moderate" (15-19) and has not reached 15.
    assert score.band_label == "Mild"


@pytest.mark.parametrize(
    ("total", "label"), [(10.6, "Low level"), (14.9, "Mild"), (24.5, "Moderate-to-severe")]
)
def test_it_bands_a_prorated_total_between_two_integer_bands_in_the_lower_one(
    total: float, label: str
) -> None:
    band = INSTRUMENTS["core10"].band_for(total)

    assert band is not None
    assert band.label == label


def test_it_does_not_prorate_core10_with_two_items_missing() -> None:
    answers = all_answered("core10", 1)
    del answers[9], answers[10]

    score = INSTRUMENTS["core10"].score(answers)

    assert (score.total, score.prorated, score.missing_items) == (None, False, (9, 10))


# ------------------------------------------------------------------------- invalid answers


@pytest.mark.parametrize(
    ("instrument_id", "answers", "message"),
    [
        ("phq9", {1: 4}, "PHQ-9 item 1: 4 is not one of its answers (0, 1, 2, 3)"),
        ("phq9", {1: -1}, "PHQ-9 item 1: -1 is not one of its answers (0, 1, 2, 3)"),
        ("phq9", {1: 1.5}, "PHQ-9 item 1: 1.5 is not one of its answers (0, 1, 2, 3)"),
        ("phq9", {11: 0}, "PHQ-9: there is no item 11 (items: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)"),
        ("phq9", {"1": 0}, "PHQ-9: there is no item '1'"),
        ("phq9", {1: True}, "PHQ-9 item 1: an answer must be a number, got True"),
        ("phq9", {1: "2"}, "PHQ-9 item 1: an answer must be a number, got '2'"),
        ("phq9", {1: float("nan")}, "PHQ-9 item 1: an answer must be a number, got nan"),
        ("audit", {9: 1}, "AUDIT item 9: 1 is not one of its answers (0, 2, 4)"),
        ("k10", {1: 0}, "K10 item 1: 0 is not one of its answers (1, 2, 3, 4, 5)"),
        ("ors", {1: 10.1}, "ORS item 1: 10.1 is not a mark from 0 to 10 in steps of 0.1"),
        ("ors", {1: 3.25}, "ORS item 1: 3.25 is not a mark from 0 to 10 in steps of 0.1"),
        ("srs", {4: -0.1}, "SRS item 4: -0.1 is not a mark from 0 to 10 in steps of 0.1"),
        ("cssrs_screener", {"6b": 0}, "C-SSRS Screener: there is no item '6b'"),
        ("cssrs_screener", {6: 2}, "C-SSRS Screener item 6: 2 is not one of its answers (1, 0)"),
    ],
)
def test_it_rejects_an_answer_naming_the_item(
    instrument_id: str, answers: dict[Any, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        INSTRUMENTS[instrument_id].score(answers)


# ------------------------------------------------------------------------- critical items


@pytest.mark.parametrize(("answer", "flagged"), [(0, False), (1, True), (2, True), (3, True)])
def test_it_flags_phq9_item_9(answer: int, flagged: bool) -> None:
    score = INSTRUMENTS["phq9"].score(all_answered("phq9", 0) | {9: answer})

    expected = [("phq9_item9", "triggered")] if flagged else []
    assert flag_ids(score.critical_flags) == expected
    if flagged:
        assert score.critical_flags[0].flag == "suicide_risk"
        assert score.critical_flags[0].action.startswith("Immediate clinician review")


def test_it_never_reads_a_missing_phq9_item_9_as_zero() -> None:
    score = INSTRUMENTS["phq9"].score(dict.fromkeys(range(1, 9), 0) | {10: 0})

    assert (score.total, score.complete) == (None, False)
    assert flag_ids(score.critical_flags) == [("phq9_item9", "not answered")]


@pytest.mark.parametrize(("answer", "flagged"), [(0, False), (1, True), (2, True), (3, True)])
def test_it_flags_epds_item_10(answer: int, flagged: bool) -> None:
    score = INSTRUMENTS["epds"].score(all_answered("epds", 0) | {10: answer})

    expected = [("epds_item10", "triggered")] if flagged else []
    assert flag_ids(score.critical_flags) == expected
    assert score.total == answer


def test_it_flags_a_missing_epds_item_10_as_not_answered() -> None:
    answers = all_answered("epds", 0)
    del answers[10]

    score = INSTRUMENTS["epds"].score(answers)

    assert flag_ids(score.critical_flags) == [("epds_item10", "not answered")]
    assert score.critical_flags[0].flag == "self_harm_risk"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({9: 0, 12: 0, 13: 0}, []),
        ({9: 1, 12: 0, 13: 0}, [("phqa_item9", "triggered")]),
        ({9: 0, 12: 1, 13: 0}, [("phqa_past_month_thoughts", "triggered")]),
        ({9: 0, 12: 0, 13: 1}, [("phqa_lifetime_attempt", "triggered")]),
        (
            {9: 3, 12: 1, 13: 1},
            [
                ("phqa_item9", "triggered"),
                ("phqa_past_month_thoughts", "triggered"),
                ("phqa_lifetime_attempt", "triggered"),
            ],
        ),
        (
            {9: 0},
            [
                ("phqa_past_month_thoughts", "not answered"),
                ("phqa_lifetime_attempt", "not answered"),
            ],
        ),
    ],
)
def test_it_flags_the_phq_a_suicide_items(
    extra: dict[int, int], expected: list[tuple[str, str]]
) -> None:
    score = INSTRUMENTS["phq_a"].score(all_answered("phq_a", 0) | extra)

    assert flag_ids(score.critical_flags) == expected
    assert (score.total, score.complete) == (extra[9], True)


def test_it_names_the_history_flag_of_a_phq_a_lifetime_attempt() -> None:
    score = INSTRUMENTS["phq_a"].score(all_answered("phq_a", 0) | {12: 0, 13: 1})

    assert [flag.flag for flag in score.critical_flags] == ["suicide_risk_history"]


@pytest.mark.parametrize(("answer", "flagged"), [(0, False), (1, True), (4, True)])
def test_it_flags_core10_item_6_whatever_the_total(answer: int, flagged: bool) -> None:
    score = INSTRUMENTS["core10"].score(all_answered("core10", 0) | {2: 4, 3: 4, 6: answer})

    assert score.total == answer
    assert flag_ids(score.critical_flags) == ([("core10_item6", "triggered")] if flagged else [])


def test_it_flags_a_missing_core10_item_6_even_when_the_total_is_prorated() -> None:
    answers = all_answered("core10", 0)
    del answers[6]

    score = INSTRUMENTS["core10"].score(answers)

    assert (score.total, score.prorated) == (pytest.approx(80 / 9), True)
    assert flag_ids(score.critical_flags) == [("core10_item6", "not answered")]


@pytest.mark.parametrize(
    ("answers", "status"),
    [
        ({1: 0, 2: 0, 6: 0}, None),
        ({1: 1, 2: 0, 6: 0}, "triggered"),
        ({1: 0, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0}, "triggered"),
        ({1: 0, 2: 0, 6: 1, "6a": 0}, "triggered"),
        ({1: 0, 2: 0}, "not answered"),
        ({1: 1}, "triggered"),
    ],
)
def test_it_flags_any_positive_c_ssrs_screen(
    answers: dict[ItemNumber, int], status: str | None
) -> None:
    score = INSTRUMENTS["cssrs_screener"].score(answers)

    assert flag_ids(score.critical_flags) == (
        [("cssrs_any_positive", status)] if status is not None else []
    )


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({1: 1, 2: 1, 3: 0, 4: 1, 5: 0, 6: 0}, "high"),
        ({1: 1, 2: 1, 3: 0, 4: 0, 5: 1, 6: 0}, "high"),
        ({1: 0, 2: 0, 6: 1, "6a": 1}, "high"),
        ({1: 1, 2: 1, 3: 1, 4: 0, 5: 0, 6: 0}, "moderate"),
        ({1: 0, 2: 0, 6: 1, "6a": 0}, "moderate"),
        ({1: 1, 2: 0, 6: 0}, "low"),
        ({1: 0, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0}, "low"),
        ({1: 0, 2: 0, 6: 0}, "none"),
        ({1: 0, 2: 1, 6: 0}, None),
        ({1: 0, 2: 0, 6: 1}, None),
        ({1: 1, 2: 1, 4: 1}, "high"),
    ],
)
def test_it_triages_the_c_ssrs_screen_top_down(
    answers: dict[ItemNumber, int], level: str | None
) -> None:
    assert INSTRUMENTS["cssrs_screener"].score(answers).risk_level == level


def test_it_does_not_ask_for_c_ssrs_items_gated_off_by_a_no() -> None:
    complete = INSTRUMENTS["cssrs_screener"].score({1: 0, 2: 0, 6: 0})
    open_gate = INSTRUMENTS["cssrs_screener"].score({1: 0, 2: 1, 6: 1})

    assert (complete.total, complete.complete, complete.missing_items) == (None, True, ())
    assert (open_gate.complete, open_gate.missing_items) == (False, (3, 4, 5, "6a"))


def test_it_raises_the_srs_item_alert_apart_from_critical_flags() -> None:
    srs = INSTRUMENTS["srs"]

    low_item = srs.score({1: 8.9, 2: 10, 3: 10, 4: 10})
    all_nine = srs.score({1: 9, 2: 9, 3: 9, 4: 9})

    assert (low_item.total, low_item.band_label) == (38.9, "At/above cut-off")
    assert flag_ids(low_item.alerts) == [("srs_item_below_9", "triggered")]
    assert low_item.alerts[0].flag is None
    assert low_item.critical_flags == ()
    assert (all_nine.total, all_nine.alerts) == (36, ())


def test_it_has_the_critical_items_the_data_defines_and_no_others() -> None:
    critical = {
        key: [rule.id for rule in instrument.critical_items]
        for key, instrument in INSTRUMENTS.items()
        if instrument.critical_items
    }

    assert critical == {
        "phq9": ["phq9_item9"],
        "cssrs_screener": ["cssrs_any_positive"],
        "epds": ["epds_item10"],
        "core10": ["core10_item6"],
        "phq_a": ["phqa_item9", "phqa_past_month_thoughts", "phqa_lifetime_attempt"],
    }


# ------------------------------------------------------------------------- totals only


def test_it_bands_a_reported_total_without_answers() -> None:
    score = INSTRUMENTS["k10"].score_total(25)

    assert (score.total, score.raw_total, score.band_label, score.complete) == (
        25,
        25,
        "High distress",
        True,
    )
    assert score.critical_flags == ()


def test_it_flags_critical_items_as_not_answered_for_a_reported_total() -> None:
    score = INSTRUMENTS["core10"].score_total(12)

    assert score.band_label == "Mild"
    assert flag_ids(score.critical_flags) == [("core10_item6", "not answered")]


def test_it_takes_a_reported_who5_total_on_the_percentage_scale() -> None:
    score = INSTRUMENTS["who5"].score_total(52)

    assert (score.total, score.raw_total, score.band_label) == (52, 13, "Adequate well-being")


@pytest.mark.parametrize(
    ("instrument_id", "total", "message"),
    [
        ("phq9", 28, "PHQ-9: total 28 is outside 0-27"),
        ("phq9", -1, "PHQ-9: total -1 is outside 0-27"),
        ("phq9", 4.5, "PHQ-9: total 4.5 is not reachable (totals move in steps of 1)"),
        ("who5", 50, "WHO-5: total 50 is not reachable (totals move in steps of 4)"),
        ("k10", 9, "K10: total 9 is outside 10-50"),
        ("ors", 24.95, "ORS: total 24.95 is not reachable (totals move in steps of 0.1)"),
        ("cssrs_screener", 1, "C-SSRS Screener has no total score"),
    ],
)
def test_it_rejects_a_total_the_instrument_cannot_produce(
    instrument_id: str, total: float, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        INSTRUMENTS[instrument_id].score_total(total)


# ------------------------------------------------------------------------- change


def test_it_calls_reliable_improvement_from_phq9_caseness_to_below_it_recovery() -> None:
    change = change_between(INSTRUMENTS["phq9"], 15, 12, 8)

    assert (change.from_baseline, change.from_previous, change.improvement) == (-7, -4, 7)
    assert (change.reliable_change_points, change.caseness_cutoff) == (6, 10)
    assert (change.reliable_improvement, change.reliable_deterioration) == (True, False)
    assert change.reliable_change_from_previous is False
    assert (change.case_at_baseline, change.case_now, change.clinically_significant) == (
        True,
        False,
        True,
    )
    assert (change.meaningful_change_points, change.meaningful_change) == (5, True)
    assert (change.response, change.remission) == (False, False)
    assert (change.label, change.reason) == ("recovered", None)
    assert [row.kind for row in change.thresholds] == [
        "minimal_clinically_important_difference",
        "response",
        "remission",
        "reliable_improvement_nhs_talking_therapies",
    ]


@pytest.mark.parametrize(
    ("instrument_id", "baseline", "current", "label"),
    [
        ("phq9", 15, 9, "recovered"),
        ("phq9", 15, 10, "no reliable change"),
        ("phq9", 16, 10, "improved"),
        ("phq9", 8, 2, "improved"),
        ("phq9", 10, 15, "no reliable change"),
        ("phq9", 10, 16, "deteriorated"),
        ("gad7", 12, 8, "improved"),
        ("gad7", 12, 7, "recovered"),
        ("gad7", 12, 9, "no reliable change"),
        ("gad7", 5, 9, "deteriorated"),
        ("core10", 16, 10, "recovered"),
        ("core10", 16, 11, "no reliable change"),
        ("core10", 17, 11, "improved"),
        ("core10", 5, 11, "deteriorated"),
        ("ors", 20, 25, "recovered"),
        ("ors", 20.3, 25.3, "recovered"),
        ("ors", 20, 24.9, "no reliable change"),
        ("ors", 26, 31, "improved"),
        ("ors", 30, 24, "deteriorated"),
        ("pcl5", 50, 45, "improved"),
        ("pcl5", 50, 46, "no reliable change"),
        ("pcl5", 40, 45, "deteriorated"),
    ],
)
def test_it_labels_change_in_the_direction_the_instrument_improves(
    instrument_id: str, baseline: float, current: float, label: str
) -> None:
    assert change_between(INSTRUMENTS[instrument_id], baseline, None, current).label == label


@pytest.mark.parametrize(
    ("instrument_id", "cutoff", "source"),
    [
        ("phq9", 10, "change_thresholds[3].note"),
        ("gad7", 8, "change_thresholds[1].note"),
        ("core10", 11, "change_thresholds[1].rule"),
        ("ors", 25, "clinical_cutoffs.adult"),
    ],
)
def test_it_reads_caseness_from_the_field_that_states_it(
    instrument_id: str, cutoff: int, source: str
) -> None:
    rules = INSTRUMENTS[instrument_id].change_rules

    assert (rules.caseness_cutoff, rules.caseness_source) == (cutoff, source)


def test_it_judges_ors_caseness_below_the_adult_cut_off() -> None:
    change = change_between(INSTRUMENTS["ors"], 24.9, None, 25)

    assert (change.caseness_cutoff, change.case_at_baseline, change.case_now) == (25, True, False)
    assert (change.improvement, change.label) == (0.1, "no reliable change")


@pytest.mark.parametrize(
    ("baseline", "current", "response", "remission"),
    [(20, 10, True, False), (20, 11, False, False), (8, 4, True, True), (0, 0, None, True)],
)
def test_it_reads_phq9_response_and_remission_from_the_data(
    baseline: int, current: int, response: bool | None, remission: bool
) -> None:
    change = change_between(INSTRUMENTS["phq9"], baseline, None, current)

    assert (change.response, change.remission) == (response, remission)


def test_it_reports_phq_a_remission_without_a_reliable_change_label() -> None:
    change = change_between(INSTRUMENTS["phq_a"], 12, None, 4)

    assert (change.remission, change.response, change.label) == (True, None, None)
    assert change.reason == (
        "The data gives no reliable-change threshold for PHQ-A (PHQ-9 Modified for Teens)."
    )


def test_it_gives_who5_no_label_but_its_meaningful_change() -> None:
    who5 = INSTRUMENTS["who5"]

    up = change_between(who5, 40, None, 52)
    small = change_between(who5, 40, None, 48)

    assert (up.improvement, up.meaningful_change, up.label) == (12, True, None)
    assert up.reason == (
        "The data gives no reliable-change threshold for WHO-5; its meaningful-change size "
        "(10 points) is not a reliable-change index."
    )
    assert small.meaningful_change is False


def test_it_leaves_pcl5_recovery_open_without_a_caseness_cut_off() -> None:
    change = change_between(INSTRUMENTS["pcl5"], 50, None, 40)

    assert (change.label, change.clinically_significant, change.caseness_cutoff) == (
        "improved",
        None,
        None,
    )
    assert (change.meaningful_change_points, change.meaningful_change) == (10, True)


def test_it_gives_no_label_where_the_data_has_no_change_thresholds() -> None:
    change = change_between(INSTRUMENTS["audit"], 10, None, 5)

    assert (change.from_baseline, change.improvement, change.label) == (-5, 5, None)
    assert change.reason == "The data gives no reliable-change threshold for AUDIT."
    assert change.thresholds == ()


def test_it_compares_with_the_previous_administration() -> None:
    change = change_between(INSTRUMENTS["phq9"], 15, 14, 8)

    assert (change.from_previous, change.reliable_change_from_previous) == (-6, True)


def test_it_accepts_a_prorated_core10_baseline() -> None:
    change = change_between(INSTRUMENTS["core10"], 110 / 9, None, 4)

    assert change.label == "recovered"


@pytest.mark.parametrize(
    ("instrument_id", "baseline", "previous", "current", "message"),
    [
        ("phq9", 15, None, 28, "PHQ-9: total 28 is outside 0-27"),
        ("phq9", 15, 4.5, 8, "PHQ-9: total 4.5 is not reachable"),
        ("cssrs_screener", 1, None, 0, "C-SSRS Screener has no total score"),
    ],
)
def test_it_rejects_change_between_impossible_totals(
    instrument_id: str, baseline: float, previous: float | None, current: float, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        change_between(INSTRUMENTS[instrument_id], baseline, previous, current)


# ------------------------------------------------------------------------- properties


def oracle_total(instrument_id: str, answers: dict[ItemNumber, float]) -> float:
    """The scoring rule applied by hand: reverse-keyed items count from the other end,
    WHO-5's raw sum is multiplied by 4, ORS/SRS marks are summed in tenths."""
    if instrument_id in VISUAL_ANALOGUE:
        return sum(round(mark * 10) for mark in answers.values()) / 10
    total = 0.0
    for item in raw_scored_items(instrument_id):
        value = answers[item["n"]]
        if item.get("reverse"):
            values = raw_values(item)
            value = max(values) + min(values) - value
        total += value
    return total * 4 if instrument_id == "who5" else total


def answers_for(instrument_id: str) -> st.SearchStrategy[dict[ItemNumber, float]]:
    items = raw_scored_items(instrument_id)
    if instrument_id in VISUAL_ANALOGUE:
        marks = st.integers(min_value=0, max_value=100).map(lambda tenths: tenths / 10)
        return st.fixed_dictionaries({item["n"]: marks for item in items})
    return st.fixed_dictionaries({item["n"]: st.sampled_from(raw_values(item)) for item in items})


@st.composite
def administrations(draw: st.DrawFn) -> tuple[str, dict[ItemNumber, float]]:
    instrument_id = draw(st.sampled_from(SUMMED))
    return instrument_id, draw(answers_for(instrument_id))


def expected_band(instrument_id: str, total: float) -> str | None:
    if instrument_id == "audit_c":
        return None
    (label,) = [label for low, high, label in BANDS[instrument_id] if low <= total <= high]
    return label


@settings(max_examples=400, deadline=None)
@given(administration=administrations())
def test_the_total_is_always_the_scoring_rule_applied_to_the_answers(
    administration: tuple[str, dict[ItemNumber, float]],
) -> None:
    instrument_id, answers = administration

    score = INSTRUMENTS[instrument_id].score(answers)

    assert score.total == oracle_total(instrument_id, answers)
    assert score.complete is True
    assert score.band_label == expected_band(instrument_id, oracle_total(instrument_id, answers))


@settings(max_examples=300, deadline=None)
@given(administration=administrations(), data=st.data())
def test_a_missing_scored_item_withholds_the_total_unless_the_data_prorates(
    administration: tuple[str, dict[ItemNumber, float]], data: st.DataObject
) -> None:
    instrument_id, answers = administration
    dropped = data.draw(st.sampled_from(sorted(answers, key=str)))
    partial = {n: value for n, value in answers.items() if n != dropped}

    score = INSTRUMENTS[instrument_id].score(partial)

    lead = K10_FOLLOW_UPS.get(dropped) if instrument_id == "k10" else None
    if lead is not None and answers[lead] == 1:
        # The form skips this follow-up and it scores 1, so nothing is missing.
        assert (score.complete, score.total) == (True, oracle_total("k10", partial | {dropped: 1}))
        return
    assert (score.complete, score.missing_items) == (False, (dropped,))
    if instrument_id == "core10":
        kept = [item for item in raw_scored_items("core10") if item["n"] != dropped]
        scored = [4 - partial[i["n"]] if i.get("reverse") else partial[i["n"]] for i in kept]
        assert score.total == pytest.approx(sum(scored) / 9 * 10)
    else:
        assert score.total is None


@settings(max_examples=200, deadline=None)
@given(answers=answers_for("pcl5"))
def test_pcl5_cluster_totals_always_add_up_to_the_total(answers: dict[ItemNumber, float]) -> None:
    score = INSTRUMENTS["pcl5"].score(answers)
    clusters = {"B": range(1, 6), "C": range(6, 8), "D": range(8, 15), "E": range(15, 21)}
    endorsed = {
        key: sum(1 for n in numbers if answers[n] >= 2) for key, numbers in clusters.items()
    }

    assert sum(v for v in score.subscale_totals.values() if v is not None) == score.total
    assert score.provisional_diagnosis is not None
    assert score.provisional_diagnosis.met is (
        endorsed["B"] >= 1 and endorsed["C"] >= 1 and endorsed["D"] >= 2 and endorsed["E"] >= 2
    )
