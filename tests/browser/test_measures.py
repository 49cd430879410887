"""A PHQ-9 sent by link, answered by the client, flagged, acknowledged, and the safety plan
built and printed — in a real browser."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from tend.accounts.services import membership_roles_set, organization_create, user_create
from tend.clients.models import Client
from tend.clients.services import client_create
from tend.core.permissions import Role
from tend.measures.models import MeasureResponse, RiskAlert, SafetyPlan
from tests.browser.conftest import axe_violations, sign_in

PASSWORD = "correct horse battery staple 42"


@pytest.mark.django_db(transaction=True)
def test_a_phq9_link_with_item_9_flags_risk_through_to_a_printed_safety_plan(
    page: Page,
    browser: Browser,
    live_server: object,
    demo_settings: None,
    console_errors: list[str],
) -> None:
    base_url = str(live_server)
    owner = user_create(email="owner@lakeside.test", display_name="Lee Owner", password=PASSWORD)
    organization = organization_create(
        name="Lakeside Therapy",
        kind="private_practice",
        state="TX",
        timezone_name="America/Chicago",
        owner=owner,
    )
    clinician = user_create(
        email="cleo@lakeside.test", display_name="Cleo Clinician", password=PASSWORD
    )
    membership_roles_set(
        organization=organization, user=clinician, roles=[Role.CLINICIAN], actor=owner
    )
    client = client_create(
        organization=organization,
        actor=owner,
        status=Client.Status.ACTIVE,
        primary_clinician=clinician,
        legal_first_name="Rowan",
        legal_last_name="Quill",
        date_of_birth=date(1991, 3, 14),
        email="rowan.quill@example.org",
    )

    # The clinician sends a PHQ-9 link.
    sign_in(page, base_url, clinician.email, PASSWORD)
    page.goto(f"{base_url}/measures/clients/{client.public_id}/")
    send = page.locator("form", has=page.get_by_role("button", name="Create link"))
    send.get_by_label("Instrument").select_option("phq9")
    send.get_by_role("button", name="Create link").click()
    link = page.get_by_label("Link").input_value()
    assert "/measures/l/" in link and str(client.public_id) not in link

    # The client answers in a fresh browser context: no session, no cookies.
    context = browser.new_context()
    client_page = context.new_page()
    client_page.goto(link)
    expect(client_page.get_by_role("heading", level=1)).to_have_text(
        "Patient Health Questionnaire-9"
    )
    assert "Rowan" not in client_page.content()
    assert axe_violations(client_page) == []
    for item in range(1, 9):
        client_page.locator(f'input[name="item_{item}"][value="0"]').check()
    client_page.get_by_role(
        "group", name="9. Thoughts that you would be better off dead or of hurting yourself"
    ).get_by_label("Several days").check()
    client_page.get_by_role("button", name="Send my answers").click()
    expect(client_page.get_by_role("heading", level=1)).to_have_text("Thank you")
    client_page.goto(link)
    expect(client_page.get_by_role("heading", level=1)).to_have_text("This link was already used")
    context.close()

    # The clinician sees the score, band, risk flag and alert, and acknowledges it.
    page.goto(f"{base_url}/measures/clients/{client.public_id}/")
    expect(page.locator(".measure-series h3").first).to_contain_text("latest 1 · Minimal")
    expect(page.get_by_text("Critical item endorsed", exact=True)).to_be_visible()
    page.get_by_role("link", name="Acknowledge the alert for Cleo Clinician").click()
    page.get_by_label("Action taken").fill("Called Rowan; C-SSRS screen low; plan made today.")
    page.get_by_role("button", name="Acknowledge alert").click()
    expect(page.get_by_text("Risk alert acknowledged.")).to_be_visible()

    # Builds a safety plan and prints it.
    page.get_by_role("link", name="Build a safety plan").click()
    page.get_by_label("1. Warning signs").fill("Not sleeping; skipping meals")
    page.get_by_label("2. Things I can do on my own").fill("Walk; shower; music")
    page.get_by_label("3. People and places").fill("Library; cousin Ana")
    page.get_by_label("4. People I can ask for help").fill("Sister Mara 555-0101")
    page.get_by_label("5. Professionals and services").fill("Clinic 555-0199; 988")
    page.get_by_label("6. Making my surroundings safer").fill("Medication kept by Mara")
    page.get_by_label("Reviewed with the client on").fill("2026-11-20")
    page.get_by_role("button", name="Save safety plan").click()
    expect(page.get_by_text("Safety plan version 1 saved.")).to_be_visible()
    assert axe_violations(page) == []
    pdf_url = page.get_by_role("link", name="Print (PDF)").get_attribute("href")
    pdf = page.context.request.get(f"{base_url}{pdf_url}")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    response = MeasureResponse.objects.get()
    assert (response.total, response.band, response.mode) == (1, "Minimal", "client_link")
    assert RiskAlert.objects.get().action_note.startswith("Called Rowan")
    assert SafetyPlan.objects.get().reviewed_with_client_on == date(2026, 11, 20)
    assert console_errors == []
