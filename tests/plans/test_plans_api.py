"""The plans API: the same access door as the pages (clinical access to the client), reads
audited, writes through the plan services, errors in the one envelope."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tend.accounts.services import access_token_create
from tend.audit.models import AuditEvent
from tend.plans import selectors, services
from tend.plans.models import Objective, ObjectiveProgressEntry, TreatmentPlan
from tend.plans.services import ObjectiveDecision
from tend.supervision.models import SupervisionRelationship
from tests.conftest import Cast, signed_in
from tests.plans.helpers import make_active_plan, make_client

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=CHICAGO)
API = "/api/v1/plans"


def _post(user_client: Client, url: str, body: dict[str, Any]) -> Any:
    return user_client.post(url, body, content_type="application/json")


def _revised_target(cast: Cast, plan: TreatmentPlan, target: str) -> TreatmentPlan:
    """The plan's next version, a draft whose PHQ-9 target is `target`."""
    objective = Objective.objects.get(goal__problem__plan=plan)
    edited = services.objective_update(
        objective=objective,
        actor=cast.clinician,
        description=objective.description,
        metric_kind="instrument_score",
        instrument_id="phq9",
        baseline=Decimal(18),
        target=Decimal(target),
        direction="at_most",
        target_date=objective.target_date,
    )
    return edited.goal.problem.plan


def _viewed() -> list[tuple[str, str]]:
    return [
        (event.subject_type, event.subject_id)
        for event in AuditEvent.objects.filter(action="plans.viewed").order_by("id")
    ]


@time_machine.travel(NOW, tick=False)
def test_the_list_gives_every_version_with_where_its_review_stands(cast: Cast) -> None:
    plan = make_active_plan(cast, agreed_on=date(2026, 1, 12))  # activated today, review in 90 d
    draft = services.plan_revise(plan=plan, actor=cast.clinician)
    TreatmentPlan.objects.filter(pk=plan.pk).update(next_review_on=date(2026, 3, 30))

    response = signed_in(cast.associate).get(f"{API}/clients/{plan.client.public_id}/plans")

    assert response.status_code == 200
    assert [
        (row["id"], row["version"], row["status"], row["activated_on"], row["next_review"])
        for row in response.json()
    ] == [
        (str(draft.public_id), 2, "draft", None, None),
        (
            str(plan.public_id),
            1,
            "active",
            "2026-04-01",
            {"due_on": "2026-03-30", "state": "overdue", "days_until_due": -2},
        ),
    ]
    assert _viewed() == [("clients.client", str(plan.client.public_id))]


@time_machine.travel(NOW, tick=False)
def test_one_version_comes_with_its_whole_tree(cast: Cast) -> None:
    plan = make_active_plan(cast, agreed_on=date(2026, 3, 30))
    response = signed_in(cast.clinician).get(f"{API}/{plan.public_id}")
    assert response.status_code == 200
    body = response.json()
    objective = Objective.objects.get(goal__problem__plan=plan)
    assert (
        body["version"],
        body["status"],
        body["signed_by"],
        body["agreement_kind"],
        body["agreed_on"],
        body["next_review"],
        body["last_reviewed_on"],
        body["previous_version"],
    ) == (
        1,
        "active",
        "Cleo Clinician",
        "typed_signature",
        "2026-03-30",
        {"due_on": "2026-06-30", "state": "scheduled", "days_until_due": 90},
        None,
        None,
    )
    [problem] = body["problems"]
    [goal] = problem["goals"]
    assert problem["statement"] == "Low mood most days."
    assert goal["client_words"] == "I want to enjoy things again."
    assert goal["objectives"] == [
        {
            "id": str(objective.public_id),
            "lineage_id": str(objective.lineage_id),
            "description": "PHQ-9 total below 10.",
            "metric_kind": "instrument_score",
            "instrument_id": "phq9",
            "baseline": "18.0",
            "target": "9.0",
            "direction": "at_most",
            "target_date": "2026-12-31",
            "status": "not_started",
        }
    ]
    assert [
        (row["modality"], row["modality_label"], row["frequency"]) for row in goal["interventions"]
    ] == [("behavioral_activation", "Behavioral activation", "Weekly sessions")]
    assert _viewed() == [("plans.treatmentplan", str(plan.public_id))]


def test_the_plan_reads_the_same_number_of_queries_whatever_its_size(cast: Cast) -> None:
    small = make_active_plan(cast, make_client(cast, "Ada", "Brook"))
    large = make_active_plan(cast, make_client(cast, "Ben", "Cole"))
    goal = large.problems.get().goals.get()
    draft = services.plan_revise(plan=large, actor=cast.clinician)
    for number in range(10):
        services.objective_add(
            goal=goal,
            actor=cast.clinician,
            description=f"Walks per week ({number}).",
            metric_kind="frequency_per_week",
            instrument_id="",
            baseline=Decimal(0),
            target=Decimal(3),
            direction="at_least",
            target_date=date(2026, 12, 31),
        )
    assert Objective.objects.filter(goal__problem__plan=draft).count() == 11
    api = signed_in(cast.clinician)
    api.get(f"{API}/{small.public_id}")

    def queries(plan: TreatmentPlan) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(f"{API}/{plan.public_id}").status_code == 200
        return len(captured.captured_queries)

    assert queries(small) == queries(draft)


def test_the_changes_default_to_the_previous_version_and_compare_any_two(cast: Cast) -> None:
    plan = make_active_plan(cast)
    draft = _revised_target(cast, plan, "7")
    api = signed_in(cast.supervisor)
    expected = [
        {
            "level": "objective",
            "kind": "changed",
            "title": "PHQ-9 total below 10.",
            "fields": [{"field": "target", "before": "9.0", "after": "7.0"}],
        }
    ]

    forward = api.get(f"{API}/{draft.public_id}/changes").json()
    assert (forward["from_version"], forward["to_version"], forward["changes"]) == (1, 2, expected)
    backward = api.get(f"{API}/{plan.public_id}/changes", {"against": str(draft.public_id)})
    assert (backward.json()["from_plan"], backward.json()["to_plan"]) == (
        str(plan.public_id),
        str(draft.public_id),
    )
    assert backward.json()["changes"] == expected
    first = api.get(f"{API}/{plan.public_id}/changes").json()
    assert (first["from_plan"], first["to_version"], first["changes"]) == (None, 1, [])

    another = make_active_plan(cast, make_client(cast, "Ada", "Brook"))
    refused = api.get(f"{API}/{plan.public_id}/changes", {"against": str(another.public_id)})
    assert refused.status_code == 400
    assert refused.json()["error"]["details"] == {
        "against": ["Compare two versions of the same plan."]
    }
    assert len(_viewed()) == 3


@time_machine.travel(NOW, tick=False)
def test_the_reviews_of_every_version_are_listed_newest_first(cast: Cast) -> None:
    plan = make_active_plan(cast, agreed_on=date(2026, 1, 12))
    decisions = [
        ObjectiveDecision(row.objective, "no_change", "Mood unchanged by her account.")
        for row in selectors.review_prefill(plan)
    ]
    outcome = services.plan_review_record(
        plan=plan,
        actor=cast.clinician,
        signature="Cleo Clinician",
        summary="Slow start.",
        decisions=decisions,
        revise=True,
    )
    response = signed_in(cast.clinician).get(f"{API}/{outcome.next_version.public_id}/reviews")
    assert response.status_code == 200
    objective = decisions[0].objective
    assert response.json() == [
        {
            "id": str(outcome.review.public_id),
            "plan": str(plan.public_id),
            "plan_version": 1,
            "reviewed_on": "2026-04-01",
            "signed_by": "Cleo Clinician",
            "signed_at": "2026-04-01T14:00:00Z",
            "summary": "Slow start.",
            "objectives": [
                {
                    "objective": str(objective.public_id),
                    "objective_lineage_id": str(objective.lineage_id),
                    "source": "none",
                    "latest_value": None,
                    "latest_on": None,
                    "change_from_baseline": None,
                    "target_met": None,
                    "suggested_status": "not_started",
                    "status": "no_change",
                    "override_reason": "Mood unchanged by her account.",
                }
            ],
        }
    ]


@time_machine.travel(NOW, tick=False)
def test_a_draft_plan_is_created_from_a_template_in_use(cast: Cast) -> None:
    services.plan_library_seed(organization=cast.organization, actor=cast.admin)
    anxiety = cast.organization.plan_templates.get(key="anxiety")
    depression = cast.organization.plan_templates.get(key="depression")
    services.library_item_retire(item=depression, actor=cast.admin)
    client = make_client(cast)
    api = signed_in(cast.clinician)
    url = f"{API}/clients/{client.public_id}/plans"

    retired = _post(api, url, {"template": str(depression.public_id)})
    assert retired.status_code == 400
    assert retired.json() == {
        "error": {
            "code": "invalid",
            "message": "The request breaks a rule.",
            "details": {"template": ["Choose a template of the library that is in use."]},
        }
    }
    assert TreatmentPlan.objects.filter(client=client).count() == 0

    created = _post(api, url, {"template": str(anxiety.public_id)})
    assert created.status_code == 201
    body = created.json()
    plan = TreatmentPlan.objects.get(client=client)
    assert (body["id"], body["status"], body["version"]) == (str(plan.public_id), "draft", 1)
    assert [row["instrument_id"] for row in body["problems"][0]["goals"][0]["objectives"]] == [
        "gad7",
        "",
    ]
    again = _post(api, url, {})
    assert again.status_code == 400
    assert again.json()["error"]["details"] == {
        "__all__": ["This client already has a plan; revise it instead."]
    }
    assert AuditEvent.objects.filter(action="plans.created").count() == 1


@time_machine.travel(NOW, tick=False)
def test_progress_is_recorded_against_an_objective_and_bad_input_is_explained(
    cast: Cast,
) -> None:
    plan = make_active_plan(cast)
    objective = Objective.objects.get(goal__problem__plan=plan)
    api = signed_in(cast.associate)
    url = f"{API}/objectives/{objective.public_id}/progress"

    missing = _post(api, url, {"recorded_on": "2026-03-31"})
    assert missing.status_code == 400
    assert missing.json()["error"]["details"] == {
        "value": ["Give the value of the objective's metric."]
    }
    future = _post(api, url, {"value": "12", "recorded_on": "2026-04-02"})
    assert future.json()["error"]["details"] == {
        "recorded_on": ["Progress cannot be recorded for a future date."]
    }
    not_a_number = _post(api, url, {"value": "twelve"})
    assert not_a_number.status_code == 422
    assert not_a_number.json()["error"]["code"] == "invalid"
    assert ObjectiveProgressEntry.objects.count() == 0

    recorded = _post(api, url, {"value": "12"})
    assert recorded.status_code == 201
    entry = ObjectiveProgressEntry.objects.get()
    assert recorded.json() == {
        "id": str(entry.public_id),
        "objective": str(objective.public_id),
        "objective_lineage_id": str(objective.lineage_id),
        "recorded_on": "2026-04-01",
        "value": "12",
    }
    assert entry.recorded_by == cast.associate


def test_roles_without_clinical_access_are_refused_and_outsiders_find_nothing(
    cast: Cast,
) -> None:
    plan = make_active_plan(cast)
    objective = Objective.objects.get(goal__problem__plan=plan)
    reads = [
        f"{API}/clients/{plan.client.public_id}/plans",
        f"{API}/{plan.public_id}",
        f"{API}/{plan.public_id}/changes",
        f"{API}/{plan.public_id}/reviews",
    ]
    writes = [
        (f"{API}/clients/{plan.client.public_id}/plans", {}),
        (f"{API}/objectives/{objective.public_id}/progress", {"value": "10"}),
    ]
    for user in (cast.owner, cast.admin, cast.front_desk, cast.biller):
        user_client = signed_in(user)
        for url in reads:
            assert user_client.get(url).status_code == 403, (user, url)
        for url, body in writes:
            response = _post(user_client, url, body)
            assert response.status_code == 403, (user, url)
            assert response.json()["error"]["code"] == "forbidden"
    outsider = signed_in(cast.outsider)
    for url in reads:
        assert outsider.get(url).status_code == 404, url
    for url, body in writes:
        assert _post(outsider, url, body).json()["error"]["code"] == "not_found", url
    # The supervisor sees the associate's client only while supervising them.
    SupervisionRelationship.objects.update(ended_on=date(2026, 1, 6))
    assert signed_in(cast.supervisor).get(f"{API}/{plan.public_id}").status_code == 403
    assert ObjectiveProgressEntry.objects.count() == 0
    assert TreatmentPlan.objects.count() == 1
    assert _viewed() == []


def test_a_read_only_token_reads_plans_but_records_nothing(cast: Cast) -> None:
    plan = make_active_plan(cast)
    objective = Objective.objects.get(goal__problem__plan=plan)
    _, raw = access_token_create(
        user=cast.clinician, organization=cast.organization, name="t", can_write=False, days=5
    )
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get(f"{API}/{plan.public_id}", **bearer).status_code == 200
    refused = Client().post(
        f"{API}/objectives/{objective.public_id}/progress",
        {"value": "10"},
        content_type="application/json",
        **bearer,
    )
    assert refused.status_code == 403
    assert ObjectiveProgressEntry.objects.count() == 0
