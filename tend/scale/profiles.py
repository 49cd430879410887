"""How big a seeded organization is: three named sizes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    clinicians: int  # every clinical person: licensed clinicians, associates, supervisors
    clients: int  # all clients, whatever their status
    caseload: tuple[int, int]  # active clients per clinician, low and high
    history_weeks: int  # how far back the schedule reaches
    future_weeks: int  # how far ahead series are booked
    job_postings: int


PROFILES: dict[str, Profile] = {
    profile.name: profile
    for profile in (
        # Quick enough for tests on both databases.
        Profile("small", 10, 160, (4, 12), 12, 3, 200),
        # Development runs: a mid-sized agency.
        Profile("medium", 40, 6_000, (20, 120), 52, 8, 10_000),
        # A large community mental health center.
        Profile("large", 300, 60_000, (20, 120), 120, 8, 100_000),
    )
}
