"""A clinician takes in a new client: creates the record, writes the biopsychosocial
assessment (leaving half-way and coming back to autosaved answers), signs it, and adds a
diagnosis found by search, which then shows on the chart header."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Request, expect

from tend.accounts.services import membership_roles_set
from tend.assessments.icd10 import search
from tend.assessments.models import Assessment, Diagnosis
from tend.core.permissions import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD, Cast, make_user


@pytest.mark.django_db(transaction=True)
def test_a_clinician_assesses_and_diagnoses_a_new_client(
    page: Page,
    live_server: object,
    demo_settings: None,
    console_errors: list[str],
    cast: Cast,
) -> None:
    base_url = str(live_server)
    # The live server runs in this process: build the ICD-10-CM index (a few seconds) now,
    # so the typeahead's first answer is not measured against the page's timeout.
    search("F32")
    walker = make_user("wren.walker@harbor.test", "Wren Walker", mfa=False)
    membership_roles_set(
        organization=cast.organization, user=walker, roles=[Role.CLINICIAN], actor=cast.owner
    )
    sign_in(page, base_url, walker.email, PASSWORD)

    page.goto(f"{base_url}/clients/new/")
    page.get_by_label("Legal first name").fill("Juniper")
    page.get_by_label("Legal last name").fill("Quillfeather")
    page.get_by_label("Date of birth").fill("1992-03-14")
    page.get_by_label("Status").select_option("active")
    page.get_by_role("button", name="Create client").click()
    page.wait_for_url(re.compile(r"/clients/[0-9a-f-]{36}/$"))
    chart_url = page.url

    page.get_by_role("button", name="Start an assessment").click()
    page.wait_for_url(re.compile(r"/assessments/[0-9a-f-]{36}/edit/$"))
    assert axe_violations(page) == []
    problem = page.get_by_label("Presenting problem in the client's words")
    with page.expect_response(re.compile(r"/autosave/$")) as saved:
        problem.fill("Trouble sleeping and constant worry since starting a new job.")
    assert saved.value.status == 200
    with page.expect_response(re.compile(r"/autosave/$")):
        page.get_by_role("checkbox", name="Cooperative").check()
        page.get_by_label("Mood (as the client describes it)").select_option("anxious")
    expect(page.locator("#save-status")).to_contain_text("Saved at")

    page.goto(chart_url)
    page.get_by_role("link", name="Continue the draft assessment").click()
    expect(page.get_by_label("Presenting problem in the client's words")).to_have_value(
        "Trouble sleeping and constant worry since starting a new job."
    )
    expect(page.get_by_role("checkbox", name="Cooperative")).to_be_checked()
    expect(page.get_by_label("Mood (as the client describes it)")).to_have_value("anxious")

    page.get_by_role("textbox", name="Clinical formulation:").fill(
        "Worry and insomnia maintained by checking work email late at night."
    )
    page.get_by_role("button", name="Save and sign").click()
    page.wait_for_url(re.compile(r"/assessments/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signed")
    expect(page.get_by_text("Worry and insomnia maintained")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(chart_url)
    page.get_by_role("link", name="Add a diagnosis").click()
    search_url = f"{base_url}/assessments/diagnoses/search/"
    searches: list[Request] = []
    page.on("request", lambda sent: searches.append(sent) if "search" in sent.url else None)
    page.get_by_label("Search ICD-10-CM by words or code").press_sequentially(
        "major depressive disorder single episode moderate", delay=10
    )
    first = page.get_by_role("radio").first
    expect(first).to_have_value("F32.1")
    # The words go in the body of a POST, alone: never in the URL, nor with the rest of the form.
    assert {(sent.method, sent.url) for sent in searches} == {("POST", search_url)}
    assert (
        searches[-1].post_data
        == "query=major%20depressive%20disorder%20single%20episode%20moderate"
    )
    first.check()
    assert axe_violations(page) == []
    page.get_by_label("Rank").select_option("principal")
    page.get_by_label("Status").select_option("confirmed")
    page.get_by_role("button", name="Add diagnosis").click()
    page.wait_for_url(re.compile(r"/diagnoses/$"))
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile("Chart of Juniper Quillfeather")).click()
    header = page.locator(".chart-header")
    expect(header).to_contain_text("Active diagnoses")
    expect(header).to_contain_text("F32.1 Major depressive disorder, single episode, moderate")

    assessment = Assessment.objects.get()
    assert assessment.status == "signed"
    assert assessment.answers["mental_status_exam"] == {
        "behaviour": ["cooperative"],
        "mood": "anxious",
    }
    assert list(Diagnosis.objects.values_list("code", "rank", "status")) == [
        ("F32.1", "principal", "confirmed")
    ]
    assert console_errors == []
