"""Authentication events come from Django and allauth as signals; record them in the trail."""

from __future__ import annotations

from typing import Any

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tend.audit.services import audit_event_record


@receiver(user_logged_in)
def record_login(sender: object, request: Any, user: Any, **kwargs: Any) -> None:
    audit_event_record(action="accounts.login", actor=user, subject=user)


@receiver(user_logged_out)
def record_logout(sender: object, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event_record(action="accounts.logout", actor=user, subject=user)


@receiver(user_login_failed)
def record_login_failure(sender: object, credentials: dict[str, Any], **kwargs: Any) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit_event_record(action="accounts.login_failed", actor=None, extra={"email": attempted})


@receiver(authenticator_added)
def record_mfa_added(
    sender: object, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    audit_event_record(
        action="accounts.mfa_enabled",
        actor=user,
        subject=user,
        extra={"type": authenticator.type},
    )


@receiver(authenticator_removed)
def record_mfa_removed(
    sender: object, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    audit_event_record(
        action="accounts.mfa_disabled",
        actor=user,
        subject=user,
        extra={"type": authenticator.type},
    )
