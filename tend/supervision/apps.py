from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "tend.supervision"
    label = "supervision"
    verbose_name = "Supervision"

    def ready(self) -> None:
        from tend.audit.actions import register_actions
        from tend.core.dashboard import DashboardPanel, register_dashboard_panel
        from tend.core.navigation import NavItem, register_nav_item
        from tend.core.permissions import Capability
        from tend.supervision.dashboard import supervisor_panel

        register_actions(
            "supervision",
            "relationship_started",
            "relationship_path_set",
            "relationship_ended",
            "contract_attached",
            "session_planned",
            "session_recorded",
            "session_signed",
            "session_cancelled",
        )
        register_nav_item(NavItem("Supervision", "supervision:home", Capability.VIEW_CLINICAL, 72))
        register_dashboard_panel(
            DashboardPanel(
                key="supervision_supervisees",
                title="Your supervisees",
                order=22,
                template="supervision/dashboard_panel.html",
                loader=supervisor_panel,
                capability=Capability.SUPERVISE,
            )
        )
