"""Care objects for the access-matrix test, by URL keyword.

The shared case: an associate's client, with the licensed clinician on the care team and
the supervisor supervising the associate, so every clinical role may read its record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from tend.care.models import Appointment
from tend.care.notes import note_start
from tend.care.services import (
    appointment_status_set,
    calendar_feed_create,
    room_create,
    therapy_group_create,
)
from tend.clients.models import CareTeamMember
from tend.supervision.models import SupervisionRelationship
from tests.care.helpers import book, make_client, wall
from tests.conftest import Cast


def shared_session(cast: Cast) -> Appointment:
    client = make_client(cast.organization, cast.associate)
    CareTeamMember.objects.create(
        client=client, user=cast.clinician, role="co_therapist", started_on=date(2026, 1, 1)
    )
    SupervisionRelationship.objects.create(
        organization=cast.organization,
        supervisor=cast.supervisor,
        supervisee=cast.associate,
        started_on=date(2026, 1, 1),
    )
    start = timezone.localtime() - timedelta(days=1)
    return book(
        cast.organization,
        cast.associate,
        client,
        wall(start.year, start.month, start.day, 9, 0),
    )[0]


def _note(cast: Cast) -> str:
    appointment = shared_session(cast)
    appointment_status_set(appointment=appointment, actor=cast.associate, status="kept")
    return str(note_start(appointment=appointment, actor=cast.associate).public_id)


def _feed_token(cast: Cast) -> str:
    _, raw = calendar_feed_create(organization=cast.organization, clinician=cast.clinician)
    return raw


def _room(cast: Cast) -> str:
    return str(room_create(organization=cast.organization, actor=cast.owner, name="Oak").public_id)


def _therapy_group(cast: Cast) -> str:
    group = therapy_group_create(
        organization=cast.organization,
        actor=cast.clinician,
        name="DBT skills",
        facilitator=cast.clinician,
        members=[make_client(cast.organization, cast.clinician)],
        joined_on=date(2026, 1, 5),
    )
    return str(group.public_id)


OBJECTS: dict[str, tuple[Callable[[Cast], str], bool]] = {
    "clinician_id": (lambda cast: str(cast.clinician.public_id), True),
    "appointment_id": (lambda cast: str(shared_session(cast).public_id), True),
    "note_id": (_note, True),
    "feed_token": (_feed_token, False),
    "room_id": (_room, True),
    "therapy_group_id": (_therapy_group, True),
}
