r"""Email each user's daily digest of new postings matching their saved searches. For cron:

    30 6 * * *  TEND_BASE_URL=https://tend.example.org /srv/tend/.venv/bin/tend send_job_alerts

Safe to run more often or twice: a saved search is included in at most one digest a day.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tend.careers.alerts import digests_send


class Command(BaseCommand):
    help = "Send the daily email of new job postings matching users' saved searches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=os.environ.get("TEND_BASE_URL", ""),
            help="Public address of this Tend, e.g. https://tend.example.org "
            "(default: $TEND_BASE_URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base_url = str(options["base_url"]).rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise CommandError("Give --base-url (or TEND_BASE_URL), e.g. https://tend.example.org")
        report = digests_send(today=timezone.localdate(), absolute=lambda path: base_url + path)
        self.stdout.write(
            f"Sent {report.emails} job alert email(s) listing {report.postings} new posting(s)."
        )
