from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "tend.measures"
    label = "measures"
    verbose_name = "Measurement-based care and risk"

    def ready(self) -> None:
        from tend.audit.actions import register_actions
        from tend.clients.access import ClientAccess
        from tend.clients.chart import (
            ChartSection,
            HeaderFact,
            register_chart_section,
            register_header_fact,
        )
        from tend.core.dashboard import DashboardPanel, register_dashboard_panel
        from tend.core.navigation import NavItem, register_nav_item
        from tend.core.permissions import Capability
        from tend.core.typing import MemberRequest
        from tend.measures import selectors

        register_actions(
            "measures",
            "viewed",
            "response_recorded",
            "response_viewed",
            "response_voided",
            "link_created",
            "link_sent",
            "link_opened",
            "link_completed",
            "alert_raised",
            "alert_acknowledged",
            "risk_assessed",
            "safety_plan_saved",
            "safety_plan_viewed",
            "safety_plan_printed",
            "safety_plan_shared",
            "schedule_created",
            "schedule_stopped",
            "outcomes_viewed",
        )
        register_nav_item(NavItem("Outcomes", "measures:outcomes", Capability.VIEW_CLINICAL, 40))
        register_nav_item(
            NavItem(
                "Practice outcomes",
                "measures:organization_outcomes",
                Capability.MANAGE_ORGANIZATION,
                41,
            )
        )

        def chart_measures(access: ClientAccess, request: Any) -> dict[str, Any]:
            # The Measures section and the header's risk facts, from one read.
            overview = selectors.measures_overview(
                access.client, table_limit=selectors.CHART_TABLE_ROWS
            )
            return {"client": access.client, "overview": overview, "risk": overview.risk}

        def alerts_panel(request: MemberRequest) -> dict[str, Any] | None:
            return {"alerts": selectors.open_alerts_for(request.user, request.organization)}

        register_chart_section(
            ChartSection(
                key="measures",
                title="Measures",
                order=30,
                template="measures/chart_section.html",
                loader=chart_measures,
            )
        )
        register_header_fact(
            HeaderFact(
                key="risk", order=20, template="measures/header_fact.html", loader=chart_measures
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                key="risk_alerts",
                title="Risk alerts to acknowledge",
                order=10,
                template="measures/dashboard_panel.html",
                loader=alerts_panel,
                capability=Capability.VIEW_CLINICAL,
            )
        )
