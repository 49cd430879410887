from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings

from tend.core.management.commands.serve import exec_server
from tend.demo.loader import demo_is_loaded, load_demo
from tend.demo.people import DEMO_ORGANIZATIONS, DEMO_PASSWORD

DEMO_STATIC_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


class Command(BaseCommand):
    help = "Create a local database with synthetic demo data and serve Tend on it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Load the data only.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        # Compressing every asset (brotli, gzip) takes ~20 s on a small machine and buys
        # nothing on localhost; the demo serves hashed but uncompressed files.
        storages = {**settings.STORAGES, "staticfiles": {"BACKEND": DEMO_STATIC_STORAGE}}
        with override_settings(STORAGES=storages):
            call_command("collectstatic", interactive=False, verbosity=0)
        if demo_is_loaded():
            self.stdout.write("Demo data already loaded.")
        else:
            self.stdout.write("Loading demo data…")
            load_demo()
        self.print_logins()
        if not options["no_serve"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nTend is running at http://127.0.0.1:{options['port']}/ (Ctrl+C to stop)"
                )
            )
            exec_server(
                host="127.0.0.1",
                port=options["port"],
                workers=1,
                extra_env={
                    "TEND_DEMO": "1",
                    "TEND_ENFORCE_MFA": "0",
                    "TEND_STATICFILES_STORAGE": DEMO_STATIC_STORAGE,
                },
            )

    def print_logins(self) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING("\nDemo logins (all synthetic)"))
        self.stdout.write(f"Password for every account: {DEMO_PASSWORD}")
        self.stdout.write("Two-factor authentication is NOT enforced in the demo.\n")
        for organization in DEMO_ORGANIZATIONS:
            self.stdout.write(self.style.HTTP_INFO(organization.name))
            for person in organization.people:
                roles = ", ".join(role.label for role in person.roles)
                self.stdout.write(f"  {person.email:<42} {roles}")
