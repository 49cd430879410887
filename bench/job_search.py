"""Seed 100,000 job postings into a scratch database and time the job search.

Not a test. Run:
    .venv/bin/python bench/job_search.py                        # SQLite (a temporary file)
    scripts/with-postgres.sh .venv/bin/python bench/job_search.py  # PostgreSQL (PG* variables)

On PostgreSQL a scratch database is created next to $PGDATABASE and dropped afterwards.
Prints p50/p95 per query shape (milliseconds, wall clock, including fetching the page).
"""

from __future__ import annotations

import copy
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

POSTINGS = int(os.environ.get("BENCH_POSTINGS", "100000"))
REPEATS = 30
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _scratch_database() -> tuple[str, str | None]:
    """Point Django at a scratch database before it is set up; returns (vendor, pg name)."""
    if os.environ.get("PGDATABASE") or os.environ.get("PGHOST"):
        import psycopg

        name = f"tend_bench_{os.getpid()}"
        with psycopg.connect(autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["PGDATABASE"] = name
        return "postgresql", name
    os.environ["TEND_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    return "sqlite", None


def _drop(name: str | None, original: str | None) -> None:
    if name is None:
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    os.environ["PGDATABASE"] = original or "postgres"
    with psycopg.connect(autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> None:
    original_database = os.environ.get("PGDATABASE")
    vendor, scratch = _scratch_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tend.settings")
    os.environ.setdefault("TEND_SECRET_KEY", "bench-only")
    import django

    django.setup()
    try:
        run(vendor)
    finally:
        _drop(scratch, original_database)


def run(vendor: str) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from tend.accounts.services import organization_create, user_create
    from tend.careers.eligibility import credentials_for
    from tend.careers.models import JobPosting, Setting, codes_join
    from tend.careers.selectors import JobSearch, search_postings
    from tend.careers.services import posting_build, search_document_for
    from tend.core import vocabulary
    from tend.licensure import requirements
    from tend.licensure.services import license_create
    from tests.careers.factories import posting_data

    call_command("migrate", verbosity=0)
    rng = random.Random(100_000)  # noqa: S311  (benchmark data)
    today = timezone.localdate()
    owner = user_create(email="bench@bench.example", display_name="Bench", password=None)
    organization = organization_create(
        name="Bench Employer", kind="cmhc", state="TX", timezone_name="America/Chicago", owner=owner
    )
    states = list(requirements.states())
    modalities = [code for code, _ in vocabulary.choices("modalities")]
    populations = [code for code, _ in vocabulary.choices("populations")]
    words = ["adolescent", "trauma", "couples", "inpatient", "school", "bilingual", "group"]
    templates = [
        posting_build(
            organization=organization,
            data=posting_data(
                title=f"{rng.choice(['Therapist', 'Counselor', 'Clinician'])} {index}",
                description=" ".join(rng.sample(words, 3)) + " outpatient therapy.",
                setting=rng.choice(list(Setting)),
                work_arrangement=rng.choice(["on_site", "hybrid", "remote"]),
                license_families=[rng.choice(requirements.LICENSE_FAMILIES)],
            ),
            today=today,
        )
        for index in range(200)
    ]
    started = time.perf_counter()
    batch: list[JobPosting] = []
    for _ in range(POSTINGS):
        row = copy.copy(rng.choice(templates))
        row.public_id = uuid.uuid4()
        row.licensed_states = codes_join(sorted(set(rng.sample(states, rng.choice([1, 1, 2])))))
        row.modalities = codes_join(sorted(rng.sample(modalities, 3)))
        row.populations = codes_join(sorted(rng.sample(populations, 2)))
        row.accepts_associates = rng.random() < 0.4
        row.supervision_provided = row.accepts_associates and rng.random() < 0.8
        row.annual_pay_min = rng.randrange(45_000, 110_000)
        row.annual_pay_max = row.annual_pay_min + rng.randrange(0, 20_000)
        row.posted_on = today - timedelta(days=rng.randrange(0, 90))
        row.valid_through = row.posted_on + timedelta(days=30)
        row.search_document = search_document_for(row)
        batch.append(row)
        if len(batch) == 5000:
            JobPosting.objects.bulk_create(batch)
            batch = []
    JobPosting.objects.bulk_create(batch)
    seeded = time.perf_counter() - started
    if vendor == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE careers_jobposting")
    clinician = user_create(email="clinician@bench.example", display_name="C", password=None)
    license_create(
        holder=clinician,
        state="FL",
        family="counselor",
        title="LMHC",
        number="FL-1",
        issued_on=today - timedelta(days=900),
        expires_on=today + timedelta(days=400),
        status="active",
    )
    credentials = credentials_for(clinician, today=today)
    open_count = JobPosting.objects.filter(valid_through__gte=today).count()
    print(f"{vendor}: seeded {POSTINGS:,} postings ({open_count:,} open) in {seeded:.1f} s")
    shapes = {
        "newest, no filter": JobSearch(sort="date"),
        "text 'dbt telehealth texas'": JobSearch(text="dbt telehealth texas"),
        "text 'trauma adolescent', by relevance": JobSearch(text="trauma adolescent"),
        "state TX + modality dbt + remote": JobSearch(
            state="TX", modality="dbt", remote_or_hybrid=True, sort="date"
        ),
        "pay floor 90k, by pay": JobSearch(pay_floor=90_000, sort="pay"),
        "associate-friendly + supervision, page 5": JobSearch(
            associate_friendly=True, supervision_provided=True, sort="date", page=5
        ),
        "only jobs I qualify for + text 'couples'": JobSearch(only_qualifying=True, text="couples"),
    }
    print(f"{'query':45} {'p50 ms':>8} {'p95 ms':>8} {'rows':>5}")
    for label, search in shapes.items():
        timings = []
        rows = 0
        for _ in range(REPEATS):
            begin = time.perf_counter()
            page = search_postings(search, today=today, credentials=credentials)
            timings.append((time.perf_counter() - begin) * 1000)
            rows = len(page.postings)
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        print(f"{label:45} {p50:8.1f} {p95:8.1f} {rows:5d}")


if __name__ == "__main__":
    main()
