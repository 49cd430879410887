from __future__ import annotations

from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "tend.coordination"
    label = "coordination"
    verbose_name = "Care coordination and referrals"
