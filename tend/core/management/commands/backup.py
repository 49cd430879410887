from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone


def backup_sqlite(destination: Path) -> None:
    """Copy the live database with SQLite's online backup API (consistent under writes)."""
    connection.ensure_connection()
    source = connection.connection
    target = sqlite3.connect(destination)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()


def backup_postgresql(destination: Path) -> None:
    """A consistent snapshot with pg_dump (custom format, restorable with pg_restore)."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise CommandError("pg_dump is not installed; install PostgreSQL's client tools.")
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    subprocess.run(  # noqa: S603  (fixed argv, no shell)
        [pg_dump, "--format=custom", f"--file={destination}", str(db["NAME"])],
        check=True,
        env=env,
    )


class Command(BaseCommand):
    help = "Write a consistent copy of the database to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="File to write (default: var/backups/…)")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
        destination: Path = options["output"] or (
            Path(settings.DATA_DIR) / "backups" / f"tend-{stamp}.{suffix}"
        )
        destination.parent.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "sqlite":
            backup_sqlite(destination)
        elif connection.vendor == "postgresql":
            backup_postgresql(destination)
        else:
            raise CommandError(f"No backup method for {connection.vendor}.")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {destination}"))
