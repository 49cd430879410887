"""Controlled vocabularies read from data/vocabulary.yaml."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

VOCABULARY_PATH = Path(__file__).resolve().parents[2] / "data" / "vocabulary.yaml"


@cache
def _vocabulary() -> dict[str, list[dict[str, str]]]:
    with VOCABULARY_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def choices(name: str) -> list[tuple[str, str]]:
    """(code, label) pairs of one vocabulary, in the data's order."""
    return [(entry["code"], entry["label"]) for entry in _vocabulary()[name]]


def label(name: str, code: str) -> str:
    return dict(choices(name)).get(code, code)
