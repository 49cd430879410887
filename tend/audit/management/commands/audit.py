from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tend.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Audit trail tools. `tend audit verify` proves the hash chain intact."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if not report.intact:
            raise CommandError(
                f"Audit chain BROKEN at event {report.broken_at}: {report.reason} "
                f"({report.checked} events verified before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events."))
