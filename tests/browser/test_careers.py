# ruff: noqa: RUF001  (the page prints the multiplication sign and en dash as asserted)
"""A clinician finds a job they qualify for and applies; the employer moves it to interview."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tend.accounts.services import membership_roles_set, organization_create
from tend.careers.models import JobApplication
from tend.core.permissions import Role
from tend.licensure import requirements
from tests.browser.conftest import axe_violations, sign_in
from tests.careers.factories import make_license, make_posting
from tests.conftest import PASSWORD, make_user


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_a_clinician_applies_to_a_job_they_qualify_for_and_sees_the_interview_stage(
    page: Page, live_server: object, demo_settings: None, console_errors: list[str]
) -> None:
    base_url = str(live_server)
    employer_owner = make_user("owner@bluebonnet.test", "Bea Owner", mfa=False)
    employer = organization_create(
        name="Bluebonnet Telehealth",
        kind="telehealth",
        state="TX",
        timezone_name="America/Chicago",
        owner=employer_owner,
    )
    hiring = make_user("hiring@bluebonnet.test", "Hal Hiring", mfa=False)
    membership_roles_set(
        organization=employer, user=hiring, roles=[Role.HIRING_MANAGER], actor=employer_owner
    )
    practice_owner = make_user("owner@harbor.test", "Olivia Owner", mfa=False)
    practice = organization_create(
        name="Harbor Counseling",
        kind="group_practice",
        state="TX",
        timezone_name="America/Chicago",
        owner=practice_owner,
    )
    clinician = make_user("cleo@harbor.test", "Cleo Clinician", mfa=False)
    membership_roles_set(
        organization=practice, user=clinician, roles=[Role.CLINICIAN], actor=practice_owner
    )
    make_license(
        clinician,
        state="TX",
        title="LPC",
        expires_on=timezone.localdate() + timedelta(days=3 * 365),
    )
    for title, family in (
        ("DBT Therapist (telehealth)", "counselor"),
        ("DBT Psychologist (telehealth)", "psychology"),
    ):
        make_posting(
            employer,
            hiring,
            title=title,
            description="Comprehensive DBT by video across Texas.",
            setting="telehealth",
            work_arrangement="remote",
            city="",
            licensed_states=["TX"],
            license_families=[family],
            modalities=["dbt"],
            pay_basis="per_session",
            pay_min=Decimal("60"),
            pay_max=Decimal("70"),
            sessions_per_week=24,
            working_weeks_per_year=48,
        )

    sign_in(page, base_url, "cleo@harbor.test", PASSWORD)
    page.get_by_role("link", name="Jobs", exact=True).click()
    page.get_by_role("textbox", name="Search").fill("DBT telehealth Texas")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#job-results article")
    expect(results).to_have_count(2)
    page.get_by_label("Only jobs I qualify for").check()
    page.get_by_role("button", name="Search").click()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Eligible")
    page.get_by_text("Save this search").click()
    page.get_by_role("textbox", name="Name").fill("DBT jobs I qualify for")
    page.get_by_role("button", name="Save search").click()
    expect(page.get_by_text("Saved “DBT jobs I qualify for”.")).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("Only jobs I qualify for")
    assert axe_violations(page) == []
    page.get_by_role("link", name="DBT jobs I qualify for").click()
    expect(results).to_have_count(1)

    page.get_by_role("link", name="DBT Therapist (telehealth)").click()
    expect(page.locator("h1")).to_have_text("DBT Therapist (telehealth)")
    expect(page.get_by_text("Your active LPC licence in TX")).to_be_visible()
    expect(page.get_by_text("$69,120–$80,640 a year").first).to_be_visible()
    expect(
        page.get_by_text("per-session rate × 24 sessions/week × 48 working weeks/year").first
    ).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("Licenses").check()
    page.get_by_label("Cover note").fill("Intensively trained in DBT.")
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text("You applied to DBT Therapist (telehealth).")).to_be_visible()
    _sign_out(page)

    sign_in(page, base_url, "hiring@bluebonnet.test", PASSWORD)
    page.get_by_role("link", name="Hiring", exact=True).click()
    page.get_by_role("link", name="DBT Therapist (telehealth)", exact=True).click()
    page.get_by_role("link", name="Cleo Clinician").click()
    expect(page.get_by_text("LPC, TX #TX-counselor-LPC")).to_be_visible()
    page.get_by_label("Stage").select_option("interview")
    page.get_by_label("Note").fill("Schedule a video interview.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Moved to Interview.")).to_be_visible()
    _sign_out(page)

    sign_in(page, base_url, "cleo@harbor.test", PASSWORD)
    page.goto(f"{base_url}/careers/applications/")
    expect(page.locator("tbody tr").first).to_contain_text("Interview")
    assert JobApplication.objects.get().status == "interview"
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_visitor_explores_the_road_to_a_texas_counselor_licence(
    page: Page, live_server: object, demo_settings: None, console_errors: list[str]
) -> None:
    row = requirements.requirement_for("TX", "counselor")
    page.goto(f"{live_server}/careers/")
    page.get_by_role("link", name="Explore the road to each licence, state by state").click()
    page.get_by_role("region", name="Professional counselor").get_by_role(
        "link", name="Texas"
    ).click()
    expect(page.locator("h1")).to_have_text(f"{row.license_title} in Texas")
    expect(page.get_by_role("row", name="Direct client contact")).to_contain_text(
        f"{row.direct_client_hours:,} h"
    )
    expect(page.get_by_text(row.provenance).first).to_be_visible()
    assert axe_violations(page) == []
    assert console_errors == []
