from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def exec_server(*, host: str, port: int, workers: int, extra_env: dict[str, str]) -> None:
    """Replace this process with granian serving Tend's WSGI app (WhiteNoise serves static)."""
    env = {**os.environ, **extra_env}
    argv = [
        sys.executable, "-m", "granian",
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        # Each thread holds a database connection; a few per worker keep a 2-core machine busy
        # without queueing on SQLite's single writer.
        "--blocking-threads", os.environ.get("TEND_THREADS", "4"),
        "--no-ws",
        "tend.wsgi:application",
    ]  # fmt: skip
    os.execve(sys.executable, argv, env)  # noqa: S606  (fixed argv, no shell)


class Command(BaseCommand):
    help = "Serve Tend in production with granian (run `tend migrate` and collectstatic first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("TEND_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("TEND_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("TEND_WORKERS", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        if not os.environ.get("TEND_SECRET_KEY") and not settings.TEND_DEMO:
            raise CommandError("Set TEND_SECRET_KEY (a long random string) before serving Tend.")
        exec_server(
            host=options["host"], port=options["port"], workers=options["workers"], extra_env={}
        )
