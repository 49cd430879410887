"""`tend seed`: build one synthetic organization of the chosen size, domain by domain.

Each step is a function of one domain module taking the shared `SeedRun`; later steps
build on earlier ones (clients before their schedule, episodes before plans). A new
domain adds its module and one line to STEPS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from time import perf_counter
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from tend.scale.assessments import seed_assessments
from tend.scale.care import seed_care
from tend.scale.careers import seed_careers
from tend.scale.clients import seed_clients
from tend.scale.coordination import seed_coordination
from tend.scale.hours import seed_hours
from tend.scale.measures import seed_measures
from tend.scale.people import ORGANIZATION_TIMEZONE, seed_people
from tend.scale.plans import seed_plans
from tend.scale.profiles import Profile
from tend.scale.run import SeedRun

STEPS: tuple[Callable[[SeedRun], None], ...] = (
    seed_people,
    seed_clients,
    seed_assessments,
    seed_care,
    seed_measures,
    seed_plans,
    seed_coordination,
    seed_careers,
    seed_hours,
)


@dataclass(frozen=True)
class SeedResult:
    profile: str
    seconds: float
    counts: dict[str, int]


class RowsPerSecondColumn(TextColumn):
    def __init__(self) -> None:
        super().__init__("")

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return super().render(task) if speed is None else Text(f"{speed:,.0f} rows/s")


def seed_organization(
    profile: Profile, *, console: Console | None = None, today: date | None = None
) -> SeedResult:
    """Create the organization of `profile` with all its data; returns the time taken and
    the rows written per model. The data reaches up to now, or to noon (in the
    organization's time zone) of `today` where it is given: with `today`, the data is the
    same whatever day it is run (the same random seed for a given profile)."""
    console = console or Console()
    zone = ZoneInfo(ORGANIZATION_TIMEZONE)
    now = timezone.now() if today is None else datetime.combine(today, time(12), tzinfo=zone)
    started = perf_counter()
    columns = (
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        RowsPerSecondColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    # A slow refresh leaves the processor to the inserts.
    with Progress(*columns, console=console, refresh_per_second=2) as progress:
        run = SeedRun(profile, progress, now=now, zone_name=ORGANIZATION_TIMEZONE)
        for step in STEPS:
            step(run)
    # Fresh planner statistics: without them the first queries on millions of new rows
    # are planned as if the tables were empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return SeedResult(profile.name, perf_counter() - started, dict(run.counts))
