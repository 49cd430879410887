from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tend.core.navigation import navigation_for


def tend(request: HttpRequest) -> dict[str, Any]:
    """Tend's page-wide variables, built once per request: a page that renders its parts
    separately (the chart, the dashboard) would otherwise rebuild the navigation per part."""
    built: dict[str, Any] | None = getattr(request, "_tend_context", None)
    if built is None:
        tenancy = getattr(request, "tenancy", None)
        built = {
            "tenancy": tenancy,
            "navigation": navigation_for(request) if tenancy and tenancy.current else [],
            "mfa_enforced": settings.TEND_ENFORCE_MFA,
            "demo_mode": settings.TEND_DEMO,
            "idle_timeout_minutes": settings.IDLE_TIMEOUT_MINUTES,
        }
        request._tend_context = built  # type: ignore[attr-defined]
    return built
