from __future__ import annotations

from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "tend.clients"
    label = "clients"
    verbose_name = "Clients"

    def ready(self) -> None:
        from tend.audit.actions import register_actions
        from tend.clients import selectors
        from tend.clients.chart import ChartSection, register_chart_section
        from tend.core.navigation import NavItem, register_nav_item
        from tend.core.permissions import Capability

        register_actions(
            "clients",
            "created",
            "updated",
            "viewed",
            "status_changed",
            "care_team_added",
            "care_team_ended",
            "group_created",
            "group_member_added",
            "group_member_removed",
            "break_glass_granted",
        )
        register_actions("episodes", "opened", "discharged")
        register_nav_item(NavItem("Clients", "clients:caseload", Capability.OPEN_CLIENT_LIST, 10))
        # Demographics and case assignment are not clinical narrative: front desk and
        # billing see these sections too (the episodes template hides the narrative).
        for section in (
            ChartSection(
                key="episodes",
                title="Episodes of care",
                order=10,
                template="clients/sections/episodes.html",
                loader=selectors.episodes_section,
                clinical=False,
            ),
            ChartSection(
                key="care_team",
                title="Care team",
                order=90,
                template="clients/sections/care_team.html",
                loader=selectors.care_team_section,
                clinical=False,
            ),
            ChartSection(
                key="case_groups",
                title="Couple and family",
                order=95,
                template="clients/sections/case_groups.html",
                loader=selectors.case_groups_section,
                clinical=False,
            ),
            ChartSection(
                key="demographics",
                title="Contact & demographics",
                order=100,
                template="clients/sections/demographics.html",
                loader=selectors.demographics_section,
                clinical=False,
            ),
        ):
            register_chart_section(section)
