from __future__ import annotations

from django.apps import AppConfig


class LicensureConfig(AppConfig):
    name = "tend.licensure"
    label = "licensure"
    verbose_name = "Licensure"

    def ready(self) -> None:
        from tend.audit.actions import register_actions
        from tend.care.signals import note_finalized
        from tend.core.dashboard import DashboardPanel, register_dashboard_panel
        from tend.core.navigation import NavItem, register_nav_item
        from tend.core.permissions import Capability
        from tend.licensure.dashboard import progress_panel, renewal_panel
        from tend.licensure.receivers import on_note_finalized, on_supervision_session_signed
        from tend.supervision.signals import supervision_session_signed

        register_actions(
            "licensure",
            "license_created",
            "license_updated",
            "privilege_added",
            "exam_attempt_recorded",
            "hours_accrued",
            "hours_entry_added",
            "hours_entry_removed",
            "hours_verified",
            "ledger_viewed",
            "verification_exported",
        )
        # The ledger fills itself from signed work; the senders do not know it exists.
        note_finalized.connect(on_note_finalized, dispatch_uid="licensure-hours-from-notes")
        supervision_session_signed.connect(
            on_supervision_session_signed, dispatch_uid="licensure-hours-from-supervision"
        )
        # Licences matter to the people who practise; the page itself is open to any member.
        register_nav_item(NavItem("Licences", "licensure:licenses", Capability.VIEW_CLINICAL, 70))
        register_dashboard_panel(
            DashboardPanel(
                key="licence-renewals",
                title="Licence renewals",
                order=20,
                template="licensure/renewal_panel.html",
                loader=renewal_panel,
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                key="licensure-progress",
                title="Progress toward licensure",
                order=19,
                template="licensure/progress_panel.html",
                loader=progress_panel,
                capability=Capability.LOG_LICENSURE_HOURS,
            )
        )
        register_nav_item(
            NavItem("Hours", "licensure:my_hours", Capability.LOG_LICENSURE_HOURS, 71)
        )
        register_nav_item(
            NavItem(
                "Associates' hours", "licensure:organization_hours", Capability.MANAGE_MEMBERS, 85
            )
        )
