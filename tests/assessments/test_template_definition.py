"""The biopsychosocial template as data, its schema, and answers checked against it."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import pydantic
import pytest
import yaml

from tend.assessments.definition import (
    DEFAULT_TEMPLATE_PATH,
    TemplateDefinition,
    answers_clean,
    answers_hash,
    default_definition,
)

MSE_FIELDS = [
    "appearance",
    "behaviour",
    "speech",
    "mood",
    "mood_in_clients_words",
    "affect",
    "thought_process",
    "thought_content",
    "perception",
    "cognition",
    "insight",
    "judgment",
    "mse_notes",
]


def section(definition: dict[str, Any], key: str) -> dict[str, Any]:
    return next(entry for entry in definition["sections"] if entry["key"] == key)


def test_the_shipped_template_has_every_section_of_the_issue_in_order() -> None:
    definition = default_definition()

    assert (definition["key"], definition["version"]) == ("biopsychosocial", 1)
    assert definition["source"] == "Tend clinical content team, standard MSE terminology"
    assert [entry["title"] for entry in definition["sections"]] == [
        "Identifying information and reason for referral",
        "Presenting problem and history of present concern",
        "Psychiatric history",
        "Medical history",
        "Substance use",
        "Trauma history",
        "Family history and relationships",
        "Developmental and educational history",
        "Social, occupational, financial, housing and legal",
        "Cultural identity, spirituality and values",
        "Strengths and supports",
        "Risk screening summary",
        "Mental status exam",
        "Clinical formulation and recommendations",
    ]


def test_the_mental_status_exam_has_option_lists_and_free_text() -> None:
    mse = section(default_definition(), "mental_status_exam")

    assert [field["key"] for field in mse["fields"]] == MSE_FIELDS
    types = {field["key"]: field["type"] for field in mse["fields"]}
    assert types["mse_notes"] == "long_text"
    assert types["insight"] == types["judgment"] == "choice"
    assert [option["label"] for option in mse["fields"][10]["options"]] == [
        "Good",
        "Fair",
        "Limited",
        "Poor",
    ]


def test_every_text_field_has_a_max_length_and_the_file_uses_every_field_type() -> None:
    definition = default_definition()
    fields = [field for entry in definition["sections"] for field in entry["fields"]]

    assert {field["type"] for field in fields} == {
        "text",
        "long_text",
        "choice",
        "multi_choice",
        "yes_no",
        "date",
    }
    assert [
        field["key"]
        for field in fields
        if field["type"] in {"text", "long_text"} and not field["max_length"]
    ] == []


def _raw() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_TEMPLATE_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda raw: raw["sections"][0]["fields"][0].pop("max_length"), "needs a max_length"),
        (
            lambda raw: raw["sections"][7]["fields"][1].update(
                options=[{"value": "a", "label": "A"}]
            ),
            "needs at least two options",
        ),
        (
            lambda raw: raw["sections"][1].update(fields=raw["sections"][1]["fields"] * 2),
            "repeats a field key",
        ),
        (lambda raw: raw["sections"].append(raw["sections"][0]), "two sections share a key"),
        (lambda raw: raw["sections"][0].update(key="Bad Key"), "String should match pattern"),
        (lambda raw: raw["sections"][0]["fields"][0].update(type="slider"), "Input should be"),
    ],
)
def test_the_schema_refuses_a_broken_definition(breakage: Any, message: str) -> None:
    raw = _raw()
    breakage(raw)

    with pytest.raises(pydantic.ValidationError, match=message):
        TemplateDefinition.model_validate(raw)


def test_answers_are_stored_without_blanks_and_in_option_order() -> None:
    cleaned, errors = answers_clean(
        default_definition(),
        {
            "presenting_problem": {"presenting_problem": "  Panic at work.  ", "onset_date": ""},
            "mental_status_exam": {"appearance": ["disheveled", "well_groomed"], "mse_notes": " "},
            "trauma_history": {"trauma_reported": "no"},
        },
    )

    assert errors == {}
    assert cleaned == {
        "presenting_problem": {"presenting_problem": "Panic at work."},
        "mental_status_exam": {"appearance": ["well_groomed", "disheveled"]},
        "trauma_history": {"trauma_reported": "no"},
    }


def test_each_bad_answer_gets_its_own_message() -> None:
    _, errors = answers_clean(
        default_definition(),
        {
            "presenting_problem": {"presenting_problem": "x" * 4001, "onset_date": "2026-02-30"},
            "psychiatric_history": {"last_hospitalization_date": "last spring"},
            "mental_status_exam": {"mood": "sunny", "affect": ["flat", "glowing"]},
            "risk_screening": {"suicidal_ideation": "maybe"},
            "hobbies": {"favourite": "chess"},
            "trauma_history": {"nickname": "x"},
        },
    )

    assert errors == {
        "presenting_problem__presenting_problem": [
            "Keep this to 4,000 characters or fewer (it has 4,001)."
        ],
        "presenting_problem__onset_date": ["This date does not exist."],
        "psychiatric_history__last_hospitalization_date": ["Enter a date as YYYY-MM-DD."],
        "mental_status_exam__mood": ["Choose one of the listed options."],
        "mental_status_exam__affect": ["Choose from the listed options."],
        "risk_screening__suicidal_ideation": ["Choose one of the listed options."],
        "answers": [
            "This template has no section 'hobbies'.",
            "This template has no field 'trauma_history__nickname'.",
        ],
    }


def test_the_content_hash_is_the_sha256_of_canonical_json() -> None:
    answers = {"b": {"y": "café", "x": ["1", "2"]}, "a": {"z": "no"}}
    reordered = copy.deepcopy({"a": answers["a"], "b": {"x": ["1", "2"], "y": "café"}})
    canonical = '{"a":{"z":"no"},"b":{"x":["1","2"],"y":"café"}}'.encode()

    assert answers_hash(answers) == hashlib.sha256(canonical).hexdigest()
    assert answers_hash(reordered) == answers_hash(answers)
