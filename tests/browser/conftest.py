"""Browser tests: Debian's Chromium driven by Playwright against Django's live server."""

from __future__ import annotations

import os
import shutil
import tempfile
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


BROWSER_DIR = Path(__file__).parent


def _is_browser_test(item: pytest.Item) -> bool:
    return BROWSER_DIR in Path(str(item.fspath)).parents


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.browser)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Give a run that includes browser tests a file-based SQLite test database.

    On SQLite the test database is in memory by default, and Django's live server then
    hands its one connection to every request thread. Requests the page makes at the same
    time (an autosave while a form is submitted) would share that connection and trip over
    each other's transactions. A file gives each request thread its own connection, with
    SQLite's locking (WAL, IMMEDIATE transactions, busy timeout) queueing the writers as in
    production. Decided once per run, before the test database is created.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    if not any(_is_browser_test(item) for item in session.items):
        return
    folder = tempfile.mkdtemp(prefix="tend-browser-db-")
    session.config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    # pytest-django appends the xdist worker's name to this, so workers never share it.
    database.setdefault("TEST", {})["NAME"] = str(Path(folder) / "test.sqlite3")


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
