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
    measure_every_weeks: int = 4  # how often a client in care fills in the PHQ-9 (GAD-7)


PROFILES: dict[str, Profile] = {
    profile.name: profile
    for profile in (
        # Quick enough for tests on both databases.
        Profile("small", 10, 160, (4, 12), 12, 3, 200),
        # Development runs: a mid-sized agency.
        Profile("medium", 40, 6_000, (20, 120), 52, 8, 10_000),
        # A large community mental health center, sized to the volumes (about
        # 1.5M appointments, 1.2M notes, 400k measure responses): three years of history,
        # four weeks booked ahead, and the measures every eight weeks rather than four.
        Profile("large", 300, 60_000, (20, 120), 165, 4, 100_000, measure_every_weeks=8),
    )
}
