from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class TendAccountAdapter(DefaultAccountAdapter):
    """People join Tend by invitation (or `tend createorg`), never by open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
