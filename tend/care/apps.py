from __future__ import annotations

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "tend.care"
    label = "care"
    verbose_name = "Scheduling and documentation"

    def ready(self) -> None:
        from tend.audit.actions import register_actions
        from tend.care import dashboard, selectors
        from tend.clients.chart import (
            ChartSection,
            register_chart_section,
            register_next_appointment_provider,
        )
        from tend.core.dashboard import DashboardPanel, register_dashboard_panel
        from tend.core.navigation import NavItem, register_nav_item
        from tend.core.permissions import Capability

        register_actions(
            "care",
            "appointment_booked",
            "appointment_rescheduled",
            "appointment_status_changed",
            "appointment_viewed",
            "calendar_viewed",
            "schedule_viewed",
            "client_sessions_viewed",
            "calendar_feed_created",
            "calendar_feed_revoked",
            "settings_updated",
            "room_created",
            "room_renamed",
            "therapy_group_created",
            "therapy_group_viewed",
            "therapy_group_member_added",
            "therapy_group_member_left",
        )
        register_actions(
            "notes",
            "created",
            "draft_saved",
            "signed",
            "cosigned",
            "returned",
            "addendum_added",
            "viewed",
            "psychotherapy_note_saved",
            "psychotherapy_note_released",
            "psychotherapy_note_viewed",
        )
        register_nav_item(NavItem("Schedule", "care:calendar_home", Capability.VIEW_SCHEDULE, 30))
        register_chart_section(
            ChartSection(
                key="sessions",
                title="Sessions",
                order=50,
                template="care/chart_sessions.html",
                loader=selectors.sessions_section,
                clinical=False,
            )
        )
        register_next_appointment_provider(selectors.next_appointments_of)
        register_dashboard_panel(
            DashboardPanel(
                key="care_notes_due",
                title="Notes to write",
                order=20,
                template="care/panel_notes_due.html",
                loader=dashboard.notes_due_panel,
                capability=Capability.WRITE_CLINICAL,
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                key="care_cosign",
                title="Notes to co-sign",
                order=21,
                template="care/panel_cosign.html",
                loader=dashboard.cosign_panel,
                capability=Capability.SUPERVISE,
            )
        )
        register_nav_item(NavItem("Co-sign", "care:cosign_queue", Capability.SUPERVISE, 31))
        register_nav_item(
            NavItem("Care settings", "care:settings", Capability.MANAGE_ORGANIZATION, 97)
        )
