from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "tend.assessments"
    label = "assessments"
    verbose_name = "Assessments and diagnoses"

    def ready(self) -> None:
        from tend.assessments import chart
        from tend.audit.actions import register_actions
        from tend.clients.chart import (
            ChartSection,
            HeaderFact,
            register_chart_section,
            register_header_fact,
        )
        from tend.core.navigation import NavItem, register_nav_item
        from tend.core.permissions import Capability

        register_actions(
            "assessments",
            "viewed",
            "printed",
            "started",
            "draft_saved",
            "signed",
            "addendum_added",
            "template_version_created",
            "diagnosis_added",
            "diagnosis_changed",
        )
        register_chart_section(
            ChartSection(
                key="assessments",
                title="Assessments",
                order=10,
                template="assessments/chart_assessments.html",
                loader=chart.assessments_section,
            )
        )
        register_chart_section(
            ChartSection(
                key="diagnoses",
                title="Diagnoses",
                order=20,
                template="assessments/chart_diagnoses.html",
                loader=chart.diagnoses,
            )
        )
        register_header_fact(
            HeaderFact(
                key="active_diagnoses",
                order=10,
                template="assessments/header_diagnoses.html",
                loader=chart.diagnoses,
            )
        )
        register_nav_item(
            NavItem(
                "Assessment template",
                "assessments:template",
                Capability.MANAGE_ORGANIZATION,
                96,
            )
        )
