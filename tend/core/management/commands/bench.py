from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from tend.scale.bench import RESULTS_DIR, NotSeeded, markdown, run_bench, write_results


class Command(BaseCommand):
    help = "Time the key pages of an organization made by `tend seed` (not a test)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=50, help="Timed requests per page.")
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument(
            "--server-requests",
            type=int,
            default=30,
            help="Requests per page through `tend serve` (0 skips the server run).",
        )
        parser.add_argument("--threads", type=int, default=8, help="Client threads (throughput).")
        parser.add_argument("--seconds", type=float, default=10.0, help="Throughput duration.")
        parser.add_argument("--output", default=str(RESULTS_DIR))
        parser.add_argument("--name", default="", help="File name (without suffix) for results.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=self.stdout)  # type: ignore[arg-type]
        try:
            result = run_bench(
                requests=options["requests"],
                warmup=options["warmup"],
                server_requests=options["server_requests"],
                threads=options["threads"],
                seconds=options["seconds"],
                report=console.print,
            )
        except NotSeeded as error:
            raise CommandError(str(error)) from error
        path = write_results(result, Path(options["output"]), options["name"])
        self.stdout.write(markdown(result))
        console.print(f"Written to {path} and {path.with_suffix('.json')}.")
