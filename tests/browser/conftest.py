"""Browser tests: Debian's Chromium driven by Playwright against Django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are synchronous and safe (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TEND_CHROMIUM", "/usr/bin/chromium")
AXE_SOURCE = next((Path(__file__).parent / "vendor").glob("axe-core-*/axe.min.js")).read_text()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def demo_settings(settings: Any) -> None:
    settings.TEND_ENFORCE_MFA = False
    settings.TEND_DEMO = True


def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the current page."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("async () => await axe.run(document)")
    assert result["passes"], "axe-core ran no checks on this page"
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def watch_errors(page: Page) -> list[str]:
    """Collect a page's console errors and failed sub-resources (CSP violations show here)."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    return errors


@pytest.fixture
def console_errors(page: Page) -> Iterator[list[str]]:
    """Console errors and failed sub-resources of the test's page."""
    yield watch_errors(page)
