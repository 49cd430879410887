"""ICD-10-CM lookup and search (tend.assessments.icd10), against the bundled CMS data."""

from __future__ import annotations

import pytest

from tend.assessments.icd10 import CodeMatch, describe, is_valid_code, normalize_code, search


def codes(matches: list[CodeMatch]) -> list[str]:
    return [match.code for match in matches]


def test_it_ranks_f32_1_first_for_its_full_description() -> None:
    results = search("major depressive disorder, single episode, moderate")

    assert results[0] == CodeMatch(
        code="F32.1",
        description="Major depressive disorder, single episode, moderate",
        is_billable=True,
    )


def test_it_matches_word_prefixes_in_any_order() -> None:
    assert codes(search("depress single mod", limit=3)) == ["F32.1"]


def test_it_lists_the_billable_codes_under_a_category_in_tabular_order() -> None:
    assert codes(search("F32")) == [
        "F32.0",
        "F32.1",
        "F32.2",
        "F32.3",
        "F32.4",
        "F32.5",
        "F32.81",
        "F32.89",
        "F32.9",
        "F32.A",
    ]


def test_it_accepts_a_lowercase_code_prefix_with_or_without_the_dot() -> None:
    assert codes(search("f32.8")) == ["F32.81", "F32.89"]
    assert search("f321") == [
        CodeMatch(
            code="F32.1",
            description="Major depressive disorder, single episode, moderate",
            is_billable=True,
        )
    ]


def test_it_keeps_tabular_order_where_it_is_not_alphabetical() -> None:
    assert codes(search("C96"))[-3:] == ["C96.A", "C96.Z", "C96.9"]


def test_it_searches_words_when_no_code_starts_with_a_code_shaped_query() -> None:
    assert codes(search("b12", limit=3)) == ["D51.8", "D51.9", "D51.3"]


def test_it_ranks_housing_codes_above_codes_outside_mental_health_and_social_needs() -> None:
    assert codes(search("housing")) == [
        "Z59.819",
        "Z59.811",
        "Z59.812",
        "Z59.19",
        "Z59.12",
        "Z59.10",
        "Z59.11",
        "Z59.89",
        "Z59.9",
        "Y93.83",
    ]


def test_it_ignores_accents_and_apostrophes() -> None:
    assert search("sezary", limit=1) == [
        CodeMatch(code="C84.17", description="Sézary disease, spleen", is_billable=True)
    ]
    assert codes(search("alzheimers", limit=2)) == ["G30.9", "G30.1"]


@pytest.mark.parametrize("query", ["", "   ", "\t\n", ", ; -"])
def test_it_returns_nothing_for_a_blank_query(query: str) -> None:
    assert search(query) == []


def test_it_survives_a_500_character_query() -> None:
    long_words = ("major depressive disorder " * 20)[:500]

    assert codes(search(long_words, limit=3)) == ["F33.0", "F33.1", "F33.9"]
    assert search("x" * 500) == []


def test_it_returns_at_most_limit_results() -> None:
    assert codes(search("F32", limit=3)) == ["F32.0", "F32.1", "F32.2"]
    assert codes(search("housing", limit=2)) == ["Z59.819", "Z59.811"]
    assert search("housing", limit=0) == []


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("f321", "F32.1"),
        (" F32.1 ", "F32.1"),
        ("f32", "F32"),
        ("F32.", "F32"),
        ("f32a", "F32.A"),
        ("z59811", "Z59.811"),
        ("t7411xa", "T74.11XA"),
        ("S72.001A", "S72.001A"),
    ],
)
def test_it_normalizes_code_spelling(text: str, normalized: str) -> None:
    assert normalize_code(text) == normalized


@pytest.mark.parametrize("code", ["F32.1", "f321", "F32", "S72.001", "F99"])
def test_it_accepts_billable_and_non_billable_codes(code: str) -> None:
    assert is_valid_code(code) is True


@pytest.mark.parametrize("code", ["F32.7", "F30-F39", "5", "", "XYZ"])
def test_it_rejects_unknown_codes_chapters_and_blocks(code: str) -> None:
    assert is_valid_code(code) is False
    with pytest.raises(LookupError, match=r"is not an ICD-10-CM code"):
        describe(code)


def test_it_names_the_unknown_code_in_the_error() -> None:
    with pytest.raises(LookupError, match=r"^'F32\.7' is not an ICD-10-CM code$"):
        describe("F32.7")


@pytest.mark.parametrize(
    ("code", "description"),
    [
        ("f32.a", "Depression, unspecified"),
        ("F32", "Depressive episode"),
        # F99 is also the name of the block holding it.
        ("F99", "Mental disorder, not otherwise specified"),
        # The data has a tab after the slash.
        (
            "H35.3113",
            "Nonexudative age-related macular degeneration, right eye, advanced atrophic"
            " without subfoveal involvement/ advanced dry stage",
        ),
    ],
)
def test_it_describes_any_code(code: str, description: str) -> None:
    assert describe(code) == description
