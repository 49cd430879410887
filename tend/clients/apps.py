from __future__ import annotations

from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "tend.clients"
    label = "clients"
    verbose_name = "Clients"
