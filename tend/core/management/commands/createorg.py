from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tend.accounts.models import Organization, User
from tend.accounts.services import organization_create, user_create


class Command(BaseCommand):
    help = "Create an organization and its owner (prompts for the owner's password)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument(
            "--kind",
            default="private_practice",
            choices=[value for value, _ in Organization.Kind.choices],
        )
        parser.add_argument("--state", required=True, help="USPS code, e.g. TX")
        parser.add_argument("--timezone", default="America/Chicago")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-name", required=True)
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the owner's password from standard input.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["owner_email"].strip().lower()
        owner = User.objects.filter(email=email).first()
        try:
            with transaction.atomic():
                if owner is None:
                    if options["password_stdin"]:
                        password = input().strip()
                    else:
                        password = getpass.getpass("Owner's password: ")
                    owner = user_create(
                        email=email, display_name=options["owner_name"], password=password
                    )
                organization = organization_create(
                    name=options["name"],
                    kind=options["kind"],
                    state=options["state"].upper(),
                    timezone_name=options["timezone"],
                    owner=owner,
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Created {organization.name} with owner {owner.email}.")
        )
