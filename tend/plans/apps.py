from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tend.plans"
    label = "plans"
    verbose_name = "Treatment plans"

    def ready(self) -> None:
        from tend.audit.actions import register_actions
        from tend.clients.chart import (
            ChartSection,
            HeaderFact,
            register_chart_section,
            register_header_fact,
        )
        from tend.core.dashboard import DashboardPanel, register_dashboard_panel
        from tend.core.navigation import NavItem, register_nav_item
        from tend.core.permissions import Capability
        from tend.plans import chart

        register_actions(
            "plans",
            "viewed",
            "created",
            "updated",
            "activated",
            "revised",
            "superseded",
            "reviewed",
            "exported",
            "progress_recorded",
            "library_seeded",
            "template_created",
            "template_updated",
            "template_retired",
            "template_restored",
            "settings_updated",
        )
        register_nav_item(
            NavItem("Plan library", "plans:library", Capability.MANAGE_PLAN_LIBRARY, 40)
        )
        register_nav_item(
            NavItem("Plan settings", "plans:settings", Capability.MANAGE_ORGANIZATION, 96)
        )
        register_chart_section(
            ChartSection(
                key="treatment_plan",
                title="Treatment plan",
                order=40,
                template="plans/chart_section.html",
                loader=chart.chart_section,
            )
        )
        register_header_fact(
            HeaderFact(
                key="plan_review",
                order=30,
                template="plans/header_fact.html",
                loader=chart.chart_section,
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                key="plan_reviews_due",
                title="Plan reviews due",
                order=30,
                template="plans/dashboard_panel.html",
                loader=chart.dashboard_panel,
                capability=Capability.VIEW_CLINICAL,
            )
        )
