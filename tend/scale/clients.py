"""Step 2: clients and their episodes of care.

Each clinician's week has 55 hour slots (Monday to Friday, 8:00 to 18:00), and each slot
four phases (the week number modulo 4): a weekly client takes all four, a biweekly client
two, a monthly client one. Every active client gets a slot of their own from their
admission until the booked future, so no clinician is ever double-booked; before that
admission the same slot held earlier clients, now discharged, one after another.
"""

from __future__ import annotations

from datetime import date, timedelta

from tend.accounts.models import User
from tend.clients.demo import (
    DISCHARGES,
    FIRST_NAMES,
    LAST_NAMES,
    PRESENTING_CONCERNS,
    REFERRAL_SOURCES,
    STREETS,
)
from tend.clients.models import CareTeamMember, Client, Episode
from tend.scale.run import EpisodePlan, SeedRun

HOURS = tuple(range(8, 19))
WEEKDAYS = range(5)
# Preferred cadence: weekly, biweekly or monthly (full caseloads fall back to less often).
_CADENCES = (1, 1, 1, 1, 2, 2, 2, 4, 4)
_PHASES_NEEDED = {1: ((0, 1, 2, 3),), 2: ((0, 2), (1, 3)), 4: ((0,), (1,), (2,), (3,))}
WAITLIST_SHARE = 0.04
INQUIRY_SHARE = 0.02


def seed_clients(run: SeedRun) -> None:
    profile = run.profile
    rng = run.rng
    caseloads = {user.pk: rng.randint(*profile.caseload) for user in run.staff.clinical}
    active = sum(caseloads.values())
    waiting = round(profile.clients * WAITLIST_SHARE)
    inquiring = round(profile.clients * INQUIRY_SHARE)
    discharged_budget = max(0, profile.clients - active - waiting - inquiring)
    run.start_step("clients", profile.clients * 2)
    plans: list[EpisodePlan] = []
    for clinician in run.staff.clinical:
        plans.extend(_active_plans(run, clinician, caseloads[clinician.pk]))
    plans.extend(_discharged_plans(run, plans, discharged_budget))
    clients = [plan.client for plan in plans]
    unplaced = discharged_budget - (len(plans) - active)
    # Discharged before the scheduling history begins: records without appointments here.
    for _ in range(unplaced):
        clients.append(_client(run, Client.Status.DISCHARGED, rng.choice(run.staff.clinical)))
    clients += [_client(run, Client.Status.WAITLIST, None) for _ in range(waiting)]
    clients += [_client(run, Client.Status.INQUIRY, None) for _ in range(inquiring)]
    run.clients = run.save(Client, clients)
    episodes = [_episode(run, plan) for plan in plans]
    for client in clients[len(plans) : len(plans) + unplaced]:
        admitted = run.first_monday - timedelta(days=rng.randint(60, 700))
        episodes.append(_closed_episode(run, client, admitted, rng.randint(30, 300)))
    saved = run.save(Episode, episodes)
    for plan, episode in zip(plans, saved, strict=False):
        plan.episode = episode
    run.episodes = plans
    run.save(CareTeamMember, _care_team(run, plans))
    run.finish_step()


def _active_plans(run: SeedRun, clinician: User, caseload: int) -> list[EpisodePlan]:
    rng = run.rng
    free = {(weekday, hour): {0, 1, 2, 3} for hour in HOURS for weekday in WEEKDAYS}
    slots = list(free)
    rng.shuffle(slots)
    plans = []
    last_week = run.this_week + run.profile.future_weeks
    for _ in range(caseload):
        placed = _place(free, slots, rng.choice(_CADENCES))
        if placed is None:
            break
        (weekday, hour), interval, phase = placed
        plans.append(
            EpisodePlan(
                client=_client(run, Client.Status.ACTIVE, clinician),
                clinician=clinician,
                weekday=weekday,
                hour=hour,
                interval=interval,
                phase=phase,
                first_week=rng.randint(0, run.this_week - 1),
                last_week=last_week,
                minutes=rng.choice((45, 50, 50, 53, 55)),
                telehealth=rng.random() < 0.3,
                active=True,
            )
        )
    return plans


def _place(
    free: dict[tuple[int, int], set[int]], slots: list[tuple[int, int]], interval: int
) -> tuple[tuple[int, int], int, int] | None:
    """A slot with the phases `interval` needs free (or a less frequent cadence), taken."""
    for cadence in (interval, 2, 4):
        if cadence < interval:
            continue
        for slot in slots:
            for phases in _PHASES_NEEDED[cadence]:
                if free[slot].issuperset(phases):
                    free[slot].difference_update(phases)
                    return slot, cadence, phases[0]
    return None


def _discharged_plans(run: SeedRun, active: list[EpisodePlan], budget: int) -> list[EpisodePlan]:
    """Earlier clients in each active client's slot, back to back before their admission."""
    rng = run.rng
    plans: list[EpisodePlan] = []
    per_slot = budget / max(1, len(active))
    for lane in active:
        wanted = int(per_slot) + (1 if rng.random() < per_slot % 1 else 0)
        end = lane.first_week - rng.randint(1, 3)
        for _ in range(wanted):
            if len(plans) >= budget:
                return plans
            length = rng.randint(6, 40)
            if end - length < 0:
                break
            client = _client(run, Client.Status.DISCHARGED, lane.clinician)
            plans.append(
                EpisodePlan(
                    client=client,
                    clinician=lane.clinician,
                    weekday=lane.weekday,
                    hour=lane.hour,
                    interval=lane.interval,
                    phase=lane.phase,
                    first_week=end - length,
                    last_week=end,
                    minutes=lane.minutes,
                    telehealth=rng.random() < 0.3,
                    active=False,
                )
            )
            end -= length + rng.randint(1, 4)
    return plans


def _client(run: SeedRun, status: str, clinician: User | None) -> Client:
    rng = run.rng
    first, pronouns = rng.choice(FIRST_NAMES)
    number = rng.randrange(1000, 9999)
    born = run.today - timedelta(days=rng.randint(6 * 365, 85 * 365))
    return Client(
        organization=run.organization,
        legal_first_name=first,
        legal_last_name=rng.choice(LAST_NAMES),
        date_of_birth=born,
        pronouns=pronouns,
        phone=f"512-555-{number:04d}",
        email=f"client{number}@mail.example" if rng.random() < 0.7 else "",
        address_line1=f"{rng.randrange(100, 9999)} {rng.choice(STREETS)} St",
        city="San Marcos",
        state="TX",
        postal_code="78666",
        status=status,
        primary_clinician=clinician,
    )


def _episode(run: SeedRun, plan: EpisodePlan) -> Episode:
    admitted = run.day_of(plan.first_week, plan.weekday)
    if plan.active:
        return Episode(
            client=plan.client,
            admission_date=admitted,
            referral_source=run.rng.choice(REFERRAL_SOURCES),
            presenting_concern=run.rng.choice(PRESENTING_CONCERNS),
        )
    days = (run.day_of(plan.last_week, plan.weekday) - admitted).days + 7
    return _closed_episode(run, plan.client, admitted, days)


def _closed_episode(run: SeedRun, client: Client, admitted: date, days: int) -> Episode:
    reason, summary = run.rng.choice(DISCHARGES)
    return Episode(
        client=client,
        admission_date=admitted,
        referral_source=run.rng.choice(REFERRAL_SOURCES),
        presenting_concern=run.rng.choice(PRESENTING_CONCERNS),
        discharge_date=admitted + timedelta(days=days),
        discharge_reason=reason,
        discharge_summary=summary,
    )


def _care_team(run: SeedRun, plans: list[EpisodePlan]) -> list[CareTeamMember]:
    """A case manager or covering clinician on one active case in ten."""
    rng = run.rng
    rows = []
    for plan in plans:
        if not plan.active or rng.random() >= 0.1:
            continue
        colleague = rng.choice(run.staff.clinical)
        if colleague.pk == plan.clinician.pk:
            continue
        rows.append(
            CareTeamMember(
                client=plan.client,
                user=colleague,
                role=rng.choice((CareTeamMember.Role.CASE_MANAGER, CareTeamMember.Role.COVERING)),
                started_on=run.day_of(plan.first_week, plan.weekday),
            )
        )
    return rows
