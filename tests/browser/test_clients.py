"""A clinician takes in a new client, is warned about a duplicate, and opens the chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tend.accounts.services import membership_roles_set, organization_create, user_create
from tend.clients.models import Client
from tend.core.permissions import Role
from tests.browser.conftest import axe_violations, sign_in

PASSWORD = "correct horse battery staple 42"


def _fill_new_client(page: Page, first: str) -> None:
    page.get_by_label("Legal first name").fill(first)
    page.get_by_label("Legal last name").fill("Ellery")
    page.get_by_label("Date of birth").fill("1990-04-12")
    page.get_by_label("Pronouns").fill("they/them")


@pytest.mark.django_db(transaction=True)
def test_a_clinician_creates_a_client_sees_the_duplicate_warning_and_opens_the_chart(
    page: Page, live_server: object, demo_settings: None, console_errors: list[str]
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
    sign_in(page, base_url, clinician.email, PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    page.get_by_role("link", name="New client").click()
    _fill_new_client(page, "Rowan")
    expect(page.get_by_label("Primary clinician")).to_have_value(str(clinician.pk))
    page.get_by_label("Status").select_option("active")
    page.get_by_role("button", name="Create client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rowan Ellery")
    assert axe_violations(page) == []
    rowan = Client.objects.get()

    # The same person, typed again with a slip, is caught before a second record exists.
    page.goto(f"{base_url}/clients/new/")
    _fill_new_client(page, "Rowen")
    page.get_by_role("button", name="Create client").click()
    warning = page.get_by_role("alert").filter(has_text="already in your records")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("link", name="Rowan Ellery")).to_be_visible()
    expect(page.get_by_label("Legal first name")).to_have_value("Rowen")
    assert axe_violations(page) == []
    assert Client.objects.count() == 1

    # The clinician opens the existing chart instead.
    warning.get_by_role("link", name="Rowan Ellery").click()
    page.wait_for_url(f"{base_url}/clients/{rowan.public_id}/")
    expect(page.get_by_role("heading", name="Episodes of care")).to_be_visible()

    # The caseload search narrows the list without reloading the page.
    page.goto(f"{base_url}/clients/")
    expect(page.get_by_role("link", name="Rowan Ellery")).to_be_visible()
    page.get_by_label("Search by name").fill("nobody-by-this-name")
    expect(page.get_by_text("No clients match “nobody-by-this-name”.")).to_be_visible()
    assert page.url == f"{base_url}/clients/"
    assert axe_violations(page) == []
    # The one 400 is the duplicate warning page itself (a form answered with 400).
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
