from __future__ import annotations

from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "tend.coordination"
    label = "coordination"
    verbose_name = "Care coordination and referrals"

    def ready(self) -> None:
        from tend.audit.actions import register_actions
        from tend.clients.chart import (
            ChartSection,
            register_chart_section,
            register_outside_care_team,
        )
        from tend.coordination import chart
        from tend.coordination.sections import register_sections
        from tend.core.dashboard import DashboardPanel, register_dashboard_panel
        from tend.core.navigation import NavItem, register_nav_item
        from tend.core.permissions import Capability

        register_actions(
            "coordination",
            "viewed",
            "provider_created",
            "provider_updated",
            "team_member_added",
            "team_member_ended",
            "consent_recorded",
            "consent_revoked",
            "consent_scan_viewed",
            "disclosed",
            "client_copy_released",
            "packet_downloaded",
            "accounting_viewed",
            "accounting_printed",
            "resource_created",
            "resource_updated",
            "referral_created",
            "referral_updated",
            "referral_closed",
            "contact_recorded",
        )
        register_sections()
        register_nav_item(NavItem("Resources", "coordination:resources", None, 60))
        register_nav_item(
            NavItem("Providers", "coordination:providers", Capability.RECORD_CONSENT_FORMS, 61)
        )
        register_chart_section(
            ChartSection(
                key="consents",
                title="Consents",
                order=70,
                template="coordination/chart/consents.html",
                loader=chart.consents_section,
            )
        )
        register_chart_section(
            ChartSection(
                key="referrals",
                title="Referrals",
                order=72,
                template="coordination/chart/referrals.html",
                loader=chart.referrals_section,
            )
        )
        register_chart_section(
            ChartSection(
                key="care_coordination",
                title="Care coordination",
                order=74,
                template="coordination/chart/coordination.html",
                loader=chart.coordination_section,
            )
        )
        register_outside_care_team("external_providers", chart.outside_care_team)
        register_dashboard_panel(
            DashboardPanel(
                key="overdue_referrals",
                title="Referrals to follow up",
                order=40,
                template="coordination/panels/overdue_referrals.html",
                loader=chart.overdue_referrals_panel,
                capability=Capability.WRITE_CLINICAL,
            )
        )
