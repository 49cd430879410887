from __future__ import annotations

from datetime import date

from ninja import Schema


class CategoryHoursOut(Schema):
    category: str
    logged_hours: float
    verified_hours: float


class RuleOut(Schema):
    """One hour rule of the path, with where its number comes from."""

    rule: str
    label: str
    required_hours: int | None
    credited_hours: float | None
    remaining_hours: float | None
    met: bool | None
    source: str
    as_of: str | None
    confidence: str
    low_confidence: bool
    unverified_fields: list[str]


class ProgressOut(Schema):
    path_state: str | None
    path_family: str | None
    license_title: str | None
    categories: list[CategoryHoursOut]
    rules: list[RuleOut]
    projected_completion: date | None
    projection_reason: str | None
    exams_outstanding: list[str]
