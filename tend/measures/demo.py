"""Demo measurement history: PHQ-9 and GAD-7 over 3 to 12 months for the active clients
(some improving, some unchanged, some worse), one client whose PHQ-9 item 9 was endorsed
twice (an acknowledged alert, a risk screening and a safety plan, then an open alert),
and a few fortnightly schedules. Deterministic: one seeded random generator per
organization. Runs after the clients demo and looks its clients up by organization.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from tend.accounts.models import Organization
from tend.clients.models import Client
from tend.measures.models import MeasureResponse, RiskAlert
from tend.measures.services import (
    alert_acknowledge,
    response_record,
    risk_assessment_record,
    safety_plan_save,
    schedule_create,
)

TRAJECTORIES = ("improving", "improving", "unchanged", "worsening", "improving", "unchanged")


def _answers(rng: random.Random, items: int, total: int, *, item9: int = 0) -> dict[str, float]:
    """Item answers (0-3) over `items` items that add up to `total` (item 9 fixed)."""
    values = [0] * items
    remaining = total - item9
    while remaining > 0:
        index = rng.randrange(items - (1 if item9 or items == 9 else 0))
        if values[index] < 3:
            values[index] += 1
            remaining -= 1
    if items == 9:
        values[8] = item9
    return {str(n + 1): value for n, value in enumerate(values)}


def _path(rng: random.Random, trajectory: str, count: int, top: int) -> list[int]:
    if trajectory == "improving":
        start, end = rng.randint(top - 8, top - 2), rng.randint(2, 7)
    elif trajectory == "worsening":
        start, end = rng.randint(3, 8), rng.randint(top - 7, top - 2)
    else:
        start = end = rng.randint(7, 13)
    path = []
    for step in range(count):
        planned = start + (end - start) * step / max(1, count - 1)
        path.append(max(0, min(top, round(planned + rng.uniform(-2, 2)))))
    return path


def _at(day: datetime) -> datetime:
    return timezone.make_aware(datetime.combine(day.date(), time(10, 0)))


@transaction.atomic
def load(organizations: dict[str, Organization]) -> None:
    today = timezone.localdate()
    now = timezone.now()
    for name, organization in organizations.items():
        rng = random.Random(f"tend-measures-{name}")  # noqa: S311  (synthetic data, not secrets)
        clients = list(
            Client.objects.filter(
                organization=organization,
                status=Client.Status.ACTIVE,
                primary_clinician__isnull=False,
            )
            .select_related("primary_clinician", "organization")
            .order_by("id")
        )
        if not clients:
            continue
        risk_client, *others = clients
        # Eight histories per organization tell the story and keep `tend demo` quick.
        for index, client in enumerate(others[:8]):
            trajectory = TRAJECTORIES[index % len(TRAJECTORIES)]
            months = rng.randint(3, 12)
            first = now - timedelta(days=30 * months)
            count = max(3, (30 * months) // rng.choice((21, 28)))
            dates = [first + (now - first) * step / count for step in range(count)]
            for instrument_id, items, top in (("phq9", 9, 24), ("gad7", 7, 21)):
                if instrument_id == "gad7" and index % 3 == 2:
                    continue
                for when, total in zip(dates, _path(rng, trajectory, count, top), strict=True):
                    response_record(
                        client=client,
                        instrument_id=instrument_id,
                        mode=rng.choice(MeasureResponse.Mode.values),
                        actor=client.primary_clinician,
                        administered_at=_at(when),
                        answers=_answers(rng, items, total),
                    )
        _risk_story(rng, risk_client, now)
        for client in others[:3]:
            if client.email:
                schedule_create(
                    client=client,
                    actor=client.primary_clinician,  # type: ignore[arg-type]
                    instrument_id="phq9",
                    interval_days=14,
                    first_due_on=today + timedelta(days=rng.randint(1, 10)),
                )


def _risk_story(rng: random.Random, client: Client, now: datetime) -> None:
    clinician = client.primary_clinician
    if clinician is None:
        return
    weeks = [now - timedelta(weeks=w) for w in (16, 12, 8, 4, 3, 1)]
    totals = [18, 17, 15, 16, 13, 14]
    for when, total in zip(weeks, totals, strict=True):
        endorsed = when in (weeks[3], weeks[5])
        response_record(
            client=client,
            instrument_id="phq9",
            mode=MeasureResponse.Mode.IN_SESSION,
            actor=clinician,
            administered_at=_at(when),
            answers=_answers(rng, 9, total, item9=1 if endorsed else 0),
        )
        if when == weeks[3]:
            for alert in RiskAlert.objects.filter(client=client):
                alert_acknowledge(
                    alert=alert,
                    actor=clinician,
                    note="Reviewed in session; screened for suicide risk; safety plan written "
                    "together; follow-up in one week.",
                )
            risk_assessment_record(
                client=client,
                actor=clinician,
                answers={"1": 1, "2": 1, "3": 0, "4": 0, "5": 0, "6": 0},
                administered_at=_at(when) + timedelta(minutes=30),
            )
            safety_plan_save(
                client=client,
                actor=clinician,
                reviewed_with_client_on=when.date(),
                warning_signs="Lying awake past 2 a.m.; cancelling plans; thinking “what's the "
                "point”.",
                coping_strategies="Walk around the block; cold shower; the breathing app; "
                "playlist from my brother.",
                distraction_people_places="The public library; the coffee shop on Main Street; "
                "texting my cousin.",
                help_contacts="My sister (555-0142); my friend from work (555-0178).",
                professionals_agencies="My therapist at the practice (555-0100, weekdays); "
                "988 Suicide & Crisis Lifeline — call or text 988; emergency: 911.",
                environment_safety="My sister keeps the spare medication; no alcohol in the "
                "apartment for now.",
                reasons_for_living="My niece's graduation in June; my dog, Biscuit.",
            )
