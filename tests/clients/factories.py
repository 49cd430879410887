"""Client records for tests, made through the services like real ones."""

from __future__ import annotations

from datetime import date
from typing import Any

from tend.accounts.models import User
from tend.clients.models import CareTeamMember, Client, Episode
from tend.clients.services import care_team_member_add, client_create, episode_open
from tend.supervision.services import supervision_relationship_start
from tests.conftest import Cast


def make_client(
    cast: Cast,
    *,
    first: str = "Rowan",
    last: str = "Ellery",
    born: date = date(1990, 4, 12),
    clinician: User | None = None,
    **fields: Any,
) -> Client:
    fields.setdefault("status", Client.Status.ACTIVE)
    return client_create(
        organization=cast.organization,
        actor=cast.front_desk,
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=born,
        primary_clinician=clinician if clinician is not None else cast.clinician,
        **fields,
    )


def supervise_associate(cast: Cast) -> None:
    """The cast's supervisor supervises the cast's associate from 2026-01-05."""
    supervision_relationship_start(
        organization=cast.organization,
        actor=cast.owner,
        supervisor=cast.supervisor,
        supervisee=cast.associate,
        started_on=date(2026, 1, 5),
    )


def make_shared_client(cast: Cast) -> Client:
    """A client every clinical role of the cast may open: the clinician's, with the
    associate as co-therapist and the supervisor supervising the associate."""
    existing = Client.objects.filter(
        organization=cast.organization, legal_first_name="Morgan", legal_last_name="Ashdown"
    ).first()
    if existing is not None:
        return existing
    client = make_client(cast, first="Morgan", last="Ashdown", born=date(1985, 9, 30))
    care_team_member_add(
        client=client,
        actor=cast.clinician,
        user=cast.associate,
        role=CareTeamMember.Role.CO_THERAPIST,
        started_on=date(2026, 1, 5),
    )
    supervise_associate(cast)
    return client


def make_open_episode(cast: Cast, client: Client | None = None) -> Episode:
    return episode_open(
        client=client or make_shared_client(cast),
        actor=cast.clinician,
        admission_date=date(2026, 2, 2),
        referral_source="Primary care physician",
        presenting_concern="Low mood and poor sleep since a move in the fall.",
    )
