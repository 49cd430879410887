"""Assessment templates as data: the schema a definition must meet, and answers checked
against it.

A definition is a list of sections, each a list of typed fields. Answers are stored as
``{section_key: {field_key: value}}`` holding only what was filled in: text as a string,
a choice or yes/no as the option's value, a multi-choice as a list of values, a date as
``YYYY-MM-DD``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

DEFAULT_TEMPLATE_KEY = "biopsychosocial"

# lower_snake_case without a double underscore: form fields are named "<section>__<field>".
_KEY_PATTERN = r"^[a-z](?:_?[a-z0-9])*$"
Key = Annotated[str, StringConstraints(pattern=_KEY_PATTERN, max_length=40)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
FIELD_SEPARATOR = "__"
# The longest text a single field may hold; longer narrative belongs in several fields.
MAX_FIELD_LENGTH = 20_000


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"
    DATE = "date"


TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.LONG_TEXT})
OPTION_TYPES = frozenset({FieldType.CHOICE, FieldType.MULTI_CHOICE})
YES_NO_OPTIONS = (("yes", "Yes"), ("no", "No"))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    value: Key
    label: Label


class FieldSpec(_Strict):
    key: Key
    label: Label
    type: FieldType
    max_length: Annotated[int, Field(ge=1, le=MAX_FIELD_LENGTH)] | None = None
    options: tuple[Option, ...] = ()
    help: str = ""

    @model_validator(mode="after")
    def _fits_its_type(self) -> Self:
        if self.type in TEXT_TYPES and self.max_length is None:
            raise ValueError(f"text field {self.key!r} needs a max_length")
        if self.type not in TEXT_TYPES and self.max_length is not None:
            raise ValueError(f"only text fields take a max_length ({self.key!r})")
        if self.type in OPTION_TYPES:
            values = [option.value for option in self.options]
            if len(values) < 2:
                raise ValueError(f"choice field {self.key!r} needs at least two options")
            if len(set(values)) != len(values):
                raise ValueError(f"choice field {self.key!r} repeats an option")
        elif self.options:
            raise ValueError(f"only choice fields take options ({self.key!r})")
        return self

    def choices(self) -> tuple[tuple[str, str], ...]:
        if self.type == FieldType.YES_NO:
            return YES_NO_OPTIONS
        return tuple((option.value, option.label) for option in self.options)

    def display(self, value: Any) -> str:
        """The answer as a reader sees it: option labels instead of values."""
        labels = dict(self.choices())
        if isinstance(value, list):
            return ", ".join(labels.get(str(item), str(item)) for item in value)
        if self.type == FieldType.DATE:
            return date.fromisoformat(value).strftime("%b %-d, %Y")
        return labels.get(str(value), str(value))


class SectionSpec(_Strict):
    key: Key
    title: Label
    description: str = ""
    fields: Annotated[tuple[FieldSpec, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _field_keys_are_unique(self) -> Self:
        keys = [field.key for field in self.fields]
        if len(set(keys)) != len(keys):
            raise ValueError(f"section {self.key!r} repeats a field key")
        return self


class TemplateDefinition(_Strict):
    key: Key
    version: Annotated[int, Field(ge=1)]
    title: Label
    source: Label
    as_of: str = ""
    sections: Annotated[tuple[SectionSpec, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _section_keys_are_unique(self) -> Self:
        keys = [section.key for section in self.sections]
        if len(set(keys)) != len(keys):
            raise ValueError("two sections share a key")
        return self

    def field_names(self) -> list[str]:
        return [
            field_name(section.key, field.key)
            for section in self.sections
            for field in section.fields
        ]


def make_key(label: str, prefix: str) -> str:
    """A schema-valid key spelled from a label: "Sleep quality" -> "sleep_quality"."""
    key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:36].strip("_")
    return key if key[:1].isalpha() else f"{prefix}_{key}".strip("_")[:36]


def field_name(section_key: str, field_key: str) -> str:
    """The flat name of a field in forms and error messages: "<section>__<field>"."""
    return f"{section_key}{FIELD_SEPARATOR}{field_key}"


DEFAULT_TEMPLATE_PATH = (
    Path(__file__).resolve().parents[2] / "data" / "assessment_templates" / "biopsychosocial.yaml"
)


@cache
def default_definition() -> dict[str, Any]:
    """The shipped default template, checked against the schema (raises if it is broken)."""
    raw = yaml.safe_load(DEFAULT_TEMPLATE_PATH.read_text(encoding="utf-8"))
    return TemplateDefinition.model_validate(raw).model_dump(mode="json")


def _clean_value(spec: FieldSpec, value: Any) -> tuple[Any, str | None]:
    """(the stored form of `value`, or an error message)."""
    if spec.type in TEXT_TYPES:
        if not isinstance(value, str):
            return None, "Enter text."
        text = value.strip()
        limit = spec.max_length or MAX_FIELD_LENGTH
        if len(text) > limit:
            return None, f"Keep this to {limit:,} characters or fewer (it has {len(text):,})."
        return text, None
    if spec.type == FieldType.MULTI_CHOICE:
        items = value if isinstance(value, list) else [value]
        allowed = {choice for choice, _ in spec.choices()}
        if not all(isinstance(item, str) and item in allowed for item in items):
            return None, "Choose from the listed options."
        return [choice for choice, _ in spec.choices() if choice in items], None
    if spec.type in {FieldType.CHOICE, FieldType.YES_NO}:
        if value not in {choice for choice, _ in spec.choices()}:
            return None, "Choose one of the listed options."
        return value, None
    # FieldType.DATE
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None, "Enter a date as YYYY-MM-DD."
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None, "This date does not exist."
    if parsed.year < 1900:
        return None, "Enter a date after 1900."
    return value, None


def _is_blank(value: Any) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def answers_clean(
    definition: Mapping[str, Any], answers: Mapping[str, Any]
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """Check `answers` against the template: (the answers as stored, errors by field name).

    Blank answers are dropped. Errors are keyed "<section>__<field>"; an answer for a field
    the template does not have is an error too, so nothing is stored that no page shows.
    """
    template = TemplateDefinition.model_validate(definition)
    cleaned: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    if not isinstance(answers, Mapping):
        return {}, {"answers": ["Answers must be grouped by section."]}
    sections = {section.key: section for section in template.sections}
    for section_key, section_answers in answers.items():
        section = sections.get(section_key)
        if section is None or not isinstance(section_answers, Mapping):
            errors.setdefault("answers", []).append(
                f"This template has no section {section_key!r}."
            )
            continue
        fields = {field.key: field for field in section.fields}
        for field_key, value in section_answers.items():
            spec = fields.get(field_key)
            name = field_name(section_key, field_key)
            if spec is None:
                errors.setdefault("answers", []).append(f"This template has no field {name!r}.")
                continue
            if _is_blank(value):
                continue
            stored, message = _clean_value(spec, value)
            if message is not None:
                errors[name] = [message]
            else:
                cleaned.setdefault(section_key, {})[field_key] = stored
    return cleaned, errors


def answers_hash(answers: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the answers (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
