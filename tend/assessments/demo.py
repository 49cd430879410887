"""Demo assessments and diagnoses for the demo clients (tend/clients/demo.py runs first).

Everything is synthetic. Diagnosis codes are common outpatient codes, each checked against
the bundled ICD-10-CM release by the services that record them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.assessments import services
from tend.assessments.models import Diagnosis
from tend.clients.models import Client

SEED = 3

# (code, rank) sets seen together in outpatient practice; the first is the principal.
DIAGNOSIS_SETS: tuple[tuple[str, ...], ...] = (
    ("F32.1",),
    ("F41.1",),
    ("F43.10", "F32.1"),
    ("F43.23",),
    ("F33.1", "F41.1"),
    ("F40.10",),
    ("F90.0", "F41.1"),
    ("F10.20", "F32.1", "Z56.0"),
    ("F41.0", "F40.00"),
    ("F43.21", "Z63.0"),
    ("F42.2",),
    ("F53.0",),
    ("F33.1", "Z59.02"),
    ("F43.10", "Z59.01", "Z56.0"),
)

PRESENTING = (
    "Low mood and poor sleep for several months after a job change.",
    "Daily worry that is hard to switch off, with tension headaches.",
    "Panic episodes in crowded places; has started avoiding the grocery store.",
    "Nightmares and startle after a car accident last year.",
    "Conflict at home and feeling overwhelmed by caring for a parent.",
    "Drinking most evenings to unwind; wants to cut back.",
)
STRENGTHS = (
    "Insightful, motivated, good sense of humour; close to a sibling.",
    "Steady employment, a supportive partner and a faith community.",
    "Creative, persistent; volunteers weekly at an animal shelter.",
)
FORMULATION = (
    "Symptoms began after a significant loss and are maintained by withdrawal and "
    "rumination; strengths include motivation and social support.",
    "Long-standing worry pattern intensified by recent work stress; avoidance maintains "
    "the anxiety. Good candidate for CBT.",
    "Trauma-related symptoms with avoidance and hyperarousal; stable housing and supportive "
    "relationships are protective.",
)


def assessment_answers(rng: random.Random) -> dict[str, dict[str, Any]]:
    """Synthetic answers to the default biopsychosocial template."""
    return {
        "identifying_information": {
            "referral_source": rng.choice(("Self", "Primary care physician", "EAP")),
            "interpreter_used": "no",
        },
        "presenting_problem": {"presenting_problem": rng.choice(PRESENTING)},
        "psychiatric_history": {"hospitalized_before": rng.choice(("no", "no", "no", "yes"))},
        "substance_use": {"substances_used": rng.choice((["none"], ["alcohol"], ["cannabis"]))},
        "social_history": {
            "employment": rng.choice(("full_time", "part_time", "student", "unemployed")),
            "housing": rng.choice(("stable", "stable", "stable", "unstable")),
        },
        "strengths_supports": {"strengths": rng.choice(STRENGTHS)},
        "risk_screening": {
            "suicidal_ideation": "no",
            "homicidal_ideation": "no",
            "overall_risk": rng.choice(("low", "low", "moderate")),
        },
        "mental_status_exam": {
            "appearance": ["appropriately_dressed", "looks_stated_age"],
            "behaviour": ["cooperative", rng.choice(("engaged", "restless", "guarded"))],
            "speech": ["normal"],
            "mood": rng.choice(("depressed", "anxious", "euthymic", "irritable")),
            "affect": [rng.choice(("congruent", "constricted", "tearful"))],
            "thought_process": "linear_goal_directed",
            "thought_content": [rng.choice(("unremarkable", "preoccupations"))],
            "perception": ["no_disturbance"],
            "cognition": ["oriented", "attention_intact", "memory_intact"],
            "insight": rng.choice(("good", "fair")),
            "judgment": rng.choice(("good", "fair")),
        },
        "formulation": {
            "clinical_formulation": rng.choice(FORMULATION),
            "recommended_level_of_care": "outpatient",
        },
    }


def _diagnose(client: Client, clinician: User, rng: random.Random, today: date) -> None:
    codes = rng.choice(DIAGNOSIS_SETS)
    for position, code in enumerate(codes):
        rank = Diagnosis.Rank.PRINCIPAL if position == 0 else Diagnosis.Rank.SECONDARY
        onset = today - timedelta(days=rng.randint(30, 400))
        provisional_first = rng.random() < 0.4
        diagnosis = services.diagnosis_add(
            client=client,
            actor=clinician,
            code=code,
            rank=rank,
            status=Diagnosis.Status.PROVISIONAL
            if provisional_first
            else Diagnosis.Status.CONFIRMED,
            onset_date=onset,
        )
        if provisional_first:
            services.diagnosis_change(
                diagnosis=diagnosis,
                actor=clinician,
                code=code,
                rank=rank,
                status=Diagnosis.Status.CONFIRMED,
                onset_date=onset,
            )


@transaction.atomic
def _load_organization(organization: Organization, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311  (synthetic demo data, not security)
    today = timezone.localdate()
    clients = Client.objects.filter(
        organization=organization,
        status=Client.Status.ACTIVE,
        primary_clinician__isnull=False,
    ).order_by("legal_last_name", "legal_first_name", "pk")
    for client in clients.select_related("organization", "primary_clinician"):
        clinician = client.primary_clinician
        roll = rng.random()
        if clinician is None or roll < 0.08:
            continue  # intake not yet assessed
        assessment = services.assessment_start(client=client, actor=clinician)
        services.assessment_draft_save(
            assessment=assessment,
            actor=clinician,
            answers=assessment_answers(rng),
            sign=roll >= 0.2,  # most are signed; a few drafts are still in progress
        )
        if roll >= 0.2:
            _diagnose(client, clinician, rng, today)


def load(organizations: dict[str, Organization]) -> None:
    for index, organization in enumerate(organizations.values()):
        _load_organization(organization, SEED + index)
