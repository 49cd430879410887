from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from tend.core.tenancy import SESSION_KEY, Tenancy, load_tenancy

# Paths a signed-in user without MFA may still reach: allauth's own pages (including
# setting up MFA and signing out), static files and the health check.
_MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")


class MembershipMiddleware:
    """Attach `request.tenancy`: the user's organizations, roles and current organization."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            request.tenancy = load_tenancy(  # type: ignore[attr-defined]
                request.user,
                request.session.get(SESSION_KEY),
            )
        else:
            request.tenancy = Tenancy()  # type: ignore[attr-defined]
        return self.get_response(request)


def user_has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MfaRequiredMiddleware:
    """Send anyone whose roles read clinical data to set up TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.TEND_ENFORCE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and request.tenancy.needs_mfa  # type: ignore[attr-defined]
            and not user_has_totp(request.user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "error": {
                            "code": "mfa_required",
                            "message": "Set up two-factor authentication before using Tend.",
                        }
                    },
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


SESSION_RENEWED_AT = "tend_session_renewed_at"


class SessionRenewalMiddleware:
    """Keep a signed-in session alive while it is used, writing it at most once a minute.

    A session expires SESSION_COOKIE_AGE after it was last saved. Saving it on every
    request would write the session row on every page view; renewing at most every
    TEND_SESSION_RENEW_SECONDS ends an idle session between that long before and exactly
    at the configured timeout, never later.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            now = int(time.time())
            renewed_at = request.session.get(SESSION_RENEWED_AT, 0)
            if now - renewed_at >= settings.TEND_SESSION_RENEW_SECONDS:
                request.session[SESSION_RENEWED_AT] = now
        return response
