"""URL keywords of measures routes, for the access-matrix test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from tend.measures.services import safety_plan_save, schedule_create
from tests.conftest import Cast
from tests.measures.factories import make_shared_client, phq9, score

TZ = ZoneInfo("America/Chicago")


def _response(cast: Cast) -> str:
    client = make_shared_client(cast)
    return str(
        score(client, "phq9", datetime(2026, 11, 2, 10, tzinfo=TZ), answers=phq9()).public_id
    )


def _alert(cast: Cast) -> str:
    client = make_shared_client(cast)
    response = score(client, "phq9", datetime(2026, 11, 2, 10, tzinfo=TZ), answers=phq9(item9=1))
    return str(response.alerts.get().public_id)


def _plan(cast: Cast) -> str:
    plan = safety_plan_save(
        client=make_shared_client(cast),
        actor=cast.clinician,
        reviewed_with_client_on=None,
        warning_signs="Not sleeping",
        coping_strategies="Walk",
        distraction_people_places="Library",
        help_contacts="Sister",
        professionals_agencies="988",
        environment_safety="Medication with a friend",
    )
    return str(plan.public_id)


def _schedule(cast: Cast) -> str:
    schedule = schedule_create(
        client=make_shared_client(cast),
        actor=cast.clinician,
        instrument_id="phq9",
        interval_days=14,
        first_due_on=datetime.now().date(),  # noqa: DTZ005  (a calendar date)
    )
    return str(schedule.public_id)


Factory = tuple[Callable[[Cast], str], bool]

OBJECTS: dict[str, Factory] = {
    "response_id": (_response, True),
    "alert_id": (_alert, True),
    "plan_id": (_plan, True),
    "schedule_id": (_schedule, True),
    "instrument_id": (lambda cast: "phq9", False),
}
