"""The plan pages: who may read them, what they audit, and a bounded number of queries."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tend.audit.models import AuditEvent
from tend.plans import selectors, services
from tend.plans.models import Objective, PlanSettings, TreatmentPlan
from tend.plans.services import ObjectiveDecision
from tend.supervision.models import SupervisionRelationship
from tests.conftest import Cast, signed_in
from tests.plans.helpers import add_intervention, make_active_plan, make_client

CHICAGO = ZoneInfo("America/Chicago")


def _grow(cast: Cast, plan: TreatmentPlan, objectives: int, reviews: int) -> TreatmentPlan:
    """The plan's next version with `objectives` more objectives, activated, then reviewed
    `reviews` times."""
    goal = plan.problems.get().goals.get()
    for number in range(objectives):
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
        add_intervention(goal, cast.clinician)
    draft = TreatmentPlan.objects.get(client=plan.client, status="draft")
    services.plan_activate(
        plan=draft,
        actor=cast.clinician,
        signature="Cleo Clinician",
        agreement_kind="typed_signature",
        agreed_by_name="Rowan Quill",
        agreed_on=date(2026, 2, 2),
        review_days=90,
    )
    for _ in range(reviews):
        services.plan_review_record(
            plan=draft,
            actor=cast.clinician,
            signature="Cleo Clinician",
            summary="",
            decisions=[
                ObjectiveDecision(row.objective, row.prefill.suggested_status, "")
                for row in selectors.review_prefill(draft)
            ],
        )
    return draft


def _queries(user_client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = user_client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@time_machine.travel(datetime(2026, 2, 2, 9, 0, tzinfo=CHICAGO), tick=False)
def test_the_plan_page_runs_the_same_queries_whatever_the_number_of_objectives_and_reviews(
    cast: Cast,
) -> None:
    small = _grow(cast, make_active_plan(cast, make_client(cast, "Ada", "Brook")), 1, 1)
    large = _grow(cast, make_active_plan(cast, make_client(cast, "Ben", "Cole")), 12, 6)
    assert Objective.objects.filter(goal__problem__plan=large).count() == 13
    assert large.reviews.count() == 6
    user_client = signed_in(cast.clinician)
    user_client.get("/")  # the session's first request loads things once
    counts = {
        name: (
            _queries(user_client, f"/plans/{plan.public_id}/"),
            _queries(user_client, f"/plans/{plan.public_id}/changes/"),
            _queries(user_client, f"/plans/{plan.public_id}/review/"),
        )
        for name, plan in (("small", small), ("large", large))
    }
    assert counts["small"] == counts["large"]
    # PostgreSQL takes the audit chain's advisory lock in one more query per audited read.
    lock = 1 if connection.vendor == "postgresql" else 0
    assert counts["small"] == (20 + lock, 25 + lock, 16 + lock)


def test_front_desk_and_billing_cannot_read_plans_and_outsiders_do_not_find_them(
    cast: Cast,
) -> None:
    plan = make_active_plan(cast)
    for user in (cast.front_desk, cast.biller, cast.owner, cast.admin):
        for url in (f"/plans/{plan.public_id}/", f"/plans/{plan.public_id}/pdf/"):
            assert signed_in(user).get(url).status_code == 403, (user, url)
    assert signed_in(cast.outsider).get(f"/plans/{plan.public_id}/").status_code == 404
    assert AuditEvent.objects.filter(action__in=["plans.viewed", "plans.exported"]).count() == 0


def test_a_clinician_off_the_case_is_refused(cast: Cast) -> None:
    plan = make_active_plan(cast)
    # The supervisor sees the associate's client only while supervising them.
    SupervisionRelationship.objects.update(ended_on=date(2026, 1, 6))
    assert signed_in(cast.supervisor).get(f"/plans/{plan.public_id}/").status_code == 403
    assert AuditEvent.objects.filter(action="plans.viewed").count() == 0


def test_reading_a_plan_is_audited(cast: Cast) -> None:
    plan = make_active_plan(cast)
    response = signed_in(cast.associate).get(f"/plans/{plan.public_id}/")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="plans.viewed").get()
    assert (event.actor_id, event.subject_id, event.client_id, event.extra) == (
        cast.associate.public_id,
        str(plan.public_id),
        plan.client.public_id,
        {},
    )


@time_machine.travel(datetime(2026, 2, 2, 9, 0, tzinfo=CHICAGO), tick=False)
def test_the_pdf_carries_the_plan_signatures_and_dates_and_is_audited(cast: Cast) -> None:
    plan = make_active_plan(cast, agreed_on=date(2026, 2, 1))
    response = signed_in(cast.clinician).get(f"/plans/{plan.public_id}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="treatment-plan-v1.pdf"'
    assert response.content.startswith(b"%PDF-")
    event = AuditEvent.objects.filter(action="plans.exported").get()
    assert event.extra == {"format": "pdf", "version": 1}
    html = _pdf_html(plan)
    assert "Signed electronically by Cleo Clinician on Feb 2, 2026" in html
    assert "Signature typed in person: Rowan Quill, Feb 1, 2026" in html
    assert "PHQ-9 total below 10." in html


def _pdf_html(plan: TreatmentPlan) -> str:
    from django.template.loader import render_to_string

    full = selectors.plan_with_contents(plan.pk)
    return render_to_string("plans/plan_pdf.html", {"plan": full, "client": full.client})


def test_a_clinician_starts_a_plan_from_a_library_template(cast: Cast) -> None:
    services.plan_library_seed(organization=cast.organization, actor=cast.clinician)
    client = make_client(cast)
    template = cast.organization.plan_templates.get(key="anxiety")
    with time_machine.travel(datetime(2026, 2, 2, 9, 0, tzinfo=CHICAGO), tick=False):
        response = signed_in(cast.clinician).post(
            f"/plans/clients/{client.public_id}/start/", {"template": str(template.public_id)}
        )
    plan = TreatmentPlan.objects.get(client=client)
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.public_id}/"
    objectives = list(
        Objective.objects.filter(goal__problem__plan=plan).values_list(
            "metric_kind", "instrument_id", "target", "direction", "target_date", "baseline"
        )
    )
    assert objectives == [
        ("instrument_score", "gad7", Decimal(7), "at_most", date(2026, 4, 27), None),
        ("self_rating", "", Decimal(7), "at_least", date(2026, 4, 13), None),
    ]
    assert plan.problems.get().goals.get().interventions.count() == 2
    # The client page now leads to the draft.
    follow = signed_in(cast.clinician).get(f"/plans/clients/{client.public_id}/")
    assert follow["Location"] == f"/plans/{plan.public_id}/"


def test_owners_set_the_default_review_cadence_and_bad_input_is_refused(cast: Cast) -> None:
    owner = signed_in(cast.owner)
    refused = owner.post("/plans/settings/", {"default_review_days": "3"})
    assert refused.status_code == 400
    assert refused.context["form"].errors == {
        "default_review_days": ["Ensure this value is greater than or equal to 7."]
    }
    assert PlanSettings.objects.count() == 0
    saved = owner.post("/plans/settings/", {"default_review_days": "60"})
    assert saved.status_code == 302
    assert PlanSettings.objects.get(organization=cast.organization).default_review_days == 60
    event = AuditEvent.objects.filter(action="plans.settings_updated").get()
    assert event.extra == {"default_review_days": [90, 60]}
    assert signed_in(cast.clinician).get("/plans/settings/").status_code == 403


def test_clinicians_edit_a_library_template(cast: Cast) -> None:
    services.plan_library_seed(organization=cast.organization, actor=cast.clinician)
    template = cast.organization.plan_templates.get(key="trauma")
    response = signed_in(cast.clinician).post(
        f"/plans/library/{template.public_id}/",
        {
            "title": "Trauma (adult)",
            "problem_statement": template.problem_statement,
            "goal_client_words": template.goal_client_words,
            "goal_statement": template.goal_statement,
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.title == "Trauma (adult)"
    event = AuditEvent.objects.filter(action="plans.template_updated").get()
    assert event.extra == {"part": "template", "fields": ["title"]}
    assert signed_in(cast.front_desk).get("/plans/library/").status_code == 403
