"""The organization's plan library is editable: templates, their measurable objectives and
their interventions are added, changed and retired by owners, admins and clinicians; bad
input is refused with the reason and nothing typed is lost; plans already written keep
their copies."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tend.audit.models import AuditEvent
from tend.plans import services
from tend.plans.models import (
    InterventionTemplate,
    Objective,
    ObjectiveTemplate,
    PlanTemplate,
    TreatmentPlan,
)
from tests.conftest import Cast, signed_in
from tests.plans.helpers import make_client

CHICAGO = ZoneInfo("America/Chicago")
TARGET_NEEDED = (
    "An objective needs a measurable target (a number to reach), otherwise progress cannot "
    "be judged."
)


def _seeded(cast: Cast, key: str) -> PlanTemplate:
    services.plan_library_seed(organization=cast.organization, actor=cast.clinician)
    return cast.organization.plan_templates.get(key=key)


def _objective_post(**overrides: str) -> dict[str, str]:
    values = {
        "description": "Sleeps through the night most nights.",
        "metric_kind": "frequency_per_week",
        "instrument_id": "",
        "target": "5",
        "direction": "at_least",
        "weeks_to_target": "6",
    }
    return {**values, **overrides}


def _intervention_post(**overrides: str) -> dict[str, str]:
    values = {
        "modality": "cbt",
        "modality_other": "",
        "description": "Stimulus control and a regular rise time.",
        "frequency": "Weekly sessions",
        "responsible_person": "Clinician and client",
    }
    return {**values, **overrides}


def _library_events() -> list[tuple[str, dict[str, Any]]]:
    return [
        (event.action, event.extra)
        for event in AuditEvent.objects.filter(action__startswith="plans.template_").order_by("id")
    ]


def test_an_owner_writes_a_new_template_with_an_objective_and_an_intervention(
    cast: Cast,
) -> None:
    owner = signed_in(cast.owner)
    created = owner.post(
        "/plans/library/new/",
        {
            "title": "Depressed mood",
            "problem_statement": "Poor sleep is wearing down mood and concentration.",
            "goal_client_words": "I want to wake up rested.",
            "goal_statement": "Restore a regular sleep pattern.",
        },
    )
    template = PlanTemplate.objects.get(organization=cast.organization)
    assert created.status_code == 302
    assert created["Location"] == f"/plans/library/#template-{template.public_id}"
    assert template.key == "depressed-mood"

    added = owner.post(f"/plans/library/{template.public_id}/objectives/add/", _objective_post())
    assert added.status_code == 302
    intervention = owner.post(
        f"/plans/library/{template.public_id}/interventions/add/",
        _intervention_post(modality="other", modality_other="Sleep restriction"),
    )
    assert intervention.status_code == 302

    assert list(
        ObjectiveTemplate.objects.filter(template=template).values_list(
            "position", "metric_kind", "target", "direction", "weeks_to_target"
        )
    ) == [(1, "frequency_per_week", Decimal(5), "at_least", 6)]
    assert list(
        InterventionTemplate.objects.filter(template=template).values_list(
            "modality", "modality_other", "frequency"
        )
    ) == [("other", "Sleep restriction", "Weekly sessions")]
    assert _library_events() == [
        ("plans.template_created", {"part": "template"}),
        ("plans.template_updated", {"part": "objective", "added": True}),
        ("plans.template_updated", {"part": "intervention", "added": True}),
    ]
    page = owner.get("/plans/library/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "(Times per week; at least 5; 6 weeks)" in html
    assert "(Sleep restriction; Weekly sessions; Clinician and client)" in html


def test_a_new_template_never_takes_a_starter_templates_key(cast: Cast) -> None:
    for title in ("Depression", "Depression"):
        services.plan_template_create(
            organization=cast.organization,
            actor=cast.admin,
            title=title,
            problem_statement="Low mood.",
            goal_client_words="Feel better.",
            goal_statement="Reduce symptoms.",
        )
    assert sorted(cast.organization.plan_templates.values_list("key", flat=True)) == [
        "depression-2",
        "depression-3",
    ]
    # The starter "depression" template still loads beside them.
    assert services.plan_library_seed(organization=cast.organization, actor=cast.admin) == 4


def test_an_objective_template_without_a_target_is_refused_with_the_reason_and_the_input_kept(
    cast: Cast,
) -> None:
    template = _seeded(cast, "anxiety")
    before = _library_events()
    response = signed_in(cast.admin).post(
        f"/plans/library/{template.public_id}/objectives/add/",
        _objective_post(description="Feels calmer.", target=""),
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"target": [TARGET_NEEDED]}
    html = response.content.decode()
    assert TARGET_NEEDED in html
    assert "Feels calmer." in html
    assert template.objectives.count() == 2
    assert _library_events() == before


def test_the_measurable_target_rules_of_plan_objectives_apply_to_library_objectives(
    cast: Cast,
) -> None:
    template = _seeded(cast, "depression")
    objective = template.objectives.get(position=1)  # PHQ-9 total at most 9
    admin = signed_in(cast.admin)
    url = f"/plans/library/objectives/{objective.public_id}/"
    cases = [
        (
            {"metric_kind": "instrument_score", "instrument_id": "", "target": "9"},
            {"instrument_id": ["Choose the instrument whose total score is the measure."]},
        ),
        (
            {"metric_kind": "self_rating", "instrument_id": "", "target": "12"},
            {"target": ["A self-rating is between 0 and 10."]},
        ),
        (
            {"metric_kind": "frequency_per_week", "instrument_id": "phq9", "target": "2"},
            {"instrument_id": ["Only an instrument-score objective names an instrument."]},
        ),
        (
            {"metric_kind": "milestone", "target": "1", "direction": "at_most"},
            {"direction": ["A milestone is met when it is reached (at or above 1)."]},
        ),
        (
            {"weeks_to_target": "0"},
            {"weeks_to_target": ["Ensure this value is greater than or equal to 1."]},
        ),
    ]
    for fields, errors in cases:
        response = admin.post(url, _objective_post(**fields))
        assert response.status_code == 400, fields
        assert response.context["form"].errors == errors, fields
    objective.refresh_from_db()
    assert (objective.metric_kind, objective.instrument_id, objective.target) == (
        "instrument_score",
        "phq9",
        Decimal(9),
    )
    assert _library_events() == []


def test_an_intervention_template_takes_its_modality_from_the_controlled_list(
    cast: Cast,
) -> None:
    template = _seeded(cast, "trauma")
    intervention = template.interventions.get(position=1)
    clinician = signed_in(cast.clinician)
    url = f"/plans/library/interventions/{intervention.public_id}/"
    unknown = clinician.post(url, _intervention_post(modality="hypnotherapy"))
    assert unknown.status_code == 400
    assert unknown.context["form"].errors == {
        "modality": ["Select a valid choice. hypnotherapy is not one of the available choices."]
    }
    unnamed = clinician.post(url, _intervention_post(modality="other"))
    assert unnamed.status_code == 400
    assert unnamed.context["form"].errors == {
        "modality_other": ["Name the modality when choosing Other."]
    }
    saved = clinician.post(
        url, _intervention_post(modality="emdr", modality_other="left over", frequency="Weekly")
    )
    assert saved.status_code == 302
    intervention.refresh_from_db()
    assert (intervention.modality, intervention.modality_other, intervention.frequency) == (
        "emdr",
        "",
        "Weekly",
    )
    assert _library_events() == [
        (
            "plans.template_updated",
            {
                "part": "intervention",
                "fields": ["description", "frequency", "modality", "responsible_person"],
            },
        )
    ]


@time_machine.travel(datetime(2026, 2, 2, 9, 0, tzinfo=CHICAGO), tick=False)
def test_edits_and_retirements_shape_new_plans_and_leave_written_plans_alone(cast: Cast) -> None:
    template = _seeded(cast, "anxiety")
    written = services.plan_create(
        client=make_client(cast, "Ada", "Brook"), actor=cast.clinician, template=template
    )
    gad7, self_rating = template.objectives.all()
    services.library_part_update(
        part=gad7,
        actor=cast.admin,
        description=gad7.description,
        metric_kind="instrument_score",
        instrument_id="gad7",
        target=Decimal(4),
        direction="at_most",
        weeks_to_target=16,
    )
    services.library_item_retire(item=self_rating, actor=cast.admin)
    services.library_item_retire(item=template.interventions.get(position=2), actor=cast.admin)

    later = services.plan_create(
        client=make_client(cast, "Ben", "Cole"), actor=cast.clinician, template=template
    )

    def objectives(plan: TreatmentPlan) -> list[tuple[int, str, Decimal | None, date]]:
        return list(
            Objective.objects.filter(goal__problem__plan=plan).values_list(
                "position", "metric_kind", "target", "target_date"
            )
        )

    assert objectives(written) == [
        (1, "instrument_score", Decimal(7), date(2026, 4, 27)),
        (2, "self_rating", Decimal(7), date(2026, 4, 13)),
    ]
    assert objectives(later) == [(1, "instrument_score", Decimal(4), date(2026, 5, 25))]
    assert written.problems.get().goals.get().interventions.count() == 2
    assert later.problems.get().goals.get().interventions.count() == 1


def test_a_retired_template_is_not_offered_and_cannot_be_used(cast: Cast) -> None:
    template = _seeded(cast, "depression")
    services.library_item_retire(item=template, actor=cast.owner)
    client = make_client(cast)
    clinician = signed_in(cast.clinician)

    start = clinician.get(f"/plans/clients/{client.public_id}/")
    choices = [str(value) for value, _ in start.context["form"].fields["template"].choices]
    assert str(template.public_id) not in choices
    assert len(choices) == 4  # the empty choice and the three starters still in use

    refused = clinician.post(
        f"/plans/clients/{client.public_id}/start/", {"template": str(template.public_id)}
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors == {
        "template": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert TreatmentPlan.objects.filter(client=client).count() == 0

    services.library_item_restore(item=template, actor=cast.owner)
    restored = clinician.get(f"/plans/clients/{client.public_id}/")
    choices = [str(value) for value, _ in restored.context["form"].fields["template"].choices]
    assert str(template.public_id) in choices
    assert _library_events() == [
        ("plans.template_retired", {"part": "template"}),
        ("plans.template_restored", {"part": "template"}),
    ]


def test_retiring_twice_records_one_event(cast: Cast) -> None:
    objective = _seeded(cast, "trauma").objectives.get(position=1)
    services.library_item_retire(item=objective, actor=cast.admin)
    first = ObjectiveTemplate.objects.get(pk=objective.pk).retired_at
    services.library_item_retire(item=objective, actor=cast.admin)
    assert ObjectiveTemplate.objects.get(pk=objective.pk).retired_at == first
    assert _library_events() == [("plans.template_retired", {"part": "objective"})]


def test_retiring_from_the_library_page_swaps_the_templates_card_with_htmx(cast: Cast) -> None:
    template = _seeded(cast, "substance_use")
    intervention = template.interventions.get(position=1)
    response = signed_in(cast.supervisor).post(
        f"/plans/library/interventions/{intervention.public_id}/retire/",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card library-template"')
    assert f'id="template-{template.public_id}"' in html
    assert f"/plans/library/interventions/{intervention.public_id}/restore/" in html
    assert "<html" not in html
    plain = signed_in(cast.supervisor).post(
        f"/plans/library/interventions/{intervention.public_id}/restore/"
    )
    assert plain.status_code == 302
    assert plain["Location"] == f"/plans/library/#template-{template.public_id}"
    intervention.refresh_from_db()
    assert intervention.retired_at is None


def test_roles_without_the_library_refuse_and_outsiders_do_not_find_it(cast: Cast) -> None:
    template = _seeded(cast, "depression")
    objective = template.objectives.get(position=1)
    for user in (cast.front_desk, cast.biller, cast.auditor, cast.hiring_manager):
        response = signed_in(user).post(f"/plans/library/objectives/{objective.public_id}/retire/")
        assert response.status_code == 403, user
    outsider = signed_in(cast.outsider).post(
        f"/plans/library/objectives/{objective.public_id}/", _objective_post()
    )
    assert outsider.status_code == 404
    objective.refresh_from_db()
    assert (objective.retired_at, objective.metric_kind) == (None, "instrument_score")
    assert _library_events() == []


def _library_queries(user_client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = user_client.get("/plans/library/")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_library_page_runs_the_same_queries_however_large_the_library(cast: Cast) -> None:
    services.plan_library_seed(organization=cast.organization, actor=cast.admin)
    admin = signed_in(cast.admin)
    admin.get("/")
    small = _library_queries(admin)
    for number in range(12):
        template = services.plan_template_create(
            organization=cast.organization,
            actor=cast.admin,
            title=f"Template {number}",
            problem_statement="Problem.",
            goal_client_words="Goal.",
            goal_statement="Goal statement.",
        )
        for _ in range(3):
            services.library_part_add(
                template=template, model=ObjectiveTemplate, actor=cast.admin, **_objective_post()
            )
            services.library_part_add(
                template=template,
                model=InterventionTemplate,
                actor=cast.admin,
                **_intervention_post(),
            )
        services.library_item_retire(item=template.objectives.get(position=2), actor=cast.admin)
    assert PlanTemplate.objects.count() == 16
    assert _library_queries(admin) == small
