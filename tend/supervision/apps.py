from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "tend.supervision"
    label = "supervision"
    verbose_name = "Supervision"
