"""The care app's dashboard panels (fixed query counts whatever the caseload)."""

from __future__ import annotations

from typing import Any

from tend.care.selectors import PANEL_ROWS, cosign_queue, notes_due
from tend.core.typing import MemberRequest


def notes_due_panel(request: MemberRequest) -> dict[str, Any] | None:
    """Kept sessions whose note is not written or not signed, oldest first, with age."""
    rows, total = notes_due(request.organization, request.user)
    if not total:
        return None
    return {"rows": rows, "total": total, "shown": len(rows)}


def cosign_panel(request: MemberRequest) -> dict[str, Any] | None:
    """Supervisees' notes waiting for the supervisor's co-signature; overdue ones first
    (the queue's first page: the oldest are the overdue ones)."""
    page = cosign_queue(request.organization, request.user, size=PANEL_ROWS)
    if not page.total:
        return None
    return {"items": page.items, "total": page.total, "overdue": page.overdue}
