"""Assessments and diagnoses for tests, made through the services like real ones."""

from __future__ import annotations

from typing import Any

from tend.accounts.models import User
from tend.assessments.models import Assessment, Diagnosis
from tend.assessments.services import assessment_draft_save, assessment_start, diagnosis_add
from tend.clients.models import Client
from tests.clients.factories import make_shared_client
from tests.conftest import Cast

ANSWERS: dict[str, dict[str, Any]] = {
    "presenting_problem": {
        "presenting_problem": "Low mood and trouble sleeping since moving for work.",
        "onset_date": "2026-03-01",
    },
    "mental_status_exam": {
        "appearance": ["well_groomed"],
        "mood": "depressed",
        "insight": "good",
    },
    "risk_screening": {"suicidal_ideation": "no", "overall_risk": "low"},
}


def make_assessment(
    cast: Cast,
    *,
    client: Client | None = None,
    author: User | None = None,
    answers: dict[str, dict[str, Any]] | None = None,
    signed: bool = False,
) -> Assessment:
    author = author or cast.clinician
    assessment = assessment_start(client=client or make_shared_client(cast), actor=author)
    return assessment_draft_save(
        assessment=assessment,
        actor=author,
        answers=ANSWERS if answers is None else answers,
        sign=signed,
    )


def make_diagnosis(
    cast: Cast,
    *,
    client: Client | None = None,
    code: str = "F32.1",
    rank: str = Diagnosis.Rank.PRINCIPAL,
    status: str = Diagnosis.Status.PROVISIONAL,
) -> Diagnosis:
    return diagnosis_add(
        client=client or make_shared_client(cast),
        actor=cast.clinician,
        code=code,
        rank=rank,
        status=status,
    )
