from __future__ import annotations

from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "tend.measures"
    label = "measures"
    verbose_name = "Measurement-based care and risk"
