r"""Send the questionnaire links that schedules say are due. Meant for cron, e.g. daily:

    15 7 * * *  TEND_BASE_URL=https://tend.example.org \
                /srv/tend/.venv/bin/tend send_scheduled_measures

Safe to run more often or twice: each schedule's due date gets one link.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import timezone

from tend.measures.services import schedules_send_due


class Command(BaseCommand):
    help = "Create and email the one-time links of every questionnaire schedule that is due."

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
        report = schedules_send_due(
            today=timezone.localdate(),
            url_builder=lambda raw: base_url + reverse("measures:client_link", args=[raw]),
        )
        self.stdout.write(
            f"Sent {report.sent} questionnaire link(s); "
            f"{report.without_email} due for clients without an email address."
        )
