"""The main navigation, filtered by what the current roles may do."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from tend.core.permissions import Capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: Capability | None
    order: int


_NAVIGATION: list[NavItem] = [
    NavItem("Dashboard", "core:dashboard", None, 0),
    NavItem("People", "accounts:people", Capability.VIEW_MEMBERS, 80),
    NavItem("Audit trail", "audit:events", Capability.VIEW_AUDIT_TRAIL, 90),
    NavItem("Organization", "accounts:organization_settings", Capability.MANAGE_ORGANIZATION, 95),
]


def register_nav_item(item: NavItem) -> None:
    """Add a main-navigation entry (domain apps call this from AppConfig.ready)."""
    if item not in _NAVIGATION:
        _NAVIGATION.append(item)
        _NAVIGATION.sort(key=lambda entry: entry.order)


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    tenancy = request.tenancy  # type: ignore[attr-defined]
    items = []
    for item in _NAVIGATION:
        if item.capability is None or tenancy.can(item.capability):
            url = reverse(item.url_name)
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "active": request.path == url or (url != "/" and request.path.startswith(url)),
                }
            )
    return items
