"""Building blocks for the care tests: clients on a caseload and booked appointments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from tend.accounts.models import Organization, User
from tend.care.models import Appointment
from tend.care.services import appointment_book, appointment_status_set
from tend.clients.models import CaseGroup, CaseGroupMember, Client, Episode
from tend.plans.models import Goal, Objective, Problem, TreatmentPlan


def wall(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in the organization's zone, as the booking services take it."""
    return datetime(year, month, day, hour, minute)  # noqa: DTZ001  (deliberately naive)


def make_client(
    organization: Organization,
    clinician: User | None,
    first: str = "Rowan",
    last: str = "Quill",
) -> Client:
    # The clients app has no creation service yet; the row is what its service would write.
    client = Client.objects.create(
        organization=organization,
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=date(1990, 4, 2),
        status=Client.Status.ACTIVE,
        primary_clinician=clinician,
    )
    Episode.objects.create(client=client, admission_date=date(2026, 1, 5))
    return client


def make_couple(organization: Organization, clinician: User) -> CaseGroup:
    group = CaseGroup.objects.create(organization=organization, kind="couple", name="Vale couple")
    for first in ("Jun", "Noor"):
        CaseGroupMember.objects.create(
            group=group, client=make_client(organization, clinician, first, "Vale"), role="partner"
        )
    return group


def book(
    organization: Organization,
    clinician: User,
    client: Client,
    start: datetime,
    *,
    minutes: int = 50,
    rule: str = "",
    actor: User | None = None,
) -> list[Appointment]:
    return appointment_book(
        organization=organization,
        actor=actor or clinician,
        clinician=clinician,
        kind=Appointment.Kind.INDIVIDUAL,
        start_local=start,
        duration_minutes=minutes,
        clients=[client],
        rule=rule,
    )


def make_plan(
    client: Client, author: User, *, activated_on: date = date(2026, 1, 10)
) -> list[Objective]:
    """An active treatment plan with two self-rating objectives (rows as the plans app's
    activation service leaves them)."""
    plan = TreatmentPlan.objects.create(
        client=client,
        episode=client.episodes.get(),
        status=TreatmentPlan.Status.ACTIVE,
        review_days=90,
        created_by=author,
        signed_by=author,
        activated_on=activated_on,
    )
    problem = Problem.objects.create(plan=plan, statement="Persistent low mood")
    goal = Goal.objects.create(
        problem=problem,
        client_words="Feel like myself again",
        statement="Reduce depressive symptoms",
    )
    return [
        Objective.objects.create(
            goal=goal,
            position=position,
            description=description,
            metric_kind="self_rating",
            direction="at_least",
            baseline=Decimal(3),
            target=Decimal(7),
            target_date=date(2027, 3, 1),
        )
        for position, description in enumerate(
            ["Rate mood 7 or more on most days", "Use a coping skill when distressed"]
        )
    ]


def kept_session(
    organization: Organization,
    clinician: User,
    client: Client,
    start: datetime,
    *,
    minutes: int = 50,
    kind: str = Appointment.Kind.INDIVIDUAL,
) -> Appointment:
    appointment = book(organization, clinician, client, start, minutes=minutes)[0]
    appointment_status_set(appointment=appointment, actor=clinician, status="kept")
    return appointment
