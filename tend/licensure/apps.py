from __future__ import annotations

from django.apps import AppConfig


class LicensureConfig(AppConfig):
    name = "tend.licensure"
    label = "licensure"
    verbose_name = "Licensure"
