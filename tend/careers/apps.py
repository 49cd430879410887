from __future__ import annotations

from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "tend.careers"
    label = "careers"
    verbose_name = "Careers"
