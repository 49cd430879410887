"""Every page each demo role can reach, checked by axe-core: no serious or critical issues."""

from __future__ import annotations

from urllib.parse import urldefrag, urlparse

import pytest
from playwright.sync_api import Browser, Page

from tend.demo.loader import load_demo
from tend.demo.people import DEMO_ORGANIZATIONS, DEMO_PASSWORD
from tests.browser.conftest import axe_violations, sign_in, watch_errors

# Pages that are not Tend's to fix or would end the session mid-crawl.
SKIPPED_PREFIXES = ("/accounts/logout", "/api/", "/admin/", "/static/")
MAX_PAGES_PER_ROLE = 60

DEMO_EMAILS = [person.email for spec in DEMO_ORGANIZATIONS for person in spec.people]


def same_site_links(page: Page, base_url: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    base = urlparse(base_url)
    links = []
    for href in hrefs:
        url = urlparse(urldefrag(href)[0])
        if url.netloc == base.netloc and not url.path.startswith(SKIPPED_PREFIXES):
            links.append(url.path + (f"?{url.query}" if url.query else ""))
    return links


def crawl(page: Page, base_url: str, start: list[str]) -> tuple[set[str], dict[str, object]]:
    """Visit every same-site page reachable from `start`; axe-check each one."""
    queue, seen, problems = list(start), set(), {}
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(base_url + path)
        assert response is not None, path
        assert response.status < 500, (path, response.status)
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
        queue.extend(link for link in same_site_links(page, base_url) if link not in seen)
    return seen, problems


@pytest.mark.django_db(transaction=True)
def test_every_page_each_demo_user_reaches_passes_axe(
    browser: Browser, live_server: object, demo_settings: None
) -> None:
    # One demo load serves all sixteen people; each gets a fresh browser context.
    load_demo()
    base_url = str(live_server)
    problems: dict[str, object] = {}
    errors: dict[str, list[str]] = {}
    for email in DEMO_EMAILS:
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(15_000)
        page_errors = watch_errors(page)
        sign_in(page, base_url, email, DEMO_PASSWORD)
        seen, found = crawl(page, base_url, ["/"])
        context.close()
        assert len(seen) >= 4, (email, seen)
        if found:
            problems[email] = found
        if page_errors:
            errors[email] = page_errors
    assert problems == {}
    assert errors == {}


@pytest.mark.django_db(transaction=True)
def test_pages_before_signing_in_pass_axe(
    page: Page, live_server: object, console_errors: list[str]
) -> None:
    base_url = str(live_server)
    seen, problems = crawl(page, base_url, ["/accounts/login/", "/accounts/signup/"])
    assert {"/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"} <= seen
    assert problems == {}
    assert console_errors == []
