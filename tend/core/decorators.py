"""View decorators: the cross-cutting checks every page passes before its body runs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tend.core.permissions import Capability

View = Callable[..., HttpResponse]


def member_required(capability: Capability | None = None) -> Callable[[View], View]:
    """Require a signed-in member of an organization holding `capability` there.

    Anonymous users go to the login page; a member without the capability gets 403.
    The capability is recorded on the view so the access-matrix test can read it.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            tenancy = request.tenancy  # type: ignore[attr-defined]
            if tenancy.current is None:
                return render(request, "core/no_organization.html", status=403)
            if capability is not None and not tenancy.can(capability):
                raise PermissionDenied
            request.organization = tenancy.current  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.required_capability = capability  # type: ignore[attr-defined]
        wrapper.tend_protected = True  # type: ignore[attr-defined]
        return wrapper

    return decorator


def public_view(view: View) -> View:
    """Mark a view as reachable without signing in (checked by the access-matrix test)."""
    view.tend_public = True  # type: ignore[attr-defined]
    return view
