"""The dashboard is assembled from panels that domain apps register.

A panel's loader receives the request and returns its template context, or None when the
panel has nothing to show for this person. Loaders must run a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tend.core.permissions import Capability
from tend.core.typing import MemberRequest

PanelLoader = Callable[[MemberRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    title: str
    order: int
    template: str
    loader: PanelLoader
    capability: Capability | None = None


_PANELS: dict[str, DashboardPanel] = {}


def register_dashboard_panel(panel: DashboardPanel) -> None:
    _PANELS[panel.key] = panel


def panels_for(request: MemberRequest) -> list[dict[str, Any]]:
    """The rendered-ready panels this person should see, in order."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda entry: entry.order):
        if panel.capability is not None and not request.tenancy.can(panel.capability):
            continue
        context = panel.loader(request)
        if context is not None:
            shown.append({"panel": panel, "context": context})
    return shown
