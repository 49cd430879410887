"""Supervision relationships and sessions for tests, made through the services."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from tend.supervision.models import SupervisionRelationship, SupervisionSession
from tend.supervision.services import (
    supervision_relationship_start,
    supervision_session_plan,
    supervision_session_record,
)
from tests.conftest import Cast


def make_relationship(cast: Cast, **changes: Any) -> SupervisionRelationship:
    """The cast's supervisor supervising the associate toward a Texas LPC."""
    arguments: dict[str, Any] = {
        "organization": cast.organization,
        "actor": cast.owner,
        "supervisor": cast.supervisor,
        "supervisee": cast.associate,
        "started_on": date(2026, 1, 1),
        "path_state": "TX",
        "path_family": "counselor",
    }
    arguments.update(changes)
    return supervision_relationship_start(**arguments)


def make_session(
    relationship: SupervisionRelationship, held_on: date = date(2026, 3, 2), **changes: Any
) -> SupervisionSession:
    assert relationship.supervisor is not None
    arguments: dict[str, Any] = {
        "relationship": relationship,
        "actor": relationship.supervisor,
        "held_on": held_on,
        "minutes": 60,
        "format": "individual",
        "member_count": 1,
        "delivery": "in_person",
        "topics": "Case conceptualization; boundaries.",
    }
    arguments.update(changes)
    return supervision_session_record(**arguments)


def make_planned(
    relationship: SupervisionRelationship,
    held_on: date = date(2026, 12, 3),
    start_time: time = time(10, 0),
    **changes: Any,
) -> SupervisionSession:
    """A session planned ahead by the supervisor (pass `actor` for the supervisee)."""
    arguments: dict[str, Any] = {
        "relationship": relationship,
        "actor": relationship.supervisor,
        "held_on": held_on,
        "start_time": start_time,
        "minutes": 60,
        "format": "individual",
        "delivery": "video",
    }
    arguments.update(changes)
    return supervision_session_plan(**arguments)
