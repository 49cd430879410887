"""Shared pieces of the JSON API: authentication, the capability check, the error envelope."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from tend.core.middleware import user_has_totp
from tend.core.permissions import Capability
from tend.core.tenancy import SESSION_KEY, Tenancy, load_tenancy

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session (CSRF-checked for writes)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        tenancy = getattr(request, "tenancy", None) or load_tenancy(
            request.user,
            request.session.get(SESSION_KEY),
        )
        if settings.TEND_ENFORCE_MFA and tenancy.needs_mfa and not user_has_totp(request.user):
            raise HttpError(403, "Set up two-factor authentication before using the API.")
        request.tenancy = tenancy  # type: ignore[attr-defined]
        return request.user


class TokenAuth(HttpBearer):
    """A personal access token: one organization, read-only unless issued read-write."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from tend.accounts.services import access_token_authenticate

        access_token = access_token_authenticate(token)
        if access_token is None:
            return None
        if request.method not in _SAFE_METHODS and not access_token.can_write:
            raise HttpError(403, "This token is read-only.")
        full = load_tenancy(access_token.user, str(access_token.organization.public_id))
        organization = access_token.organization
        request.user = access_token.user
        request.tenancy = Tenancy(  # type: ignore[attr-defined]
            organizations=[organization],
            roles_by_org={organization.pk: full.roles_for(organization)},
            current=organization,
        )
        return access_token.user


def requires(capability: Capability | None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse (403) an API call whose caller lacks `capability` in the current organization."""

    def decorator(handler: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(handler)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            tenancy = request.tenancy  # type: ignore[attr-defined]
            if tenancy.current is None:
                raise PermissionDenied
            if capability is not None and not tenancy.can(capability):
                raise PermissionDenied
            request.organization = tenancy.current  # type: ignore[attr-defined]
            return handler(request, *args, **kwargs)

        # Ninja reads the handler's signature to build its schemas; resolve the postponed
        # annotations here, where the handler's own module globals are known.
        wrapper.__signature__ = inspect.signature(handler, eval_str=True)  # type: ignore[attr-defined]
        wrapper.required_capability = capability  # type: ignore[attr-defined]
        wrapper.tend_protected = True  # type: ignore[attr-defined]
        return wrapper

    return decorator
