from __future__ import annotations

from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "tend.careers"
    label = "careers"
    verbose_name = "Careers"

    def ready(self) -> None:
        from tend.audit.actions import register_actions
        from tend.core.navigation import NavItem, register_nav_item
        from tend.core.permissions import Capability

        register_actions(
            "careers",
            "posting_created",
            "posting_updated",
            "posting_reconfirmed",
            "posting_closed",
            "application_submitted",
            "application_moved",
            "application_withdrawn",
            "search_saved",
            "search_alerts_changed",
            "search_deleted",
        )
        register_nav_item(NavItem("Jobs", "careers:search", None, 75))
        register_nav_item(NavItem("Hiring", "careers:manage", Capability.POST_JOBS, 76))
