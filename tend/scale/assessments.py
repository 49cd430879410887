"""Step 3: a signed biopsychosocial assessment at the start of every episode with sessions
(the latest still in draft for one new client in ten) and the diagnoses that followed."""

from __future__ import annotations

from datetime import timedelta

from tend.assessments import icd10
from tend.assessments.definition import answers_clean, answers_hash
from tend.assessments.demo import DIAGNOSIS_SETS, assessment_answers
from tend.assessments.models import Assessment, Diagnosis
from tend.assessments.services import assessment_template_current
from tend.scale.run import SeedRun

ANSWER_VARIANTS = 60


def seed_assessments(run: SeedRun) -> None:
    rng = run.rng
    template = assessment_template_current(organization=run.organization)
    variants = []
    for _ in range(ANSWER_VARIANTS):
        cleaned, errors = answers_clean(template.definition, assessment_answers(rng))
        assert not errors, errors  # noqa: S101  (the demo answers fit the shipped template)
        variants.append((cleaned, answers_hash(cleaned)))
    run.start_step("assessments", len(run.episodes) * 3)
    assessments = []
    diagnoses = []
    version = icd10.code_set_version()
    for plan in run.episodes:
        answers, digest = rng.choice(variants)
        admitted = run.at(plan.first_week, plan.weekday, plan.hour)
        recently = plan.active and run.this_week - plan.first_week < 3
        draft = recently and rng.random() < 0.1
        assessments.append(
            Assessment(
                client=plan.client,
                episode=plan.episode,
                template=template,
                answers=answers,
                status=Assessment.Status.DRAFT if draft else Assessment.Status.SIGNED,
                author=plan.clinician,
                signed_at=None if draft else min(admitted + timedelta(hours=4), run.now),
                signed_by=None if draft else plan.clinician,
                content_hash="" if draft else digest,
            )
        )
        if draft:
            continue
        for position, code in enumerate(rng.choice(DIAGNOSIS_SETS)):
            diagnoses.append(
                Diagnosis(
                    client=plan.client,
                    code=code,
                    description=icd10.describe(code),
                    code_set_version=version,
                    rank=Diagnosis.Rank.PRINCIPAL if position == 0 else Diagnosis.Rank.SECONDARY,
                    status=Diagnosis.Status.CONFIRMED,
                    onset_date=admitted.date() - timedelta(days=rng.randint(30, 400)),
                    diagnosed_by=plan.clinician,
                )
            )
    run.save(Assessment, assessments)
    run.save(Diagnosis, diagnoses)
    run.finish_step()
