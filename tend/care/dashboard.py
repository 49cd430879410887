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
    """Supervisees' notes waiting for the supervisor's co-signature; overdue ones first."""
    items = cosign_queue(request.organization, request.user)
    if not items:
        return None
    overdue = [item for item in items if item.overdue]
    return {
        "items": (overdue + [item for item in items if not item.overdue])[:PANEL_ROWS],
        "total": len(items),
        "overdue": len(overdue),
    }
