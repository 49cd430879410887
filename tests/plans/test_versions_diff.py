"""The version-to-version view shows exactly the fields that changed, item by item."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tend.assessments.services import diagnosis_add
from tend.plans import selectors, services
from tend.plans.models import Objective
from tend.plans.selectors import FieldChange, ItemChange
from tests.conftest import Cast, signed_in
from tests.plans.helpers import make_active_plan


def test_the_diff_lists_exactly_the_changed_fields_at_every_level(cast: Cast) -> None:
    plan = make_active_plan(cast)
    objective = Objective.objects.get(goal__problem__plan=plan)
    edited = services.objective_update(
        objective=objective,
        actor=cast.clinician,
        description=objective.description,
        metric_kind="instrument_score",
        instrument_id="phq9",
        baseline=Decimal(18),
        target=Decimal(4),
        direction="at_most",
        target_date=date(2027, 1, 31),
    )
    draft = edited.goal.problem.plan
    services.intervention_add(
        goal=edited.goal,
        actor=cast.clinician,
        modality="cbt",
        modality_other="",
        description="Thought records.",
        frequency="Weekly",
        responsible_person="Clinician",
    )
    changes = selectors.plan_diff(
        selectors.plan_with_contents(plan.pk), selectors.plan_with_contents(draft.pk)
    )
    assert changes == [
        ItemChange(
            level="objective",
            kind="changed",
            title="PHQ-9 total below 10.",
            fields=(
                FieldChange("target", "9.0", "4.0"),
                FieldChange("target_date", "2026-12-31", "2027-01-31"),
            ),
        ),
        ItemChange(level="intervention", kind="added", title="Thought records.", fields=()),
    ]


def test_an_unchanged_copy_has_no_differences(cast: Cast) -> None:
    plan = make_active_plan(cast)
    draft = services.plan_revise(plan=plan, actor=cast.clinician)
    assert (
        selectors.plan_diff(
            selectors.plan_with_contents(plan.pk), selectors.plan_with_contents(draft.pk)
        )
        == []
    )


def test_the_changes_page_shows_the_changed_fields_and_is_audited(cast: Cast) -> None:
    plan = make_active_plan(cast)
    problem = plan.problems.get()
    services.problem_add(
        plan=plan, actor=cast.clinician, statement="Poor sleep.", diagnosis_code="f5101"
    )
    draft = plan.next_version
    response = signed_in(cast.supervisor).get(f"/plans/{draft.public_id}/changes/")
    assert response.status_code == 200
    assert response.context["changes"] == [
        ItemChange(level="problem", kind="added", title="Poor sleep.", fields=())
    ]
    assert draft.problems.exclude(lineage_id=problem.lineage_id).get().diagnosis_code == "F51.01"
    assert b"Changes in version 2" in response.content


def test_a_problem_is_linked_to_one_of_the_clients_diagnoses(cast: Cast) -> None:
    plan = make_active_plan(cast)
    diagnosis = diagnosis_add(
        client=plan.client, actor=cast.clinician, code="F32.1", rank="principal", status="confirmed"
    )
    response = signed_in(cast.clinician).post(
        f"/plans/{plan.public_id}/problems/add/",
        {"statement": "Depressed mood.", "diagnosis_id": str(diagnosis.public_id)},
    )
    assert response.status_code == 302
    problem = plan.next_version.problems.get(statement="Depressed mood.")
    assert (problem.diagnosis_public_id, problem.diagnosis_code) == (diagnosis.public_id, "F32.1")
    assert problem.diagnosis_description == diagnosis.description
    refused = signed_in(cast.clinician).post(
        f"/plans/{plan.public_id}/problems/add/",
        {"statement": "Another.", "diagnosis_code": "Z99.999"},
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors == {
        "diagnosis_code": ["Z99.999 is not an ICD-10-CM code."]
    }
