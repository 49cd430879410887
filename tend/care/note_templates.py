"""Progress note formats and modality sections, read from data/note_templates/.

The files define the fields; this module validates them at load and checks a note's
content against them. Content is stored as {"format": {key: value}, "modality": {...}}.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml
from django.core.exceptions import ValidationError

DATA_DIR: Final = Path(__file__).resolve().parents[2] / "data" / "note_templates"
_TYPES: Final = {"text", "long_text", "multi_choice", "number"}


@dataclass(frozen=True)
class NoteField:
    key: str
    label: str
    type: str
    max_length: int | None = None
    help: str = ""
    options: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class NoteSection:
    key: str
    title: str
    fields: tuple[NoteField, ...]


def _field(raw: dict[str, Any], where: str) -> NoteField:
    kind = raw.get("type")
    if kind not in _TYPES or not raw.get("key") or not raw.get("label"):
        raise ValueError(f"{where}: a field needs key, label and a type among {sorted(_TYPES)}")
    if kind in {"text", "long_text"} and not isinstance(raw.get("max_length"), int):
        raise ValueError(f"{where}.{raw['key']}: text fields need max_length")
    options = tuple((str(o["key"]), str(o["label"])) for o in raw.get("options", []))
    if kind == "multi_choice" and not options:
        raise ValueError(f"{where}.{raw['key']}: multi_choice needs options")
    return NoteField(
        key=str(raw["key"]),
        label=str(raw["label"]),
        type=str(kind),
        max_length=raw.get("max_length"),
        help=str(raw.get("help", "")),
        options=options,
        minimum=raw.get("min"),
        maximum=raw.get("max"),
    )


def _sections(file_name: str, list_key: str) -> dict[str, NoteSection]:
    raw = yaml.safe_load((DATA_DIR / file_name).read_text(encoding="utf-8"))
    if raw.get("schema_version") != 1:
        raise ValueError(f"{file_name}: expected schema_version 1")
    sections: dict[str, NoteSection] = {}
    for entry in raw[list_key]:
        where = f"{file_name}:{entry.get('key')}"
        fields = tuple(_field(field, where) for field in entry["fields"])
        if len({field.key for field in fields}) != len(fields):
            raise ValueError(f"{where}: field keys repeat")
        sections[entry["key"]] = NoteSection(entry["key"], entry["title"], fields)
    return sections


@cache
def note_formats() -> dict[str, NoteSection]:
    return _sections("formats.yaml", "formats")


@cache
def note_modalities() -> dict[str, NoteSection]:
    return _sections("modalities.yaml", "modalities")


def _clean_value(field: NoteField, value: Any, error_key: str) -> Any:
    if field.type in {"text", "long_text"}:
        text = str(value or "").strip()
        if field.max_length is not None and len(text) > field.max_length:
            raise ValidationError({error_key: f"Keep this under {field.max_length} characters."})
        return text
    if field.type == "multi_choice":
        chosen = [str(item) for item in (value or [])]
        allowed = {key for key, _ in field.options}
        if not set(chosen) <= allowed:
            raise ValidationError({error_key: "Choose from the listed options."})
        return chosen
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise ValidationError({error_key: "Give a whole number."}) from error
    if (field.minimum is not None and number < field.minimum) or (
        field.maximum is not None and number > field.maximum
    ):
        raise ValidationError(
            {error_key: f"Give a number from {field.minimum} to {field.maximum}."}
        )
    return number


def clean_content(note_format: str, modality: str, content: dict[str, Any]) -> dict[str, Any]:
    """Content checked against the format and modality definitions, unknown keys dropped.

    Raises ValidationError keyed `format_<key>` / `modality_<key>` (the form's field names).
    """
    formats, modalities = note_formats(), note_modalities()
    if note_format not in formats:
        raise ValidationError({"note_format": "Choose a note format."})
    if modality not in modalities:
        raise ValidationError({"modality": "Choose a modality."})
    cleaned: dict[str, Any] = {"format": {}, "modality": {}}
    for part, section in (("format", formats[note_format]), ("modality", modalities[modality])):
        given = content.get(part, {}) or {}
        for field in section.fields:
            cleaned[part][field.key] = _clean_value(
                field, given.get(field.key), f"{part}_{field.key}"
            )
    return cleaned


def content_is_empty(content: dict[str, Any]) -> bool:
    return not any(
        value not in (None, "", []) for part in content.values() for value in part.values()
    )


def content_for_display(
    note_format: str, modality: str, content: dict[str, Any]
) -> list[tuple[str, str]]:
    """(label, text) pairs of the filled fields, in the order the data files define them."""
    shown: list[tuple[str, str]] = []
    for part, section in (
        ("format", note_formats().get(note_format)),
        ("modality", note_modalities().get(modality)),
    ):
        if section is None:
            continue
        values = content.get(part, {})
        for field in section.fields:
            value = values.get(field.key)
            if value in (None, "", []):
                continue
            if field.type == "multi_choice":
                labels = dict(field.options)
                text = ", ".join(labels.get(item, item) for item in value)
            else:
                text = str(value)
            shown.append((field.label, text))
    return shown


def section_title(kind: str, key: str) -> str:
    sections = note_formats() if kind == "format" else note_modalities()
    return sections[key].title if key in sections else key
