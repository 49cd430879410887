"""Clients and scores for the measures tests, made through the services."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from tend.accounts.models import User
from tend.clients.models import Client
from tend.clients.services import care_team_member_add, client_create
from tend.measures.models import MeasureResponse
from tend.measures.services import response_record
from tests.conftest import Cast


def make_client(
    cast: Cast,
    *,
    clinician: User | None = None,
    first: str = "Rowan",
    last: str = "Quill",
    email: str = "rowan.quill@example.org",
    sex: str = "",
    status: str = Client.Status.ACTIVE,
) -> Client:
    return client_create(
        organization=cast.organization,
        actor=cast.owner,
        status=status,
        primary_clinician=clinician or cast.clinician,
        allow_duplicate=True,
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=date(1990, 4, 2),
        email=email,
        sex_assigned_at_birth=sex,
    )


def make_shared_client(cast: Cast) -> Client:
    """A client every clinical role of the cast may see: the clinician's, with the
    associate and the supervisor on the care team."""
    client = make_client(cast)
    for user in (cast.associate, cast.supervisor):
        care_team_member_add(
            client=client,
            actor=cast.owner,
            user=user,
            role="co_therapist",
            started_on=date(2020, 1, 1),
        )
    return client


def phq9(item9: int = 0, rest: int = 1) -> dict[str, float]:
    answers: dict[str, float] = {str(n): rest for n in range(1, 9)}
    answers["9"] = item9
    return answers


def score(
    client: Client,
    instrument_id: str,
    when: datetime,
    *,
    total: float | None = None,
    answers: dict[str, float] | None = None,
    actor: User | None = None,
) -> MeasureResponse:
    return response_record(
        client=client,
        instrument_id=instrument_id,
        mode=MeasureResponse.Mode.IN_SESSION,
        actor=actor or client.primary_clinician,
        administered_at=when if timezone.is_aware(when) else timezone.make_aware(when),
        answers=answers,
        total=total,
    )
