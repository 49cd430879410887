from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from tend.scale.people import ORGANIZATION_NAME, SEED_PASSWORD, email_for, organization_exists
from tend.scale.profiles import PROFILES
from tend.scale.seed import seed_organization


class Command(BaseCommand):
    help = "Fill the database with a synthetic community mental health center (for benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", choices=sorted(PROFILES), default="small")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="Seed as if it were noon on this day (default: now), for the same data "
            "whatever day it runs.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if organization_exists():
            raise CommandError(
                f"{ORGANIZATION_NAME} is already seeded here; seed into an empty database."
            )
        console = Console(file=self.stdout)  # type: ignore[arg-type]
        result = seed_organization(
            PROFILES[options["profile"]], console=console, today=options["today"]
        )
        table = Table(title=f"Rows written ({result.profile} profile)")
        table.add_column("model")
        table.add_column("rows", justify="right")
        for label, count in sorted(result.counts.items()):
            table.add_row(label, f"{count:,}")
        table.add_row("total", f"{sum(result.counts.values()):,}", style="bold")
        console.print(table)
        console.print(f"Seeded in {result.seconds:,.1f} s.")
        console.print(
            f"Sign in as e.g. {email_for('clinician', 1)}, {email_for('supervisor', 1)} or "
            f"{email_for('frontdesk', 1)} with the password {SEED_PASSWORD}."
        )
