from __future__ import annotations

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "tend.care"
    label = "care"
    verbose_name = "Scheduling and documentation"
