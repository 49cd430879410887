from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tend.audit.models import AuditEvent
from tests.conftest import PASSWORD, Cast


def _login(client: Client, email: str, password: str) -> object:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_front_desk_user_signs_in_and_the_login_is_audited(cast: Cast) -> None:
    client = Client()
    response = _login(client, cast.front_desk.email, PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert client.get(reverse("core:dashboard")).status_code == 200
    event = AuditEvent.objects.filter(action="accounts.login").latest("id")
    assert event.actor_id == cast.front_desk.public_id
    assert event.actor_label == "desk@harbor.test"
    assert event.ip == "127.0.0.1"


def test_failed_logins_are_audited_without_the_password(cast: Cast) -> None:
    _login(Client(), cast.front_desk.email, "wrong password!!")
    event = AuditEvent.objects.get(action="accounts.login_failed")
    assert event.extra == {"email": "desk@harbor.test"}
    assert event.actor_id is None


def test_the_account_locks_after_five_failures_even_for_the_right_password(
    cast: Cast,
) -> None:
    client = Client()
    for _ in range(5):
        response = _login(client, cast.front_desk.email, "not the password")
        assert response.status_code == 200  # type: ignore[attr-defined]
    locked = _login(client, cast.front_desk.email, PASSWORD)
    assert locked.status_code == 200  # type: ignore[attr-defined]
    assert "Too many failed login attempts" in locked.content.decode()  # type: ignore[attr-defined]
    assert client.get(reverse("core:dashboard")).status_code == 302
    # Another account from the same address is unaffected.
    assert _login(Client(), cast.biller.email, PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_open_sign_up_is_closed(db: None) -> None:
    response = Client().get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()


def test_passwords_are_hashed_with_argon2(cast: Cast, settings: object) -> None:
    from tend.accounts.services import user_create

    settings.PASSWORD_HASHERS = [  # type: ignore[attr-defined]
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    ]
    user = user_create(email="hash@harbor.test", display_name="Hash", password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
