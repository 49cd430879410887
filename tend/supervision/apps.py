from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "tend.supervision"
    label = "supervision"
    verbose_name = "Supervision"

    def ready(self) -> None:
        from tend.audit.actions import register_actions

        register_actions("supervision", "relationship_started")
