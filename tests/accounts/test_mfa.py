from __future__ import annotations

import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from tend.accounts.services import membership_roles_set
from tend.audit.models import AuditEvent
from tend.core.permissions import Role
from tests.conftest import PASSWORD, Cast, make_user


def test_a_clinician_without_mfa_is_sent_to_set_it_up(cast: Cast) -> None:
    newcomer = make_user("new.clinician@harbor.test", "Nia Newcomer", mfa=False)
    membership_roles_set(
        organization=cast.organization, user=newcomer, roles=[Role.CLINICIAN], actor=cast.owner
    )
    client = Client()
    client.force_login(newcomer)
    response = client.get(reverse("accounts:people"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    api = client.get("/api/v1/me")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "mfa_required"


def test_front_desk_without_clinical_access_is_not_forced_into_mfa(cast: Cast) -> None:
    desk = make_user("desk2@harbor.test", "Dale Desk", mfa=False)
    membership_roles_set(
        organization=cast.organization, user=desk, roles=[Role.FRONT_DESK], actor=cast.owner
    )
    client = Client()
    client.force_login(desk)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_enforcement_can_be_turned_off_for_the_demo(cast: Cast, settings: object) -> None:
    settings.TEND_ENFORCE_MFA = False  # type: ignore[attr-defined]
    settings.TEND_DEMO = True  # type: ignore[attr-defined]
    newcomer = make_user("demo.clinician@harbor.test", "Dina Demo", mfa=False)
    membership_roles_set(
        organization=cast.organization, user=newcomer, roles=[Role.CLINICIAN], actor=cast.owner
    )
    client = Client()
    client.force_login(newcomer)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert "two-factor authentication is <strong>not enforced</strong>" in response.content.decode()


def test_setting_up_totp_unlocks_tend_and_is_audited(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    newcomer = make_user("setup@harbor.test", "Sol Setup", mfa=False)
    membership_roles_set(
        organization=cast.organization, user=newcomer, roles=[Role.ASSOCIATE], actor=cast.owner
    )
    client = Client()
    signed = client.post(
        reverse("account_login"), {"login": newcomer.email, "password": PASSWORD}, follow=True
    )
    assert signed.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=newcomer, type="totp").count() == 1
    assert client.get(reverse("core:dashboard")).status_code == 200
    enabled = AuditEvent.objects.filter(
        action="accounts.mfa_enabled", actor_id=newcomer.public_id
    ).order_by("id")
    assert [event.extra["type"] for event in enabled] == ["totp", "recovery_codes"]


def test_signing_in_with_mfa_asks_for_the_code(cast: Cast) -> None:
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": cast.clinician.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("core:dashboard")).status_code == 302
