from __future__ import annotations

import re

import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tend.accounts.models import Invitation, Membership, User
from tend.audit.models import AuditEvent
from tests.conftest import Cast, signed_in


def _invite(
    cast: Cast, email: str = "newhire@harbor.test", roles: tuple[str, ...] = ("clinician",)
) -> str:
    response = signed_in(cast.owner).post(
        reverse("accounts:invite"),
        {"display_name": "Nova Newhire", "email": email, "roles": list(roles)},
    )
    assert response.status_code == 302
    body = mail.outbox[-1].body
    match = re.search(r"http://testserver(/invitations/[^/\s]+/)", body)
    assert match is not None, body
    return match.group(1)


def test_an_owner_invites_by_email_and_the_invitee_joins(cast: Cast) -> None:
    link = _invite(cast)
    assert mail.outbox[-1].to == ["newhire@harbor.test"]
    assert "Harbor Counseling" in mail.outbox[-1].subject
    client = Client()
    assert client.get(link).status_code == 200
    response = client.post(
        link, {"password1": "a sturdy passphrase 9", "password2": "a sturdy passphrase 9"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="newhire@harbor.test")
    assert user.display_name == "Nova Newhire"
    assert list(Membership.objects.filter(user=user).values_list("organization__name", "role")) == [
        ("Harbor Counseling", "clinician")
    ]
    assert list(
        AuditEvent.objects.filter(subject_type="accounts.invitation")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["accounts.invitation_sent", "accounts.invitation_accepted"]


def test_an_invitation_link_works_once(cast: Cast) -> None:
    link = _invite(cast)
    Client().post(
        link, {"password1": "a sturdy passphrase 9", "password2": "a sturdy passphrase 9"}
    )
    again = Client().get(link)
    assert again.status_code == 404
    assert "no longer available" in again.content.decode()


def test_an_invitation_expires_after_seven_days(cast: Cast) -> None:
    link = _invite(cast)
    with time_machine.travel(timezone.now() + timezone.timedelta(days=7, minutes=1)):
        assert Client().get(link).status_code == 404


def test_a_weak_password_is_refused_with_a_message_and_nothing_is_created(cast: Cast) -> None:
    link = _invite(cast)
    response = Client().post(link, {"password1": "password", "password2": "password"})
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="newhire@harbor.test").exists()
    assert Invitation.objects.get(email="newhire@harbor.test").accepted_at is None


def test_an_existing_user_accepting_gains_the_roles_without_a_new_password(cast: Cast) -> None:
    link = _invite(cast, email=cast.outsider.email, roles=("supervisor",))
    response = Client().post(link)
    assert response.status_code == 302
    assert set(
        Membership.objects.filter(user=cast.outsider).values_list("organization__name", "role")
    ) >= {("Harbor Counseling", "supervisor")}


def test_inviting_without_a_role_says_so(cast: Cast) -> None:
    response = signed_in(cast.owner).post(
        reverse("accounts:invite"), {"display_name": "X", "email": "x@harbor.test"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_withdrawn_invitation_no_longer_works(cast: Cast) -> None:
    link = _invite(cast)
    invitation = Invitation.objects.get(email="newhire@harbor.test")
    response = signed_in(cast.admin).post(
        reverse("accounts:revoke_invitation", args=[invitation.public_id])
    )
    assert response.status_code == 302
    assert Client().get(link).status_code == 404
