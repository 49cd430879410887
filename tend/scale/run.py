"""What every seeding step shares: the profile, one seeded random generator, the
organization and its people, the planned episodes of care, batched inserts and progress."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import connection, models, transaction
from rich.progress import Progress, TaskID

from tend.scale.profiles import Profile

if TYPE_CHECKING:
    from tend.accounts.models import Organization, User
    from tend.clients.models import Client, Episode

BATCH_SIZE = 2_000


@dataclass
class Staff:
    """The seeded people, by what they do."""

    owner: User
    admins: list[User] = field(default_factory=list)
    front_desk: list[User] = field(default_factory=list)
    billers: list[User] = field(default_factory=list)
    clinical: list[User] = field(default_factory=list)  # everyone who carries a caseload
    associates: set[int] = field(default_factory=set)  # user ids
    supervisors: list[User] = field(default_factory=list)
    supervisor_of: dict[int, User] = field(default_factory=dict)  # associate id -> supervisor
    modality_of: dict[int, str] = field(default_factory=dict)  # user id -> note modality


@dataclass
class EpisodePlan:
    """One client's course of care with one clinician in one weekly slot.

    Weeks count from the run's first Monday; the series meets in the weeks where
    (week - phase) is a multiple of `interval` (1 weekly, 2 biweekly, 4 monthly).
    """

    client: Client
    clinician: User
    weekday: int
    hour: int
    interval: int
    phase: int
    first_week: int
    last_week: int
    minutes: int
    telehealth: bool
    active: bool
    episode: Episode | None = None

    def weeks(self) -> range:
        start = self.first_week + (self.phase - self.first_week) % self.interval
        return range(start, self.last_week + 1, self.interval)


class SeedRun:
    """The state of one `tend seed` run, handed to each domain step in turn."""

    def __init__(
        self,
        profile: Profile,
        progress: Progress,
        *,
        now: datetime,
        zone_name: str,
        seed: int = 2026,
    ) -> None:
        self.profile = profile
        self.progress = progress
        self.rng = random.Random(f"tend-scale-{profile.name}-{seed}")  # noqa: S311  (synthetic data)
        self.counts: Counter[str] = Counter()
        self.organization: Organization
        # The moment the seeded organization is "now": the schedule, notes and ledgers
        # reach up to it and no further.
        self.zone = ZoneInfo(zone_name)
        self.now = now
        self.today = now.astimezone(self.zone).date()
        this_monday = self.today - timedelta(days=self.today.weekday())
        self.first_monday = this_monday - timedelta(weeks=profile.history_weeks)
        self.staff: Staff
        self.clients: list[Client] = []
        self.episodes: list[EpisodePlan] = []
        # Client id -> instrument id -> (administered at, total): the measures step's
        # responses, for the plan reviews that suggest progress from them.
        self.scores: dict[int, dict[str, list[tuple[datetime, float]]]] = {}
        self._task: TaskID | None = None

    @property
    def this_week(self) -> int:
        return self.profile.history_weeks

    def day_of(self, week: int, weekday: int) -> date:
        return self.first_monday + timedelta(weeks=week, days=weekday)

    def at(self, week: int, weekday: int, hour: int) -> datetime:
        """A wall-clock hour in the organization's time zone, as UTC (as the database gives
        it back, so that note hashes computed now match the stored rows)."""
        local = datetime.combine(self.day_of(week, weekday), time(hour), tzinfo=self.zone)
        return local.astimezone(UTC)

    def start_step(self, label: str, total: int) -> None:
        self._task = self.progress.add_task(label, total=max(total, 1))

    def finish_step(self) -> None:
        if self._task is not None:
            task = self.progress.tasks[self._task]
            self.progress.update(self._task, total=task.completed or 1, completed=task.completed)
        self._task = None

    def save[M: models.Model](self, model: type[M], rows: Iterable[M]) -> list[M]:
        """Insert `rows` in batches, one transaction per batch; returns the saved rows
        (with primary keys on both databases)."""
        saved: list[M] = []
        copy = connection.vendor == "postgresql"
        for batch in _batches(rows):
            with transaction.atomic():
                if copy:
                    copy_insert(model, batch)
                    saved.extend(batch)
                else:
                    saved.extend(model._default_manager.bulk_create(batch))
            self.counted(model, len(batch))
        return saved

    def counted(self, model: type[models.Model], number: int) -> None:
        self.counts[model._meta.label] += number
        if self._task is not None:
            self.progress.advance(self._task, number)


def copy_insert[M: models.Model](model: type[M], rows: list[M]) -> None:
    """Insert `rows` with PostgreSQL's COPY, several times faster than INSERT … VALUES:
    primary keys are drawn from the table's sequence first, so the rows get them too."""
    meta = model._meta
    fields = list(meta.concrete_fields)
    pk = meta.pk
    assert pk is not None  # noqa: S101  (every concrete model has one)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if isinstance(pk, models.AutoField | models.BigAutoField) and rows[0].pk is None:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column or pk.name, len(rows)],
            )
            for row, (key,) in zip(rows, cursor.fetchall(), strict=True):
                row.pk = key
        columns = ", ".join(quote(field.column or field.name) for field in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                for field in fields:
                    # A parent saved after the child was built: take its new key.
                    if field.is_relation and getattr(row, field.attname) is None:
                        parent = field.get_cached_value(row, default=None)  # type: ignore[attr-defined]
                        if parent is not None:
                            setattr(row, field.attname, parent.pk)
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(row, True), connection)
                        for field in fields
                    ]
                )
        for row in rows:
            row._state.adding = False
            row._state.db = connection.alias


def _batches[M: models.Model](rows: Iterable[M]) -> Iterator[list[M]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH_SIZE)):
        yield batch
