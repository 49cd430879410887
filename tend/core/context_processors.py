from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tend.core.navigation import navigation_for


def tend(request: HttpRequest) -> dict[str, Any]:
    tenancy = getattr(request, "tenancy", None)
    return {
        "tenancy": tenancy,
        "navigation": navigation_for(request) if tenancy and tenancy.current else [],
        "mfa_enforced": settings.TEND_ENFORCE_MFA,
        "demo_mode": settings.TEND_DEMO,
        "idle_timeout_minutes": settings.IDLE_TIMEOUT_MINUTES,
    }
