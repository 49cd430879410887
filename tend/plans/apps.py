from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tend.plans"
    label = "plans"
    verbose_name = "Treatment plans"
