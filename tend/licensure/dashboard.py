"""The licence-renewal panel on the dashboard."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tend.core.typing import MemberRequest
from tend.licensure.selectors import expiry_alerts


def renewal_panel(request: MemberRequest) -> dict[str, Any] | None:
    alerts = expiry_alerts(request.user, today=timezone.localdate())
    return {"alerts": alerts} if alerts else None
