"""A clinician coordinates care end to end: adds a psychiatrist, records a consent, is
refused when asking for more than it covers, sends what it allows, finds it in the
accounting, searches the directory for a housing resource, refers the client to it and
closes the loop a week later."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from tend.coordination.models import Disclosure, Referral
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD, Cast
from tests.coordination.helpers import PSYCHIATRIST_NPI, make_client, make_resource


@pytest.mark.django_db(transaction=True)
def test_a_clinician_shares_records_under_consent_and_closes_a_referral_loop(
    page: Page,
    live_server: object,
    demo_settings: None,
    console_errors: list[str],
    cast: Cast,
    settings: object,
    tmp_path: object,
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    # The cast's clinician has an authenticator; this walk-through signs in with the
    # password only (MFA is not enforced in demo settings).
    Authenticator.objects.filter(user=cast.clinician).delete()
    base = str(live_server)
    client = make_client(cast)
    make_resource(cast.organization, "Harborview Housing Help (demo)", "housing")
    make_resource(cast.organization, "Open Table Food Pantry (demo)", "food")
    hub = f"{base}/coordination/clients/{client.public_id}/"
    problems: dict[str, object] = {}

    with time_machine.travel(datetime(2026, 11, 27, 15, 0, tzinfo=UTC)):
        sign_in(page, base, cast.clinician.email, PASSWORD)
        page.goto(f"{base}/coordination/providers/")
        page.get_by_label("Name:", exact=True).fill("Dr. Imani Reyes")
        page.get_by_label("Role").select_option(label="Psychiatrist")
        page.get_by_label("Organization or practice").fill("Bayside Psychiatry (demo)")
        page.get_by_label("NPI").fill(PSYCHIATRIST_NPI)
        page.get_by_role("button", name="Add provider").click()
        expect(page.get_by_text("Dr. Imani Reyes added to the directory.")).to_be_visible()
        problems["providers"] = axe_violations(page)

        page.goto(hub)
        page.get_by_label("External provider:", exact=True).select_option(
            label="Dr. Imani Reyes (Psychiatrist)"
        )
        page.get_by_label("On the team since").fill("2026-11-20")
        page.get_by_role("button", name="Add to the care team").click()
        expect(page.get_by_text("Added to the care team.")).to_be_visible()
        problems["hub"] = axe_violations(page)

        # The chart has one care-team block, and the psychiatrist is in it.
        page.goto(f"{base}/clients/{client.public_id}/")
        team = page.locator("section").filter(
            has=page.get_by_role("heading", name="Care team", exact=True)
        )
        expect(team).to_have_count(1)
        expect(team).to_contain_text("Dr. Imani Reyes")
        expect(team).to_contain_text("Psychiatrist · external")
        problems["chart"] = axe_violations(page)
        page.goto(hub)

        page.get_by_role("link", name="Consents", exact=True).click()
        page.get_by_label("Name of the person who signed").fill("Rowan Quill")
        page.get_by_label("An external provider").check()
        page.get_by_label("External provider:", exact=True).select_option(
            label="Dr. Imani Reyes (Psychiatrist)"
        )
        page.get_by_label("Direction").select_option(label="Disclose to")
        page.get_by_label("diagnoses", exact=True).check()
        page.get_by_label("treatment plan", exact=True).check()
        page.get_by_label("Purpose").fill("Coordination of medication care")
        page.get_by_label("Effective from").fill("2026-11-27")
        page.get_by_label("Expires on").fill("2027-11-26")
        page.get_by_label("Typed name").check()
        page.get_by_label("Typed signature").fill("Rowan Quill")
        page.get_by_label("Signed on").fill("2026-11-27")
        page.get_by_role("button", name="Record consent").click()
        expect(page.get_by_text("Consent recorded.")).to_be_visible()
        problems["consents"] = axe_violations(page)

        page.goto(f"{base}/coordination/clients/{client.public_id}/packet/")
        page.get_by_label("Recipient").select_option(label="Dr. Imani Reyes (Psychiatrist)")
        page.get_by_label("diagnoses", exact=True).check()
        page.get_by_label("treatment plan", exact=True).check()
        page.get_by_label("full progress notes", exact=True).check()
        page.get_by_label("Purpose").fill("Medication management")
        page.get_by_label("Delivered by").select_option(label="Secure email")
        page.get_by_role("button", name="Release packet").click()
        expect(
            page.get_by_text(
                "No active consent covers 'full progress notes' for Dr. Imani Reyes on 2026-11-27."
            )
        ).to_be_visible()
        assert Disclosure.objects.count() == 0
        problems["packet refused"] = axe_violations(page)

        page.get_by_label("full progress notes", exact=True).uncheck()
        page.get_by_role("button", name="Release packet").click()
        expect(page.get_by_text("Packet released and recorded in the accounting.")).to_be_visible()
        page.get_by_role("link", name="Accounting of disclosures").click()
        row = page.get_by_role("row").filter(has_text="Dr. Imani Reyes")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("diagnoses, treatment plan")
        problems["accounting"] = axe_violations(page)

        page.goto(hub)
        page.get_by_role("link", name="Make a referral").first.click()
        # The whole page, scripts included: typing into the search before htmx has bound
        # it would send nothing.
        page.wait_for_url(f"{hub}referrals/new/", wait_until="load")
        refer_to = page.get_by_label("Refer to")
        pantry = refer_to.locator("option", has_text="Open Table Food Pantry (demo)")
        expect(pantry).to_have_count(1)
        # Wait for the search's answer itself: on a busy machine it can take longer than
        # an expectation's default few seconds.
        with page.expect_response(lambda answer: "/referrals/targets/" in answer.url) as search:
            page.get_by_label("Find a community resource").fill("harbor")
        assert search.value.status == 200
        # The words go in the body of a POST, with only the current choice: never in the URL.
        sent = search.value.request
        assert (sent.method, sent.url) == ("POST", f"{hub}referrals/targets/")
        assert sent.post_data is not None
        assert sent.post_data.startswith("resource_query=harbor&target=")
        expect(pantry).to_have_count(0)
        problems["referral search"] = axe_violations(page)
        refer_to.select_option(label="Harborview Housing Help (demo)")
        page.get_by_label("Type of referral").select_option(label="Community resource")
        page.get_by_label("Reason").fill("Facing eviction at the end of the month.")
        page.get_by_label("Status").select_option(label="Sent")
        page.get_by_label("Follow up by").fill("2026-12-04")
        page.get_by_role("button", name="Save referral").click()
        expect(
            page.get_by_text("Referral to Harborview Housing Help (demo) recorded.")
        ).to_be_visible()

    with time_machine.travel(datetime(2026, 12, 4, 15, 0, tzinfo=UTC)):
        # A week later the session has long expired: sign in again.
        sign_in(page, base, cast.clinician.email, PASSWORD)
        page.goto(hub)
        page.get_by_role("link", name="Harborview Housing Help (demo)").click()
        page.get_by_label("Status").select_option(label="Closed")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Record the outcome before closing the referral.")).to_be_visible()
        problems["referral refused"] = axe_violations(page)
        page.get_by_label("Outcome").fill("Moved into transitional housing on Dec 2.")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Referral closed.")).to_be_visible()

    referral = Referral.objects.get()
    assert (referral.status, str(referral.closed_on)) == ("closed", "2026-12-04")
    assert {name: found for name, found in problems.items() if found} == {}
    # The two refusals answer 400 by design (the form comes back with the message);
    # Chromium logs each as a failed load. Nothing else may appear (e.g. a CSP violation).
    refused_loads = [e for e in console_errors if "status of 400 (Bad Request)" in e]
    assert len(refused_loads) == 2
    assert [e for e in console_errors if e not in refused_loads] == []
