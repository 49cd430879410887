"""A clinician builds a treatment plan from a template, edits an objective, activates it with
the client's agreement, later reviews it with the PHQ-9 progress pre-filled, signs the
review and downloads the plan as a PDF."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tend.accounts.services import membership_roles_set
from tend.clients.services import client_create, episode_open
from tend.core.permissions import Role
from tend.measures.services import response_record
from tend.plans.models import PlanReview, TreatmentPlan
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD, Cast, make_user


@pytest.mark.django_db(transaction=True)
def test_a_clinician_plans_activates_reviews_and_prints_a_treatment_plan(
    page: Page,
    live_server: object,
    demo_settings: None,
    console_errors: list[str],
    cast: Cast,
) -> None:
    base_url = str(live_server)
    planner = make_user("piper.planner@harbor.test", "Piper Planner", mfa=False)
    membership_roles_set(
        organization=cast.organization, user=planner, roles=[Role.CLINICIAN], actor=cast.owner
    )
    client = client_create(
        organization=cast.organization,
        actor=cast.owner,
        primary_clinician=planner,
        legal_first_name="Marlow",
        legal_last_name="Fenwick",
        date_of_birth=date(1988, 6, 1),
    )
    episode_open(client=client, actor=planner, admission_date=date(2026, 1, 5))
    now = timezone.now()
    response_record(
        client=client,
        instrument_id="phq9",
        mode="in_session",
        actor=planner,
        administered_at=now - timedelta(days=60),
        total=17,
    )
    sign_in(page, base_url, planner.email, PASSWORD)

    # The library starts empty: load the starter templates, then start from one.
    page.goto(f"{base_url}/clients/{client.public_id}/")
    page.get_by_role("link", name="Start a treatment plan").click()
    page.get_by_role("link", name="Open the plan library").click()
    page.get_by_role("button", name="Load the starter templates").click()
    expect(page.get_by_text("4 starter template(s) added to the library.")).to_be_visible()
    page.goto(f"{base_url}/plans/clients/{client.public_id}/")
    page.get_by_label("Start from a template").select_option(label="Depressed mood")
    page.get_by_role("button", name="Start a draft plan").click()
    page.wait_for_url(re.compile(r"/plans/[0-9a-f-]{36}/$"))
    plan_url = page.url
    expect(
        page.get_by_role("heading", name=re.compile("Treatment plan, version 1"))
    ).to_be_visible()
    assert axe_violations(page) == []

    # Activation needs baselines: edit both objectives, the PHQ-9 one with a stricter target.
    page.locator("li.plan-objective", has_text="PHQ-9").locator(
        "a", has_text="Edit objective"
    ).click()
    page.get_by_label("Baseline").fill("17")
    page.get_by_label(re.compile(r"^Target:?$")).fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_target_error")).to_contain_text("needs a measurable target")
    page.get_by_label(re.compile(r"^Target:?$")).fill("9")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(plan_url)
    page.locator("li.plan-objective", has_text="Schedules").locator(
        "a", has_text="Edit objective"
    ).click()
    page.get_by_label("Baseline").fill("1")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(plan_url)

    page.get_by_role("link", name="Sign and activate").click()
    page.get_by_role("button", name="Sign and activate").click()
    expect(page.locator("#id_agreed_on_error")).to_have_text("This field is required.")
    page.get_by_label("Verbal agreement on telehealth").check()
    page.get_by_label("Client's name as signed or spoken").fill("Marlow Fenwick")
    page.get_by_label("Date of agreement").fill(timezone.localdate().isoformat())
    page.get_by_label("Your signature").fill("Piper Planner")
    page.get_by_role("button", name="Sign and activate").click()
    page.wait_for_url(plan_url)
    expect(page.get_by_text("Version 1 is now the active plan.")).to_be_visible()
    plan = TreatmentPlan.objects.get(client=client)
    assert (plan.status, plan.agreement_kind, plan.signed_by) == (
        "active",
        "verbal_telehealth",
        planner,
    )

    # Later: a new PHQ-9 score, then the review shows the progress it implies.
    response_record(
        client=client,
        instrument_id="phq9",
        mode="in_session",
        actor=planner,
        administered_at=timezone.now(),
        total=8,
    )
    page.get_by_role("link", name="Review the plan").click()
    phq9 = page.locator("fieldset", has_text="PHQ-9 total below 10")
    expect(phq9).to_contain_text("PHQ-9 total")
    expect(phq9).to_contain_text("8 on")
    expect(phq9).to_contain_text("(Mild)")
    expect(phq9).to_contain_text("-9")
    expect(phq9.get_by_role("combobox")).to_have_value("achieved")
    assert axe_violations(page) == []
    page.get_by_label("Your signature").fill("Piper Planner")
    page.get_by_role("button", name="Sign the review").click()
    page.wait_for_url(plan_url)
    expect(page.get_by_text("Plan review signed.")).to_be_visible()
    review = PlanReview.objects.get(plan=plan)
    assert review.signed_by == planner
    assert list(
        review.objectives.values_list("status", flat=True).order_by("objective__position")
    ) == [
        "achieved",
        "not_started",
    ]

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "treatment-plan-v1.pdf"
    path = download.path()
    assert path is not None
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    # The browser logs the two refused submissions above (answered 400 on purpose), and
    # nothing else: no Content-Security-Policy violation, no failed asset.
    assert (
        console_errors
        == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"] * 2
    )
