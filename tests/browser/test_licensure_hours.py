"""An associate's co-signed session reaches the hours ledger; the supervisor verifies the
month; the associate sees progress with a projected date, asks "what if I moved to
California" and downloads the experience verification PDF."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tend.accounts.services import membership_roles_set
from tend.core.permissions import Role
from tend.licensure.models import HoursVerification
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD, Cast, make_user
from tests.licensure.hours_helpers import documented_session
from tests.supervision.factories import make_relationship


@pytest.mark.django_db(transaction=True)
def test_a_signed_session_is_verified_and_counts_toward_the_path(
    page: Page,
    live_server: object,
    demo_settings: None,
    console_errors: list[str],
    cast: Cast,
) -> None:
    base_url = str(live_server)
    associate = make_user("ari.associate@harbor.test", "Ari Associate", mfa=False)
    supervisor = make_user("suri.supervisor@harbor.test", "Suri Supervisor", mfa=False)
    for user, roles in ((associate, [Role.ASSOCIATE]), (supervisor, [Role.SUPERVISOR])):
        membership_roles_set(
            organization=cast.organization, user=user, roles=roles, actor=cast.owner
        )
    make_relationship(cast, supervisor=supervisor, supervisee=associate)
    today = timezone.localdate()
    day = datetime(today.year, today.month, today.day)  # noqa: DTZ001  (a local day)
    documented_session(cast, day, minutes=55, associate=associate, supervisor=supervisor)

    sign_in(page, base_url, associate.email, PASSWORD)
    page.goto(f"{base_url}/licensure/hours/")
    entry = page.locator("tr", has_text="Signed session note")
    expect(entry).to_contain_text("55")
    expect(entry).to_contain_text("Not verified")
    assert axe_violations(page) == []

    page.context.clear_cookies()
    sign_in(page, base_url, supervisor.email, PASSWORD)
    page.get_by_role("link", name="Ari Associate").first.click()
    page.get_by_role("link", name="Hours ledger and verification").click()
    page.get_by_role("combobox", name="Period").select_option("month")
    page.get_by_role("button", name="Verify the period").click()
    expect(page.get_by_text("Verified 1 entries")).to_be_visible()
    assert HoursVerification.objects.get().supervisor_name == "Suri Supervisor"
    assert axe_violations(page) == []

    page.context.clear_cookies()
    sign_in(page, base_url, associate.email, PASSWORD)
    page.goto(f"{base_url}/licensure/progress/")
    on_path = page.get_by_role("region", name="On your path")
    expect(on_path).to_contain_text(re.compile(r"Projected completion:\s+\w{3} \d{1,2}, \d{4}"))
    expect(on_path).to_contain_text("Licensed Professional Counselor (LPC) in TX")
    expect(on_path).to_contain_text("Source: Texas State Board of Examiners")
    page.get_by_label("What if I moved to").select_option("CA")
    page.get_by_role("button", name="Recompute").click()
    expect(page.get_by_text("The same hours measured against CA")).to_be_visible()
    expect(page.locator("#what-if")).to_contain_text("confidence: medium")
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Experience verification (PDF)").click()
    assert download.value.suggested_filename == "experience-verification.pdf"
    assert console_errors == []
