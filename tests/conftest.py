"""The fixed cast every test uses, and the plumbing around it.

Harbor Counseling is the organization under test: an owner, an admin, a licensed
clinician, an associate and their supervisor, front desk, a biller, an auditor and a
hiring manager. Elsewhere Therapy is another organization whose member (the outsider)
holds every role there and must still see nothing of Harbor's.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tend.accounts.models import Organization, User
from tend.accounts.services import membership_roles_set, organization_create, user_create
from tend.core.middleware import SESSION_RENEWED_AT
from tend.core.permissions import Role, roles_need_mfa

PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    # The manifest storage needs collectstatic output, which tests do not build.
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Argon2 is deliberately slow; tests that check hashing itself restore it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Cast:
    organization: Organization
    other_organization: Organization
    owner: User
    admin: User
    clinician: User
    associate: User
    supervisor: User
    front_desk: User
    biller: User
    auditor: User
    hiring_manager: User
    outsider: User

    def by_role(self) -> dict[str, User]:
        """One user per role of the organization under test."""
        return {
            Role.OWNER: self.owner,
            Role.ADMIN: self.admin,
            Role.CLINICIAN: self.clinician,
            Role.ASSOCIATE: self.associate,
            Role.SUPERVISOR: self.supervisor,
            Role.FRONT_DESK: self.front_desk,
            Role.BILLER: self.biller,
            Role.AUDITOR: self.auditor,
            Role.HIRING_MANAGER: self.hiring_manager,
        }


def make_user(email: str, name: str, *, mfa: bool = True) -> User:
    user = user_create(email=email, display_name=name, password=PASSWORD)
    if mfa:
        TOTP.activate(user, generate_totp_secret())
    return user


def make_member(
    organization: Organization, owner: User, email: str, name: str, *roles: Role
) -> User:
    # Like a real practice: people who read clinical data have MFA, others may not.
    user = make_user(email, name, mfa=roles_need_mfa(roles))
    membership_roles_set(organization=organization, user=user, roles=roles, actor=owner)
    return user


@pytest.fixture
def cast(db: None) -> Cast:
    owner = make_user("owner@harbor.test", "Olivia Owner")
    harbor = organization_create(
        name="Harbor Counseling",
        kind="group_practice",
        state="TX",
        timezone_name="America/Chicago",
        owner=owner,
    )
    stranger = make_user("outsider@elsewhere.test", "Oscar Outsider")
    elsewhere = organization_create(
        name="Elsewhere Therapy",
        kind="private_practice",
        state="CA",
        timezone_name="America/Los_Angeles",
        owner=stranger,
    )
    membership_roles_set(organization=elsewhere, user=stranger, roles=list(Role), actor=stranger)
    return Cast(
        organization=harbor,
        other_organization=elsewhere,
        owner=owner,
        admin=make_member(harbor, owner, "admin@harbor.test", "Ada Admin", Role.ADMIN),
        clinician=make_member(
            harbor, owner, "clinician@harbor.test", "Cleo Clinician", Role.CLINICIAN
        ),
        associate=make_member(
            harbor, owner, "associate@harbor.test", "Asa Associate", Role.ASSOCIATE
        ),
        supervisor=make_member(
            harbor,
            owner,
            "supervisor@harbor.test",
            "Sage Supervisor",
            Role.CLINICIAN,
            Role.SUPERVISOR,
        ),
        front_desk=make_member(harbor, owner, "desk@harbor.test", "Dee Desk", Role.FRONT_DESK),
        biller=make_member(harbor, owner, "biller@harbor.test", "Bill Biller", Role.BILLER),
        auditor=make_member(harbor, owner, "auditor@harbor.test", "Audrey Auditor", Role.AUDITOR),
        hiring_manager=make_member(
            harbor, owner, "hiring@harbor.test", "Hank Hiring", Role.HIRING_MANAGER
        ),
        outsider=stranger,
    )


def signed_in(user: User, *, enforce_csrf_checks: bool = False) -> Client:
    """A test client signed in as `user` (clinical roles in the cast already have MFA)."""
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(user)
    # A real sign-in's response renews the session (SessionRenewalMiddleware); stamp the
    # same here so a test's first request behaves like any other within the minute.
    session = client.session
    session[SESSION_RENEWED_AT] = int(time.time())
    session.save()
    return client


def second_load(user: User, url: str) -> tuple[int, HttpResponse]:
    """Open the page at `url` twice as `user` (the first load fills per-process caches) and
    return the second load's query count and answer, which must be a 200."""
    browser = signed_in(user)
    browser.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(url)
    assert page.status_code == 200
    return len(queries), page


def search_by_post_only(
    user: User, *, page_url: str, search_url: str, data: dict[str, str]
) -> HttpResponse:
    """Check that the search of the page at `page_url` keeps its words out of URLs: the page
    sends it with hx-post (never hx-get), `search_url` refuses a GET (405) and a POST
    without the page's CSRF token (403). Return the answer to the page's own htmx request,
    which carries the token from the page's `hx-headers`."""
    browser = signed_in(user, enforce_csrf_checks=True)
    page = browser.get(page_url)
    html = page.content.decode()
    assert f'hx-post="{search_url}"' in html
    assert f'hx-get="{search_url}' not in html
    assert browser.get(search_url, data).status_code == 405
    refused = browser.post(search_url, data)
    assert refused.status_code == 403
    assert "CSRF verification failed" in refused.content.decode()
    page_headers = re.search(r"<body hx-headers='([^']+)'>", html)
    assert page_headers, "the page sets no hx-headers on its body"
    return browser.post(
        search_url, data, headers={**json.loads(page_headers[1]), "HX-Request": "true"}
    )
