"""Step 8: the job board — postings by a few synthetic employers across the states and
settings of the requirement data, validated and priced once per template, then copied."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from datetime import timedelta

from tend.accounts.models import Organization
from tend.accounts.services import organization_create
from tend.careers.demo import posting_data
from tend.careers.models import JobPosting, Setting
from tend.careers.services import posting_build
from tend.licensure import requirements
from tend.scale.run import SeedRun

TEMPLATES = 400  # at most: validating a posting costs queries, copying one does not
_OTHER_EMPLOYERS = (
    ("Bluewater Telehealth Partners", Organization.Kind.TELEHEALTH),
    ("Cedar Ridge Behavioral Hospital", Organization.Kind.HOSPITAL),
)


def seed_careers(run: SeedRun) -> None:
    rng = run.rng
    total = run.profile.job_postings
    run.start_step("job postings", total)
    employers = [run.organization] + [
        organization_create(
            name=name, kind=kind, state="TX", timezone_name="America/Chicago", owner=run.staff.owner
        )
        for name, kind in _OTHER_EMPLOYERS
    ]
    states = requirements.states()
    settings = list(Setting)
    templates = [
        posting_build(
            organization=employers[index % len(employers)],
            data=posting_data(
                rng, index, states[index % len(states)], settings[index % len(settings)]
            ),
            today=run.today,
        )
        for index in range(min(TEMPLATES, total))
    ]

    def postings() -> Iterator[JobPosting]:
        for _ in range(total):
            row = copy.copy(rng.choice(templates))
            row.public_id = uuid.uuid4()
            row.posted_on = run.today - timedelta(days=rng.randrange(0, 120))
            row.valid_through = row.posted_on + timedelta(days=30)
            yield row

    run.save(JobPosting, postings())
    run.finish_step()
