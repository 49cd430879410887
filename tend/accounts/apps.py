from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tend.accounts"
    label = "accounts"
    verbose_name = "Accounts and organizations"

    def ready(self) -> None:
        from tend.accounts import receivers  # noqa: F401  (connects the login audit receivers)
