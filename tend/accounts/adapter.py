from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


class TendAccountAdapter(DefaultAccountAdapter):
    """People join Tend by invitation (or `tend createorg`), never by open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # Enrolling the first factor right after signing in (where Tend sends clinical roles)
        # should not ask for the password twice; changing an existing factor still does.
        user = getattr(context.request, "user", None)
        if (
            app == "allauth.mfa"
            and user is not None
            and user.is_authenticated
            and not Authenticator.objects.filter(user=user).exists()
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)
